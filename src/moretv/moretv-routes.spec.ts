import { describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { REPLY_METADATA, type RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import { MoretvAccountController } from '#src/moretv/controllers/moretv-account.controller.js';
import { MoretvCaptchaController } from '#src/moretv/controllers/moretv-captcha.controller.js';
import { MoretvEmailController } from '#src/moretv/controllers/moretv-email.controller.js';
import { MoretvSnsController } from '#src/moretv/controllers/moretv-sns.controller.js';
import { MoretvUserInfoController } from '#src/moretv/controllers/moretv-user-info.controller.js';
import { BROWSER_METADATA } from '#src/moretv/moretv-request.guard.js';

const CONTROLLERS = [
  MoretvAccountController,
  MoretvEmailController,
  MoretvCaptchaController,
  MoretvUserInfoController,
  MoretvSnsController,
];

interface Route {
  name: string;
  method: RequestMethod;
  reply: RouteReplyMetadata;
  browser: unknown;
}

function routes(): Route[] {
  return CONTROLLERS.flatMap((controller) => {
    const prototype = controller.prototype as unknown as Record<string, () => unknown>;
    return Object.getOwnPropertyNames(prototype)
      .filter(
        (name) =>
          name !== 'constructor' && Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined,
      )
      .map((name) => ({
        name: `${controller.name}.${name}`,
        method: Reflect.getMetadata(METHOD_METADATA, prototype[name]) as RequestMethod,
        reply: Reflect.getMetadata(REPLY_METADATA, prototype[name]) as RouteReplyMetadata,
        browser: Reflect.getMetadata(BROWSER_METADATA, prototype[name]) as unknown,
      }));
  });
}

describe('moretv routes', () => {
  it('should make every route answering HTML a page route, so that its POST forms are CSRF-checked', () => {
    const missing = routes()
      .filter((r) => r.reply.html && r.browser !== 'page')
      .map((r) => r.name);
    expect(missing).toEqual([]);
    expect(routes().filter((r) => r.reply.html).length).toBeGreaterThan(15);
  });

  it('should document the origin refusal on every POST', () => {
    const missing = routes()
      .filter((r) => r.method === RequestMethod.POST && !r.reply.transportErrors?.includes('ORIGIN_REFUSED'))
      .map((r) => r.name);
    expect(missing).toEqual([]);
  });
});

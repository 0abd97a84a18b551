import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { TransportFailure } from '#src/common/errors/transport-failure.js';
import { mergeParams } from '#src/common/http/merge-params.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import {
  browserCookieOptions,
  browserIdFromCookies,
  MORETV_BROWSER_COOKIE,
  newBrowserId,
  type BrowserRequest,
  type BrowserSession,
} from '#src/moretv/browser/browser-session.js';
import { CSRF_FIELD, CsrfTokens } from '#src/moretv/browser/csrf-tokens.js';
import { isAllowedOrigin } from '#src/sns/allowed-origins.js';

const ACTION_METADATA = 'concord:moretv-action';
export const BROWSER_METADATA = 'concord:moretv-browser';

/** How a route uses the browser: `browser` reads its id (captcha, SNS); `page` is a page, whose POSTs are forms. */
export type BrowserUse = 'browser' | 'page';

/** The route reads the browser id (`@Browser()`): the guard issues one to a browser without it. */
export const UsesBrowser = (): MethodDecorator =>
  SetMetadata(BROWSER_METADATA, 'browser' satisfies BrowserUse);

/**
 * A GET the document defines that changes something (`/sns/login/unbind`): its Origin or Referer is checked as a
 * POST's is, so a link on another site cannot unbind someone's account.
 */
export const StateChangingGet = (): MethodDecorator => SetMetadata(ACTION_METADATA, true);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const ORIGIN_REFUSED = { zh: '请求来源不被允许', en: 'the request comes from a site that is not allowed' };
const FORM_EXPIRED = {
  zh: '表单已失效,请刷新页面后重试',
  en: 'the form has expired; reload the page and try again',
};

/**
 * moretv's request checks, run on every moretv route before its own guards (provided under
 * `dialectGuardToken('moretv')`):
 * - the browser id, on the routes that use one (`@UsesBrowser()`, `@MoretvPage()`): a browser without one gets one,
 *   set as a cookie on this answer and usable by this route;
 * - the origin: a POST (JSON, form or multipart), or a state-changing GET, whose `Origin` — or, without one, whose
 *   `Referer` — is present and not the server's own or an allowed origin (MORETV_ALLOWED_ORIGINS) is refused; so is
 *   one without either that the browser marks cross-site (`Sec-Fetch-Site`);
 * - CSRF: a POST to a page route (`@MoretvPage()`: every page form posts to one) must carry the `_csrf` token of
 *   its browser id (a spec checks that every moretv route answering HTML is a page route).
 * Legacy JSON clients send neither Origin from another site nor a token; cross-site forms cannot carry the token.
 */
@Injectable()
export class MoretvRequestGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly csrf: CsrfTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<BrowserRequest>();
    const handler = context.getHandler();
    const unsafe = !SAFE_METHODS.has(req.method);
    if (unsafe || this.reflector.get<boolean>(ACTION_METADATA, handler)) this.checkOrigin(req);
    const use = this.reflector.get<BrowserUse | undefined>(BROWSER_METADATA, handler);
    if (!use) return true;
    const browser = this.browserOf(req, context.switchToHttp().getResponse<Response>());
    if (unsafe && use === 'page' && !this.csrf.matches(browser.id, mergeParams(req)[CSRF_FIELD])) {
      throw new TransportFailure('ORIGIN_REFUSED', FORM_EXPIRED, { check: 'csrf', fresh: browser.fresh });
    }
    return true;
  }

  private browserOf(req: BrowserRequest, res: Response): BrowserSession {
    const existing = browserIdFromCookies(req.cookies);
    const browser = existing ? { id: existing, fresh: false } : { id: newBrowserId(), fresh: true };
    if (browser.fresh) res.cookie(MORETV_BROWSER_COOKIE, browser.id, browserCookieOptions(this.config));
    req.moretvBrowser = browser;
    return browser;
  }

  private checkOrigin(req: BrowserRequest): void {
    const origin = req.headers.origin;
    const referer = req.headers.referer;
    const site = req.headers['sec-fetch-site'];
    let claimed: string | undefined;
    if (typeof origin === 'string') claimed = origin;
    else if (typeof referer === 'string' && referer !== '') claimed = originOf(referer) ?? 'null';
    if (claimed === undefined) {
      if (site === 'cross-site' || site === 'same-site') {
        throw new TransportFailure('ORIGIN_REFUSED', ORIGIN_REFUSED, { check: 'sec-fetch-site', site });
      }
      return;
    }
    if (!isAllowedOrigin(claimed, this.config.moretv.allowedOrigins, this.config.http.publicBaseUrl)) {
      throw new TransportFailure('ORIGIN_REFUSED', ORIGIN_REFUSED, {
        check: typeof origin === 'string' ? 'origin' : 'referer',
      });
    }
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

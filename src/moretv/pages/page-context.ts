import {
  applyDecorators,
  createParamDecorator,
  Header,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { localeOf } from '#src/common/http/locale.js';
import type { Locale } from '#src/dialects/dialect.js';
import { BROWSER_METADATA, type BrowserUse } from '#src/moretv/moretv-request.guard.js';

/** The language a page answers in, and whether this request switched it (`?locale=`, kept in a cookie). */
export interface PageLocale {
  locale: Locale;
  switched: boolean;
}

export const PageRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): PageLocale => {
  const req = ctx.switchToHttp().getRequest<ConcordRequest>();
  const asked = (req.query as Record<string, unknown> | undefined)?.locale;
  return { locale: localeOf(req, 'moretv'), switched: typeof asked === 'string' && asked !== '' };
});

/**
 * The pages' own policy, stricter than the app's: nothing loads but their stylesheet (inline) and images — the
 * captcha and the avatar from here, an avatar from storage or from an SNS provider on the fill page — and forms post
 * only here. `Referrer-Policy: same-origin`: the reset page's URL carries its token, which must not reach another
 * site, while our own forms keep sending their Origin (with `no-referrer` browsers send `Origin: null`, which the
 * request guard refuses).
 */
const PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self' data: https: http:",
  "style-src 'unsafe-inline'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * A page route: its answers carry the pages' headers, it gets the browser id, and a POST to it is a form, which must
 * carry the browser's CSRF token (MoretvRequestGuard).
 */
export function MoretvPage(): MethodDecorator {
  return applyDecorators(
    SetMetadata(BROWSER_METADATA, 'page' satisfies BrowserUse),
    Header('Content-Security-Policy', PAGE_CSP),
    Header('Referrer-Policy', 'same-origin'),
  );
}

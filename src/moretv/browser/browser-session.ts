import { randomBytes } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CookieOptions } from 'express';
import type { ReplyCookie } from '#src/common/dialect/reply-outcome.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { AppConfig } from '#src/config/app-config.js';
import { MORETV_SESSION_COOKIE } from '#src/dialects/moretv.dialect.js';

/**
 * The anonymous browser id: what a captcha, an SNS `state` and a pending SNS sign-up are bound to before anyone
 * signs in, and what the forms' CSRF tokens are derived from. 256 random bits, a browser-session cookie.
 */
export const MORETV_BROWSER_COOKIE = 'moretv_browser';

/** The language switch of the pages (read by the pipeline's `localeOf`). */
export const MORETV_LOCALE_COOKIE = 'locale';

export interface BrowserSession {
  id: string;
  /** Issued by this request: the browser did not send one (or sent a malformed one). */
  fresh: boolean;
}

export type BrowserRequest = ConcordRequest & { moretvBrowser?: BrowserSession };

const BROWSER_ID = /^[A-Za-z0-9_-]{43}$/;

export function browserIdFromCookies(cookies: unknown): string | undefined {
  const value = (cookies as Record<string, unknown> | undefined)?.[MORETV_BROWSER_COOKIE];
  return typeof value === 'string' && BROWSER_ID.test(value) ? value : undefined;
}

export function newBrowserId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The flags every moretv cookie carries, as the pipeline's interceptor adds them to a ReplyOutcome's cookies. The
 * browser id is the one cookie set outside a ReplyOutcome (by the request guard, before any route runs: the
 * captcha image is a raw route, and a route must see the id in the request that issues it).
 */
export function browserCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
}

/**
 * The signed-in session's cookie: the access token. `auto_login` keeps it for the session's absolute lifetime (the
 * session still ends after SESSION_TTL without use); otherwise it goes when the browser closes.
 */
export function sessionCookie(accessToken: string, persistent: boolean, config: AppConfig): ReplyCookie {
  return {
    name: MORETV_SESSION_COOKIE,
    value: accessToken,
    ...(persistent ? { maxAgeMs: config.auth.sessionMaxAgeMs } : {}),
  };
}

/** The browser id of this request (issued by the moretv request guard, which runs first on every moretv route). */
export const Browser = createParamDecorator((_data: unknown, ctx: ExecutionContext): BrowserSession => {
  const browser = ctx.switchToHttp().getRequest<BrowserRequest>().moretvBrowser;
  if (!browser) throw new Error('no moretv browser session: the moretv request guard did not run');
  return browser;
});

/** The browser id cookie as sent, for routes outside the moretv dialect (`/dev/captcha`). */
export const BrowserCookie = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined =>
    browserIdFromCookies(ctx.switchToHttp().getRequest<ConcordRequest>().cookies),
);

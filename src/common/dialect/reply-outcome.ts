/** A cookie a route sets; `HttpOnly`, `SameSite=Lax`, `Path=/` and (in production) `Secure` are always added. */
export interface ReplyCookie {
  name: string;
  value: string;
  /** Omitted: a browser-session cookie, gone when the browser closes. */
  maxAgeMs?: number;
}

export interface ReplyOptions {
  /** A success code the route's document has besides the default (moretv's 0 "nothing changed"). */
  code?: string | number;
  message?: string;
  /** Extra top-level envelope members beside the payload (mrpyq's friend search `flag`). */
  fields?: Record<string, unknown>;
  setCookies?: readonly ReplyCookie[];
  clearCookies?: readonly string[];
  /** An HTML route that answers with a redirect (303 See Other) instead of a page. */
  redirectTo?: string;
}

/**
 * A success that carries more than data: a code or message that depends on the outcome (xiaoma's "verified" versus
 * "sent to review"), extra envelope fields, cookies to set or clear, or a redirect. Controllers return it instead of
 * plain data, so they never touch the response object; the interceptor applies it. A code must be one the dialect
 * documents for success.
 */
export class ReplyOutcome<T> {
  constructor(
    readonly data: T,
    readonly options: ReplyOptions,
  ) {}
}

/** The answer of a page route that redirects (303 See Other); sent by the HTTP adapter. */
export class SeeOther {
  constructor(readonly location: string) {}
}

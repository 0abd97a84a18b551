/**
 * Where moretv may send a browser back to (`redirect_url` of SNS sign-in, `callback` of registration) and which
 * `Origin` a cross-site form may come from: the configured origins (MORETV_ALLOWED_ORIGINS) plus the server's own
 * (PUBLIC_BASE_URL). Pure functions: no configuration is read here.
 *
 * A pattern is `scheme://host[:port]`, or `scheme://*.host[:port]` for every subdomain of host (not host itself).
 */

interface OriginPattern {
  protocol: string;
  hostname: string;
  port: string;
  subdomains: boolean;
}

const MAX_REDIRECT_LENGTH = 2048;

function parsePattern(pattern: string): OriginPattern | undefined {
  const wildcard = /^(https?:\/\/)\*\.(.+)$/i.exec(pattern);
  const url = parseUrl(wildcard ? `${wildcard[1]}${wildcard[2]}` : pattern);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, subdomains: wildcard !== null };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function matches(url: URL, pattern: OriginPattern): boolean {
  if (url.protocol !== pattern.protocol || url.port !== pattern.port) return false;
  return pattern.subdomains
    ? url.hostname.endsWith(`.${pattern.hostname}`)
    : url.hostname === pattern.hostname;
}

/**
 * Whether an `Origin` header value (or any absolute URL's origin) is the server's own or an allowed one.
 * `null` origins (sandboxed frames, file:) and anything unparsable are not allowed.
 */
export function isAllowedOrigin(
  origin: string,
  allowedOrigins: readonly string[],
  ownBaseUrl: string,
): boolean {
  const url = parseUrl(origin);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  return [ownBaseUrl, ...allowedOrigins].some((p) => {
    const pattern = parsePattern(p);
    return pattern !== undefined && matches(url, pattern);
  });
}

/**
 * The URL a browser may be redirected to after a flow, or `null` when `raw` is absent or not allowed (the caller
 * then goes to its default page). A path (`/userInfo`) is taken relative to the server's own base URL. The answer
 * is the normalized URL that was checked, so the redirect goes exactly where the check looked.
 *
 * Refused: other schemes (`javascript:`, `data:`), scheme-relative `//host` and `/\host` (browsers read `\` as
 * `/`), user:password@ (phishing look-alikes), control characters and spaces (which the URL parser would silently
 * strip, so the checked and the followed URL could differ), and anything over 2 KiB.
 */
export function allowedRedirectUrl(
  raw: string | null | undefined,
  allowedOrigins: readonly string[],
  ownBaseUrl: string,
): string | null {
  if (!raw || raw.length > MAX_REDIRECT_LENGTH) return null;
  // Control characters, spaces and backslashes: refused rather than normalized away.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f\\]/.test(raw)) return null;
  let url: URL | undefined;
  if (raw.startsWith('/')) {
    if (raw.startsWith('//')) return null;
    url = parseUrl(new URL(raw, ownBaseUrl).href);
  } else if (/^https?:\/\//i.test(raw)) {
    url = parseUrl(raw);
  }
  if (!url || url.username || url.password) return null;
  return isAllowedOrigin(url.origin, allowedOrigins, ownBaseUrl) ? url.href : null;
}

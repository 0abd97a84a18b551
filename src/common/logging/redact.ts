/**
 * Request logs must never carry a password, code or token. Clients put them in query strings, xiaoma puts its token
 * in the path (`/token/<t>`), moretv an email or a code (`/eamil/resetpasword/<b64>`, `/captcha/validate/<c>`), so
 * URLs are scrubbed before they are logged. Names are compared after percent-decoding and with any `[]`, NUL or
 * other punctuation removed (`%74oken`, `token[]`, `token%00` are all `token`), and a value is redacted wherever it
 * appears when it looks like one of our credentials (a JWT, a refresh token), whatever its name. The URL keeps the
 * form the client sent, apart from the redacted parts.
 */
const SECRET_NAMES = new Set(
  [
    'password',
    'passwd',
    'pwd',
    'pass',
    'oldpasswd',
    'newpasswd',
    'oldpwd',
    'newpwd',
    'confirmpwd',
    'newpassword',
    'token',
    'accesstoken',
    'refreshtoken',
    'authorization',
    'auth',
    'code',
    'codev',
    'phonecode',
    'captcha',
    'sign',
    'signature',
    'secret',
    'receiptdata',
    'cardno',
    // nggirl's resident identity number (uploadUserInfo), which its clients may send in the query string.
    'identificationcard',
    'openid',
    // An SNS sign-in's OAuth state: single use and bound to the browser, but a live one in a log could be replayed.
    'state',
    'session',
    'moretvsession',
    'ticket',
  ].map(normalizedName),
);

/** A path segment whose next segment is a secret (`/token/<t>`, `/resetpasword/<email>`). */
const SECRET_SEGMENTS = new Set(
  ['token', 'validate', 'resetpasword', 'sendcode', 'reset', 'checkcode', 'check'].map(normalizedName),
);

/**
 * Shapes of Concord's own credentials: a JWT (three base64url parts, the first a JSON header) and the opaque
 * refresh tokens and tickets (`rt_`/`tk_` followed by base64url). Matched in decoded text.
 */
const CREDENTIAL_SHAPE =
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*|\b(?:rt|tk)_[A-Za-z0-9_-]{16,}/g;

const REDACTED = '[REDACTED]';

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function isSecretName(rawName: string): boolean {
  return SECRET_NAMES.has(normalizedName(decode(rawName)));
}

function looksLikeCredential(rawValue: string): boolean {
  CREDENTIAL_SHAPE.lastIndex = 0;
  return CREDENTIAL_SHAPE.test(decode(rawValue));
}

/** `name=value` pairs joined by `separator`; secret names and credential-shaped values lose their value. */
function redactPairs(text: string, separator: string): string {
  return text
    .split(separator)
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return looksLikeCredential(pair) ? REDACTED : pair;
      const rawName = pair.slice(0, eq);
      return isSecretName(rawName) || looksLikeCredential(pair.slice(eq + 1))
        ? `${rawName}=${REDACTED}`
        : pair;
    })
    .join(separator);
}

function redactPath(path: string): string {
  const segments = path.split('/');
  let secretNext = false;
  return segments
    .map((segment) => {
      // `/token//<t>`: empty segments do not end the secret that a secret segment announced.
      if (segment === '') return segment;
      const [head, ...matrix] = segment.split(';');
      let out: string;
      if (secretNext) {
        out = REDACTED;
        secretNext = false;
      } else {
        out = looksLikeCredential(head) ? REDACTED : head;
        secretNext = SECRET_SEGMENTS.has(normalizedName(decode(head)));
      }
      // Matrix parameters (`/get_user_details;token=<t>`) are name=value pairs too.
      return matrix.length > 0 ? `${out};${redactPairs(matrix.join(';'), ';')}` : out;
    })
    .join('/');
}

export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = redactPath(queryStart === -1 ? url : url.slice(0, queryStart));
  if (queryStart === -1) return path;
  return `${path}?${redactPairs(url.slice(queryStart + 1), '&')}`;
}

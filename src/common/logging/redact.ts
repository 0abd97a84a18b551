/**
 * Request logs must never carry a password, code or token. Clients put them in query strings, and xiaoma puts
 * its token in the path (`/token/<t>`), so URLs are scrubbed before they are logged.
 */
const SECRET_PARAM =
  /^(password|passwd|pwd|oldpasswd|newpasswd|oldpwd|newpwd|confirmpwd|new_password|newpassword|token|accesstoken|refreshtoken|access_token|refresh_token|code|code_v|phone_code|captcha|sign|secret|receipt-data|cardno|openid)$/i;

const SECRET_PATH_SEGMENT = /(\/(?:token|validate|resetpasword|sendCode|reset)\/)[^/?#]+/gi;

export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = (queryStart === -1 ? url : url.slice(0, queryStart)).replace(
    SECRET_PATH_SEGMENT,
    '$1[REDACTED]',
  );
  if (queryStart === -1) return path;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      let key: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        key = rawKey;
      }
      return SECRET_PARAM.test(key) && eq !== -1 ? `${rawKey}=[REDACTED]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

import { isEmail } from 'class-validator';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * moretv's emails: `{EMAIL}` path segments, the format check (`-4`, "Email格式有误") and the domains it refuses
 * (`-5`, "Email不允许注册", MORETV_DENIED_EMAIL_DOMAINS). Pure functions.
 */

/** Lower-cased and trimmed; INVALID_PARAMS (field `email`) when it is not an address. */
export function normalizedEmail(raw: unknown): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (email.length === 0 || email.length > 254 || !isEmail(email)) {
    throw new DomainError('INVALID_PARAMS', 'malformed email', { fields: ['email'] });
  }
  return email;
}

/**
 * The address in a `{EMAIL}` path segment, which the document defines as `urlencode(base64_encode(email))`. The
 * router has already percent-decoded it; a `+` that reached us as a space (a form-style encoder) is read back, and
 * the URL-safe alphabet is accepted too. INVALID_PARAMS when it is not base64 of an address.
 */
export function emailFromSegment(segment: unknown): string {
  if (typeof segment !== 'string' || segment.length === 0 || segment.length > 400) {
    throw new DomainError('INVALID_PARAMS', 'malformed email segment', { fields: ['email'] });
  }
  const text = segment.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new DomainError('INVALID_PARAMS', 'malformed email segment', { fields: ['email'] });
  }
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  // A round trip proves the segment was base64 of this text (no stray bits, no replacement characters).
  if (Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new DomainError('INVALID_PARAMS', 'malformed email segment', { fields: ['email'] });
  }
  return normalizedEmail(decoded);
}

/** What a client puts in the path for an address. */
export function emailSegment(email: string): string {
  return encodeURIComponent(Buffer.from(email, 'utf8').toString('base64'));
}

/**
 * FORBIDDEN when the address's domain is one moretv does not register (`example.com` matches that domain,
 * `*.test` every domain under `test`).
 */
export function assertAllowedDomain(email: string, denied: readonly string[]): void {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const refused = denied.some((pattern) =>
    pattern.startsWith('*.') ? domain.endsWith(pattern.slice(1)) : domain === pattern,
  );
  if (refused) throw new DomainError('FORBIDDEN', 'email domain not allowed', { fields: ['email'] });
}

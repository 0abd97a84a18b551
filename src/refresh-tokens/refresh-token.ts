import { createHash, randomBytes } from 'node:crypto';

/**
 * An opaque refresh token: `rt_` and 32 random bytes in base64url. The prefix lets the log redaction recognise one
 * wherever it appears (src/common/logging/redact.ts).
 */
export function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored: sha256 of the token. 256 random bits need no slow hash, and a lookup by hash leaks nothing
 * through timing that could help forge a token.
 */
export function refreshTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A string that could be a token we issued; anything else is refused before any lookup. */
export function looksLikeRefreshToken(token: string): boolean {
  return /^rt_[A-Za-z0-9_-]{43}$/.test(token);
}

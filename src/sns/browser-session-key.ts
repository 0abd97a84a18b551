import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * Stores keep a digest of the browser session id, never the id itself: it is the integrator's cookie value, and a
 * Redis dump or a database row should not hand out live cookies.
 */
export function browserSessionKey(browserSessionId: string): string {
  if (
    typeof browserSessionId !== 'string' ||
    browserSessionId.length === 0 ||
    browserSessionId.length > 512
  ) {
    throw new DomainError('INVALID_PARAMS', 'no browser session', { reason: 'session' });
  }
  return createHash('sha256').update(browserSessionId).digest('base64url');
}

/** Equal-length digests compared in constant time. */
export function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { createHash } from 'node:crypto';

/** The credential every dialect shares is the md5 hex digest of the password (the nuzzle and nggirl wire form). */
export function md5Hex(plain: string): string {
  return createHash('md5').update(plain, 'utf8').digest('hex');
}

/**
 * Normalises what an md5-sending client put on the wire. A 32-digit hex digest is lower-cased, so a client that
 * sends upper-case hex verifies the same credential as the others; anything else (the nuzzle document's own
 * example is not hex) is kept as the client sent it, as an opaque secret.
 */
export function normaliseClientDigest(wire: string): string {
  return /^[0-9a-f]{32}$/i.test(wire) ? wire.toLowerCase() : wire;
}

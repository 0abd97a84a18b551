import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * The HS256 key as a KeyObject. Given a string, jsonwebtoken 9 first tries to parse it as a PEM public key on every
 * sign and verify, and OpenSSL 3 fails slowly (~0.45 ms): a third of the CPU of an authenticated request.
 */
export function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const DEVELOPMENT_KEY_FILE = 'im-secret-key';

/**
 * IM_SECRET_KEY: the AES-256 key that encrypts IM passwords at rest, as 64 hex digits or base64/base64url of 32
 * bytes (`openssl rand -base64 32`). Throws an Error whose message never repeats the value.
 */
export function parseImSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (!key || key.length !== KEY_BYTES) {
    throw new Error('expected 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)');
  }
  return key;
}

/** Development only: a key generated on first start and kept (mode 600) under DATA_DIR, like the JWT secret. */
export function developmentImSecretKey(dataDir: string): Buffer {
  const file = join(dataDir, DEVELOPMENT_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process started at the same moment and wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  try {
    return parseImSecretKey(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file} does not hold a 32-byte key; delete it or set IM_SECRET_KEY`);
  }
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * IM passwords at rest: AES-256-GCM under IM_SECRET_KEY, a fresh 96-bit IV each time, the row's identity as
 * associated data (a ciphertext copied onto another user's row does not decrypt). Layout: version (1 byte), IV,
 * tag, ciphertext. The version byte leaves room for a key rotation.
 */
export class ImPasswordCipher {
  /** `key` undefined (production without NGGIRL_APPS): the app starts, and any use of the cipher throws. */
  constructor(private readonly key: Buffer | undefined) {
    if (key && key.length !== 32) throw new RangeError('IM_SECRET_KEY must be 32 bytes');
  }

  private requireKey(): Buffer {
    if (!this.key) throw new Error('IM_SECRET_KEY is not set');
    return this.key;
  }

  encrypt(password: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.requireKey(), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the blob was not written under this key and context (or was altered). */
  decrypt(blob: Buffer, context: string): string {
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) {
      throw new Error('not an IM password ciphertext of a known version');
    }
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.requireKey(), iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

import { describe, expect, it } from '@jest/globals';
import { ImPasswordCipher } from '#src/im/im-password-cipher.js';

describe(ImPasswordCipher.name, () => {
  const sut = new ImPasswordCipher(Buffer.alloc(32, 1));

  it('should decrypt what it encrypted, with a fresh IV each time', () => {
    const a = sut.encrypt('p4ss-word', 'im-password:local:concord_1:1');
    const b = sut.encrypt('p4ss-word', 'im-password:local:concord_1:1');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('p4ss-word'))).toBe(false);
    expect(sut.decrypt(a, 'im-password:local:concord_1:1')).toBe('p4ss-word');
  });

  it('should refuse a ciphertext moved to another row, altered, or written under another key', () => {
    const blob = sut.encrypt('p4ss-word', 'row-1');
    expect(() => sut.decrypt(blob, 'row-2')).toThrow();
    const altered = Buffer.from(blob);
    altered[altered.length - 1] ^= 1;
    expect(() => sut.decrypt(altered, 'row-1')).toThrow();
    expect(() => new ImPasswordCipher(Buffer.alloc(32, 2)).decrypt(blob, 'row-1')).toThrow();
    expect(() => sut.decrypt(Buffer.from([9, 1, 2]), 'row-1')).toThrow('known version');
  });

  it('should start without a key and throw only when used', () => {
    const keyless = new ImPasswordCipher(undefined);
    expect(() => keyless.encrypt('x', 'row')).toThrow('IM_SECRET_KEY is not set');
    expect(() => new ImPasswordCipher(Buffer.alloc(16))).toThrow(RangeError);
  });
});

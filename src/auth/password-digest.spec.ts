import { describe, expect, it } from '@jest/globals';
import { md5Hex, normaliseClientDigest } from '#src/auth/password-digest.js';

describe(md5Hex.name, () => {
  const sut = md5Hex;

  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['123456', 'e10adc3949ba59abbe56e057f20f883e'],
    ['password', '5f4dcc3b5aa765d61d8327deb882cf99'],
  ])('should digest %j to its lower-case md5 hex', (plain, digest) => {
    expect(sut(plain)).toBe(digest);
  });

  it('should digest the UTF-8 bytes of non-ASCII text, as clients do', () => {
    expect(sut('密码')).toBe('a8105204604a0b11e916f3879aae3b0b');
  });

  it('should not trim or otherwise change the password', () => {
    expect(sut(' 123456')).not.toBe(sut('123456'));
    expect(sut('Password')).not.toBe(sut('password'));
  });
});

describe(normaliseClientDigest.name, () => {
  const sut = normaliseClientDigest;

  it('should lower-case an upper-case md5 hex digest, so it verifies like the lower-case one', () => {
    expect(sut('E10ADC3949BA59ABBE56E057F20F883E')).toBe('e10adc3949ba59abbe56e057f20f883e');
    expect(sut('E10adc3949BA59abbe56e057f20f883e')).toBe('e10adc3949ba59abbe56e057f20f883e');
  });

  it('should keep a lower-case digest as it is', () => {
    expect(sut('e10adc3949ba59abbe56e057f20f883e')).toBe('e10adc3949ba59abbe56e057f20f883e');
  });

  it.each([
    ['the nuzzle document example, which is not hex', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['31 hex digits', 'E10ADC3949BA59ABBE56E057F20F883'],
    ['33 hex digits', 'E10ADC3949BA59ABBE56E057F20F883EA'],
    ['a digest with spaces around', ' E10ADC3949BA59ABBE56E057F20F883E '],
    ['plain text', 'Secret-Password'],
    ['an empty string', ''],
  ])('should keep %s exactly as sent', (_label, wire) => {
    expect(sut(wire)).toBe(wire);
  });
});

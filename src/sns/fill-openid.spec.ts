import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeFillOpenid, encodeFillOpenid } from '#src/sns/sns-accounts.service.js';

describe('fill page openid', () => {
  it('should be base64 of the subject, as moretv documents (the link URL-encodes it)', () => {
    expect(encodeFillOpenid('1221')).toBe('MTIyMQ==');
    expect(encodeURIComponent(encodeFillOpenid('o6_bmjrPTlm6_2sgVt7hMZOPfL2M'))).toBe(
      'bzZfYm1qclBUbG02XzJzZ1Z0N2hNWk9QZkwyTQ%3D%3D',
    );
  });

  it('should read the parameter back however the query parser left it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme' }), (subject) => {
        const param = encodeFillOpenid(subject);
        expect(decodeFillOpenid(param)).toBe(subject);
        expect(decodeFillOpenid(encodeURIComponent(param))).toBe(subject);
        // A raw `+` turned into a space by form decoding.
        expect(decodeFillOpenid(param.replace(/\+/g, ' '))).toBe(subject);
      }),
    );
  });

  it('should refuse what is not base64 of text', () => {
    for (const param of [
      undefined,
      '',
      'not base64!',
      '%E0%A4%A',
      '////',
      'MTIyMQ===',
      ['MTIyMQ=='],
      'x'.repeat(2000),
    ]) {
      expect(decodeFillOpenid(param)).toBeUndefined();
    }
  });
});

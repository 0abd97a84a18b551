import { describe, expect, it } from '@jest/globals';
import { outcomeOf } from '#test/helpers/outcome.js';
import {
  assertAllowedDomain,
  emailFromSegment,
  emailSegment,
  normalizedEmail,
} from '#src/moretv/email-address.js';

const decoded = (segment: string) => outcomeOf(Promise.resolve().then(() => emailFromSegment(segment)));

describe('moretv email addresses', () => {
  it('should read urlencode(base64(email)) from a path segment, however the client encoded it', () => {
    const email = 'Xiao.Ming+tv@Moretv.com.cn';
    const base64 = Buffer.from(email).toString('base64');
    expect(base64).toMatch(/[+/=]/);
    expect(emailFromSegment(decodeURIComponent(emailSegment(email)))).toBe('xiao.ming+tv@moretv.com.cn');
    expect(emailFromSegment(base64.replace(/\+/g, ' '))).toBe('xiao.ming+tv@moretv.com.cn');
    expect(emailFromSegment(Buffer.from(email).toString('base64url'))).toBe('xiao.ming+tv@moretv.com.cn');
  });

  it('should refuse what is not base64 of an address', async () => {
    for (const segment of [
      '',
      'not base64!',
      Buffer.from('nobody').toString('base64'),
      'w4',
      '%%',
      'x'.repeat(401),
    ]) {
      await expect(decoded(segment)).resolves.toBe('INVALID_PARAMS');
    }
    await expect(decoded(Buffer.from([0xff, 0xfe, 0x40]).toString('base64'))).resolves.toBe('INVALID_PARAMS');
  });

  it('should check the format and the refused domains', async () => {
    expect(normalizedEmail(' A@B.CN ')).toBe('a@b.cn');
    await expect(outcomeOf(Promise.resolve().then(() => normalizedEmail('a@b')))).resolves.toBe(
      'INVALID_PARAMS',
    );
    const denied = ['example.com', '*.test'];
    const verdict = (email: string) =>
      outcomeOf(Promise.resolve().then(() => assertAllowedDomain(email, denied)));
    await expect(verdict('a@example.com')).resolves.toBe('FORBIDDEN');
    await expect(verdict('a@mail.example.com')).resolves.toBe('ok');
    await expect(verdict('a@box.test')).resolves.toBe('FORBIDDEN');
    await expect(verdict('a@a.b.test')).resolves.toBe('FORBIDDEN');
    await expect(verdict('a@test')).resolves.toBe('ok');
    await expect(verdict('a@contest.cn')).resolves.toBe('ok');
  });
});

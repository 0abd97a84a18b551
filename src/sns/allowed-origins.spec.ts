import { describe, expect, it } from '@jest/globals';
import { allowedRedirectUrl, isAllowedOrigin } from '#src/sns/allowed-origins.js';

const OWN = 'https://account.moretv.com.cn';
const ALLOWED = ['https://www.moretv.com.cn', 'https://*.tvmore.com.cn', 'http://localhost:8080'];

describe(allowedRedirectUrl.name, () => {
  const sut = (raw: string | undefined | null) => allowedRedirectUrl(raw, ALLOWED, OWN);

  it('should keep a URL on an allowed origin, normalized', () => {
    expect(sut('https://www.moretv.com.cn/play?id=1#top')).toBe('https://www.moretv.com.cn/play?id=1#top');
    expect(sut('HTTPS://WWW.MORETV.COM.CN')).toBe('https://www.moretv.com.cn/');
    expect(sut('https://www.moretv.com.cn:443/a')).toBe('https://www.moretv.com.cn/a');
    expect(sut('http://localhost:8080/x')).toBe('http://localhost:8080/x');
  });

  it('should allow the server’s own origin and paths on it', () => {
    expect(sut('https://account.moretv.com.cn/userInfo')).toBe('https://account.moretv.com.cn/userInfo');
    expect(sut('/userInfo?tab=sns')).toBe('https://account.moretv.com.cn/userInfo?tab=sns');
  });

  it('should allow subdomains of a wildcard pattern but not the bare domain', () => {
    expect(sut('https://m.tvmore.com.cn/')).toBe('https://m.tvmore.com.cn/');
    expect(sut('https://a.b.tvmore.com.cn/')).toBe('https://a.b.tvmore.com.cn/');
    expect(sut('https://tvmore.com.cn/')).toBeNull();
    expect(sut('https://eviltvmore.com.cn/')).toBeNull();
  });

  it('should refuse nothing, other origins and look-alikes', () => {
    for (const raw of [
      undefined,
      null,
      '',
      'https://evil.example/',
      'https://www.moretv.com.cn.evil.example/',
      'https://evil.example/?https://www.moretv.com.cn',
      'https://evil.example#@www.moretv.com.cn',
      'https://www.moretv.com.cn@evil.example/',
      'https://user:pw@www.moretv.com.cn/',
      'http://www.moretv.com.cn/', // another scheme
      'https://www.moretv.com.cn:8443/', // another port
      'http://localhost/', // the allowed one has a port
    ]) {
      expect({ raw, result: sut(raw) }).toEqual({ raw, result: null });
    }
  });

  it('should refuse other schemes and every way to smuggle a host into a path', () => {
    for (const raw of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)//https://www.moretv.com.cn',
      'data:text/html,<script>alert(1)</script>',
      '//evil.example/',
      '/\\evil.example/',
      '\\\\evil.example',
      'https:evil.example',
      'https:/evil.example',
      'www.moretv.com.cn/path',
      ' https://www.moretv.com.cn/',
      'https://www.moretv.com.cn/\t',
      'https://www.more\ttv.com.cn/',
      'https://www.moretv.com.cn/\nLocation: https://evil.example',
      '/\u0000/evil.example',
      `https://www.moretv.com.cn/${'a'.repeat(2100)}`,
    ]) {
      expect({ raw, result: sut(raw) }).toEqual({ raw, result: null });
    }
  });
});

describe(isAllowedOrigin.name, () => {
  const sut = (origin: string) => isAllowedOrigin(origin, ALLOWED, OWN);

  it('should accept the server’s own and the configured origins', () => {
    expect(sut('https://account.moretv.com.cn')).toBe(true);
    expect(sut('https://www.moretv.com.cn')).toBe(true);
    expect(sut('https://m.tvmore.com.cn')).toBe(true);
  });

  it('should refuse other, opaque and malformed origins', () => {
    expect(sut('null')).toBe(false);
    expect(sut('https://evil.example')).toBe(false);
    expect(sut('http://account.moretv.com.cn')).toBe(false);
    expect(sut('file://')).toBe(false);
    expect(sut('')).toBe(false);
  });

  it('should ignore a malformed pattern instead of matching everything', () => {
    expect(isAllowedOrigin('https://evil.example', ['https://*.'], OWN)).toBe(false);
    expect(isAllowedOrigin('https://evil.example', ['not a url'], OWN)).toBe(false);
  });
});

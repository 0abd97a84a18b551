import { describe, expect, it } from '@jest/globals';
import { redactUrl } from '#src/common/logging/redact.js';

describe(redactUrl.name, () => {
  const sut = redactUrl;

  it.each([
    [
      'password',
      '/passport/email/login?email=a%40b.com&password=5f4dcc3b',
      '/passport/email/login?email=a%40b.com&password=[REDACTED]',
    ],
    ['token', '/Api/User/info?token=eyJhbGciOi.x.y', '/Api/User/info?token=[REDACTED]'],
    [
      'accessToken',
      '/nggirl/app/bus/phoneUser/info?accessToken=abc&app_id=1',
      '/nggirl/app/bus/phoneUser/info?accessToken=[REDACTED]&app_id=1',
    ],
    [
      'code',
      '/register?phone=13800138000&code=1234&register=1',
      '/register?phone=13800138000&code=[REDACTED]&register=1',
    ],
    [
      'oldPasswd and newPasswd',
      '/passport/modify/passwd?oldPasswd=aaa&newPasswd=bbb',
      '/passport/modify/passwd?oldPasswd=[REDACTED]&newPasswd=[REDACTED]',
    ],
    ['refresh_token', '/x?refresh_token=r1', '/x?refresh_token=[REDACTED]'],
    ['captcha', '/captcha/check?captcha=ab12', '/captcha/check?captcha=[REDACTED]'],
    ['sign', '/nggirl/x?nonce=n&timestamp=1&sign=deadbeef', '/nggirl/x?nonce=n&timestamp=1&sign=[REDACTED]'],
  ])('should redact %s in the query string', (_label, url, expected) => {
    expect(sut(url)).toBe(expected);
  });

  it('should match secret parameter names whatever their case', () => {
    expect(sut('/login?PassWord=hunter2&TOKEN=t')).toBe('/login?PassWord=[REDACTED]&TOKEN=[REDACTED]');
  });

  it('should redact a percent-encoded parameter name, keeping the name as the client wrote it', () => {
    expect(sut('/login?pass%77ord=hunter2&%74oken=t1')).toBe(
      '/login?pass%77ord=[REDACTED]&%74oken=[REDACTED]',
    );
  });

  it('should redact every occurrence of a repeated secret parameter', () => {
    expect(sut('/x?token=a&token=b&page=2')).toBe('/x?token=[REDACTED]&token=[REDACTED]&page=2');
  });

  it('should redact an empty secret value too', () => {
    expect(sut('/x?password=&a=1')).toBe('/x?password=[REDACTED]&a=1');
  });

  it('should keep a parameter name that is not valid percent-encoding as it is', () => {
    expect(sut('/x?%E0%A4%A=1&password=p')).toBe('/x?%E0%A4%A=1&password=[REDACTED]');
  });

  it('should not redact names that only contain a secret word', () => {
    expect(sut('/x?tokenType=jwt&passwordHint=pet&zipcode=100000')).toBe(
      '/x?tokenType=jwt&passwordHint=pet&zipcode=100000',
    );
  });

  it('should keep a bare flag with no value', () => {
    expect(sut('/register?register=1&token')).toBe('/register?register=1&token');
  });

  it.each([
    ['/Api/User/verification/token/s3cr3t', '/Api/User/verification/token/[REDACTED]'],
    ['/Api/User/verification/token/s3cr3t/', '/Api/User/verification/token/[REDACTED]/'],
    ['/Api/User/info/token/s3cr3t?page=1', '/Api/User/info/token/[REDACTED]?page=1'],
    ['/api/user/info/TOKEN/s3cr3t', '/api/user/info/TOKEN/[REDACTED]'],
    ['/eamil/resetpasword/abcdef', '/eamil/resetpasword/[REDACTED]'],
    ['/Api/User/info/token/a?token=b', '/Api/User/info/token/[REDACTED]?token=[REDACTED]'],
  ])('should redact the path segment after a secret segment in %s', (url, expected) => {
    expect(sut(url)).toBe(expected);
  });

  it.each([
    '/passport/email/login',
    '/feed/list?maxId=10&size=20&tz=Asia%2FShanghai',
    '/user/profile?userId=42',
    '/Api/User/tokens',
    '/health',
    '/',
    '/x?a=1&b=&c',
  ])('should leave %s untouched', (url) => {
    expect(sut(url)).toBe(url);
  });

  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsInNpZCI6IjcifQ.c2lnbmF0dXJlLWJ5dGVz';

  // Found by a black-box probe: each reached the log unredacted before.
  it.each([
    ['a short password name', '/login?pass=hunter2', '/login?pass=[REDACTED]'],
    ['Authorization as a parameter', `/x?Authorization=${jwt}`, '/x?Authorization=[REDACTED]'],
    [
      'a matrix parameter',
      '/Api/User/get_user_details;token=t0ken',
      '/Api/User/get_user_details;token=[REDACTED]',
    ],
    ['a percent-encoded secret segment', '/Api/User/info/%74oken/t0ken', '/Api/User/info/%74oken/[REDACTED]'],
    [
      'an empty segment after the secret segment',
      '/Api/User/info/token//t0ken',
      '/Api/User/info/token//[REDACTED]',
    ],
    ['an array-style name', '/x?token[]=t0ken', '/x?token[]=[REDACTED]'],
    ['an encoded array-style name', '/x?token%5B%5D=t0ken', '/x?token%5B%5D=[REDACTED]'],
    ['a NUL in the name', '/x?token%00=t0ken', '/x?token%00=[REDACTED]'],
  ])('should redact %s', (_label, url, expected) => {
    expect(sut(url)).toBe(expected);
  });

  it.each([
    ['in an innocent parameter', `/x?q=${jwt}&page=1`, '/x?q=[REDACTED]&page=1'],
    ['percent-encoded', `/x?q=%65${jwt.slice(1)}`, '/x?q=[REDACTED]'],
    ['as a path segment', `/feed/list/${jwt}/more`, '/feed/list/[REDACTED]/more'],
    ['as a bare query flag', `/x?${jwt}`, '/x?[REDACTED]'],
    ['a refresh token', '/x?r=rt_AbCdEfGhIjKlMnOpQrStUv', '/x?r=[REDACTED]'],
  ])('should redact a credential-shaped value %s', (_label, url, expected) => {
    expect(sut(url)).toBe(expected);
  });
});

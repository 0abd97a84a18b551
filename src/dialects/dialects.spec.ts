import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { DOMAIN_ERROR_CODES } from '#src/common/errors/domain-error.js';
import { DIALECT_NAMES, type AnyDialect } from '#src/dialects/dialect.js';
import { DIALECTS } from '#src/dialects/index.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';

function req(parts: { headers?: Record<string, string>; cookies?: Record<string, unknown> } = {}): Request {
  return { headers: parts.headers ?? {}, cookies: parts.cookies } as unknown as Request;
}

const all: AnyDialect[] = Object.values(DIALECTS);

describe('DIALECTS', () => {
  it('should define every dialect under its own name', () => {
    expect(Object.keys(DIALECTS).sort()).toEqual([...DIALECT_NAMES].sort());
    for (const name of DIALECT_NAMES) expect(DIALECTS[name].name).toBe(name);
  });

  describe.each(all.map((d) => [d.name, d] as const))('%s', (_name, sut) => {
    it('should give every catalogue entry a Chinese and an English text', () => {
      for (const [code, text] of Object.entries(
        sut.messages as Record<string, { zh: unknown; en: unknown }>,
      )) {
        expect([code, typeof text.zh, typeof text.en]).toEqual([code, 'string', 'string']);
        expect([code, (text.zh as string).trim().length > 0, (text.en as string).trim().length > 0]).toEqual([
          code,
          true,
          true,
        ]);
      }
    });

    it('should not map a failure to its success code', () => {
      for (const domainCode of DOMAIN_ERROR_CODES) expect(sut.errors[domainCode]).not.toBe(sut.success.code);
    });

    it('should document path prefixes that start with a slash and do not end with one', () => {
      expect(sut.pathPrefixes.length).toBeGreaterThan(0);
      for (const prefix of sut.pathPrefixes) expect(prefix).toMatch(/^\/[^?#]*[^/]$/);
    });
  });
});

describe(nuzzle.name, () => {
  const sut = nuzzle;

  it('should wrap success as {ret:200,data}', () => {
    expect(sut.envelope.wrapSuccess({ id: '1' }, { code: 'OK', message: '成功' })).toEqual({
      ret: 200,
      data: { id: '1' },
    });
    expect(sut.envelope.wrapSuccess(true, { code: 'OK', message: '成功' })).toEqual({ ret: 200, data: true });
  });

  it('should wrap failure as {ret:500,errcode} with no message', () => {
    expect(sut.envelope.wrapFailure({ code: 'USER_HAS_EXIST', message: '用户已经存在' })).toEqual({
      ret: 500,
      errcode: 'USER_HAS_EXIST',
    });
  });

  it.each([
    ['a bare token', 'abc.def.ghi', 'abc.def.ghi'],
    ['a Bearer token', 'Bearer abc.def.ghi', 'abc.def.ghi'],
    ['a token with spaces around', '  abc  ', 'abc'],
    ['an empty Bearer', 'Bearer ', undefined],
    ['a lower-case bearer token', 'bearer abc.def.ghi', 'abc.def.ghi'],
    ['only spaces', '   ', undefined],
  ])('should read %s from the Authorization header', (_label, header, expected) => {
    expect(sut.extractToken(req({ headers: { authorization: header } }), {})).toBe(expected);
  });

  it('should find no token without an Authorization header, whatever the parameters say', () => {
    expect(sut.extractToken(req(), { token: 't', accessToken: 't' })).toBeUndefined();
  });
});

describe(xiaoma.name, () => {
  const sut = xiaoma;

  it('should wrap success as {data,info,code:1000,state:1}', () => {
    expect(sut.envelope.wrapSuccess({ uid: '1' }, { code: 1000, message: '注册成功' })).toEqual({
      data: { uid: '1' },
      info: '注册成功',
      code: 1000,
      state: 1,
    });
  });

  it('should render no data as an empty string', () => {
    expect(sut.envelope.wrapSuccess(undefined, { code: 1000, message: '成功' })).toEqual({
      data: '',
      info: '成功',
      code: 1000,
      state: 1,
    });
    expect(sut.envelope.wrapSuccess(null, { code: 1000, message: '成功' })).toEqual({
      data: '',
      info: '成功',
      code: 1000,
      state: 1,
    });
  });

  it('should wrap failure as {data:"",info,code,state:2}', () => {
    expect(sut.envelope.wrapFailure({ code: 1007, message: '该账号已存在' })).toEqual({
      data: '',
      info: '该账号已存在',
      code: 1007,
      state: 2,
    });
  });

  it('should read the token from the merged parameters (path segment or query)', () => {
    expect(sut.extractToken(req(), { token: 'abc' })).toBe('abc');
    expect(sut.extractToken(req({ headers: { authorization: 'hdr' } }), {})).toBeUndefined();
    expect(sut.extractToken(req(), { token: '' })).toBeUndefined();
    expect(sut.extractToken(req(), { token: ['a', 'b'] })).toBeUndefined();
    expect(sut.extractToken(req(), { token: { $ne: '' } })).toBeUndefined();
  });
});

describe(moretv.name, () => {
  const sut = moretv;

  it('should wrap success with no data as {status:200,errcode,message}', () => {
    expect(sut.envelope.wrapSuccess(undefined, { code: 1, message: '成功修改密码' })).toEqual({
      status: 200,
      errcode: 1,
      message: '成功修改密码',
    });
    expect(sut.envelope.wrapSuccess(null, { code: 1, message: '成功' })).toEqual({
      status: 200,
      errcode: 1,
      message: '成功',
    });
  });

  it('should carry the payload in message when there is one', () => {
    expect(sut.envelope.wrapSuccess('avatar url', { code: 0, message: '上传成功' })).toEqual({
      status: 200,
      errcode: 0,
      message: 'avatar url',
    });
  });

  it('should wrap failure as {status:200,errcode,message}', () => {
    expect(sut.envelope.wrapFailure({ code: -6, message: '该Email已经被注册' })).toEqual({
      status: 200,
      errcode: -6,
      message: '该Email已经被注册',
    });
  });

  it('should answer the login variant as {status,err_msg}', () => {
    expect(sut.variants.login.wrapSuccess({ ignored: true }, { code: 0, message: '成功' })).toEqual({
      status: 0,
      err_msg: '',
    });
    expect(sut.variants.login.wrapFailure({ code: -2, message: '密码错误' })).toEqual({
      status: -2,
      err_msg: '密码错误',
    });
  });

  it('should escape the message of its error page', () => {
    const page = sut.errorPage!({ code: -1, message: '<script>x</script>' }, 'zh', '');
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('href="/user/login"');
  });

  it('should link its error page to the sign-in page where the dialect is mounted', () => {
    expect(sut.errorPage!({ code: -1, message: 'x' }, 'en', '/tv')).toContain('href="/tv/user/login"');
  });

  it('should read the token from the moretv_session cookie only', () => {
    expect(sut.extractToken(req({ cookies: { moretv_session: 's1' } }), {})).toBe('s1');
    expect(sut.extractToken(req({ cookies: { moretv_session: '' } }), {})).toBeUndefined();
    expect(sut.extractToken(req({ cookies: { other: 's1' } }), { token: 't' })).toBeUndefined();
    expect(sut.extractToken(req({ headers: { authorization: 'Bearer x' } }), {})).toBeUndefined();
  });
});

describe(mrpyq.name, () => {
  const sut = mrpyq;

  it('should wrap success as {result:"0000",message:<payload>}', () => {
    expect(sut.envelope.wrapSuccess({ uid: '13800138000' }, { code: '0000', message: '成功' })).toEqual({
      result: '0000',
      message: { uid: '13800138000' },
    });
    expect(sut.envelope.wrapSuccess(undefined, { code: '0000', message: '成功' })).toEqual({
      result: '0000',
      message: null,
    });
  });

  it('should put route fields beside result and message, never in their place', () => {
    expect(
      sut.envelope.wrapSuccess({ uid: '1' }, { code: '0000', message: '成功' }, { flag: '1', result: 'x' }),
    ).toEqual({ result: '0000', message: { uid: '1' }, flag: '1' });
  });

  it('should wrap failure as {result,message:<text>}', () => {
    expect(sut.envelope.wrapFailure({ code: '0001', message: '该手机号已被注册' })).toEqual({
      result: '0001',
      message: '该手机号已被注册',
    });
  });

  it('should read the token parameter', () => {
    expect(sut.extractToken(req(), { token: 'abc' })).toBe('abc');
    expect(sut.extractToken(req(), { accessToken: 'abc' })).toBeUndefined();
    expect(sut.extractToken(req(), { token: 42 })).toBeUndefined();
  });
});

describe(nggirl.name, () => {
  const sut = nggirl;

  it('should wrap success as {code:0,data}', () => {
    expect(sut.envelope.wrapSuccess({ id: 1 }, { code: 0, message: '成功' })).toEqual({
      code: 0,
      data: { id: 1 },
    });
    expect(sut.envelope.wrapSuccess(undefined, { code: 0, message: '成功' })).toEqual({
      code: 0,
      data: null,
    });
  });

  it('should wrap failure as {code,data:null,message}', () => {
    expect(sut.envelope.wrapFailure({ code: 1, message: '用户未注册' })).toEqual({
      code: 1,
      data: null,
      message: '用户未注册',
    });
  });

  it('should read the accessToken parameter', () => {
    expect(sut.extractToken(req(), { accessToken: 'abc' })).toBe('abc');
    expect(sut.extractToken(req(), { token: 'abc' })).toBeUndefined();
    expect(sut.extractToken(req({ headers: { authorization: 'abc' } }), {})).toBeUndefined();
  });
});

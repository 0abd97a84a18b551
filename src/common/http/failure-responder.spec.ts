import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Response } from 'express';
import multer from 'multer';
import { pino } from 'pino';
import { QueryFailedError } from 'typeorm';
import type { RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import { DOMAIN_ERROR_CODES, DomainError } from '#src/common/errors/domain-error.js';
import type { ConcordRequest, RouteContext } from '#src/common/http/concord-request.js';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { domainCodeOf, FailureResponder } from '#src/common/http/failure-responder.js';
import { DIALECT_NAMES, type DialectName } from '#src/dialects/dialect.js';
import { DIALECTS } from '#src/dialects/index.js';

/** What body-parser hands to the next error handler (an http-errors error). */
function bodyParserError(status: number, type: string): Error {
  return Object.assign(new Error(type), { status, statusCode: status, expose: true, type });
}

describe(domainCodeOf.name, () => {
  const sut = domainCodeOf;

  it.each(DOMAIN_ERROR_CODES)('should keep the code of a DomainError %s', (code) => {
    expect(sut(new DomainError(code))).toBe(code);
  });

  it.each([
    [400, 'INVALID_PARAMS', new BadRequestException()],
    [401, 'UNAUTHENTICATED', new UnauthorizedException()],
    [403, 'FORBIDDEN', new ForbiddenException()],
    [404, 'ROUTE_NOT_FOUND', new NotFoundException('Cannot GET /x')],
    [405, 'ROUTE_NOT_FOUND', new MethodNotAllowedException()],
    [413, 'PAYLOAD_TOO_LARGE', new PayloadTooLargeException()],
    [429, 'RATE_LIMITED', new HttpException('slow down', HttpStatus.TOO_MANY_REQUESTS)],
    [422, 'INVALID_PARAMS', new HttpException('unprocessable', HttpStatus.UNPROCESSABLE_ENTITY)],
    [500, 'INTERNAL', new InternalServerErrorException()],
    [503, 'INTERNAL', new HttpException('unavailable', HttpStatus.SERVICE_UNAVAILABLE)],
  ])('should map an HttpException %s to %s', (_status, code, exception) => {
    expect(sut(exception)).toBe(code);
  });

  it('should map a malformed body (body-parser 400) to INVALID_PARAMS', () => {
    expect(sut(bodyParserError(400, 'entity.parse.failed'))).toBe('INVALID_PARAMS');
  });

  it('should map a body over the limit (body-parser 413) to PAYLOAD_TOO_LARGE', () => {
    expect(sut(bodyParserError(413, 'entity.too.large'))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('should read statusCode when status is absent', () => {
    expect(sut(Object.assign(new Error('too large'), { statusCode: 413, expose: true }))).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('should treat an error with a 4xx status that is not exposed (an upstream client error) as a crash', () => {
    expect(sut(Object.assign(new Error('upstream said 404'), { status: 404 }))).toBe('INTERNAL');
    expect(sut(Object.assign(new Error('upstream said 400'), { statusCode: 400, expose: false }))).toBe(
      'INTERNAL',
    );
  });

  it('should map a multer LIMIT_FILE_SIZE error to PAYLOAD_TOO_LARGE', () => {
    expect(sut(new multer.MulterError('LIMIT_FILE_SIZE', 'avatar'))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('should map any other multer error to INVALID_PARAMS', () => {
    expect(sut(new multer.MulterError('LIMIT_UNEXPECTED_FILE', 'x'))).toBe('INVALID_PARAMS');
    expect(sut(new multer.MulterError('LIMIT_FILE_COUNT'))).toBe('INVALID_PARAMS');
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    [
      'a database error with a string code',
      Object.assign(new Error('relation does not exist'), { code: '42P01' }),
    ],
    ['a string', 'boom'],
    ['null', null],
    ['undefined', undefined],
    ['an object with a non-error status', { status: 200 }],
    ['an object with a status out of range', { status: 600 }],
    ['an object with a textual status', { status: '400' }],
  ])('should map %s to INTERNAL', (_label, exception) => {
    expect(sut(exception)).toBe('INTERNAL');
  });
});

interface FakeResponse {
  res: Response;
  sent: { status?: number; body?: unknown };
}

function fakeResponse(headersSent = false): FakeResponse {
  const sent: FakeResponse['sent'] = {};
  const res = {
    headersSent,
    status(code: number) {
      sent.status = code;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

function fakeRequest(
  path: string,
  options: { concord?: RouteContext; query?: object; body?: unknown; id?: string } = {},
): ConcordRequest {
  return {
    path,
    id: options.id ?? 'req-1',
    concord: options.concord,
    query: options.query ?? {},
    body: options.body,
  } as unknown as ConcordRequest;
}

function route(dialect: DialectName, reply: Omit<RouteReplyMetadata, 'dialect'> = {}): RouteContext {
  return { dialect, reply: { ...reply, dialect } };
}

describe(FailureResponder.name, () => {
  let lines: string[];
  let sut: FailureResponder;

  const allDialects = {
    dialects: {
      enabled: [...DIALECT_NAMES],
      prefixes: { nuzzle: '', moretv: '', mrpyq: '', nggirl: '', xiaoma: '' },
    },
  };

  beforeEach(() => {
    lines = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    sut = new FailureResponder(new DialectResolver(allDialects), logger);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const respond = (exception: unknown, req: ConcordRequest, headersSent = false) => {
    const { res, sent } = fakeResponse(headersSent);
    sut.respond(exception, req, res);
    return sent;
  };

  it.each<[DialectName, unknown]>([
    ['nuzzle', { ret: 500, errcode: 'USER_HAS_EXIST' }],
    ['xiaoma', { data: '', info: '该账号已存在', code: 1007, state: 2 }],
    ['moretv', { status: 200, errcode: -6, message: '该Email已经被注册' }],
    ['mrpyq', { result: '0001', message: '该手机号已被注册' }],
    ['nggirl', { code: 4, data: null, message: '手机号已注册' }],
  ])('should answer a business error of a %s route with HTTP 200 and its envelope', (dialect, body) => {
    const sent = respond(
      new DomainError('ACCOUNT_EXISTS'),
      fakeRequest('/anything', { concord: route(dialect) }),
    );
    expect(sent).toEqual({ status: 200, body });
  });

  it('should answer a validation failure of a nuzzle route with PARAM_ERROR', () => {
    const sent = respond(
      new DomainError('INVALID_PARAMS'),
      fakeRequest('/passport/email/login', { concord: route('nuzzle') }),
    );
    expect(sent).toEqual({ status: 200, body: { ret: 500, errcode: 'PARAM_ERROR' } });
  });

  it('should answer a missing token with the dialect not-logged-in code', () => {
    const sent = respond(
      new UnauthorizedException(),
      fakeRequest('/user/profile', { concord: route('nuzzle') }),
    );
    expect(sent).toEqual({ status: 200, body: { ret: 500, errcode: 'USER_NOT_LOGIN' } });
  });

  it('should keep 413 and 429 as the status, in the envelope', () => {
    expect(respond(bodyParserError(413, 'entity.too.large'), fakeRequest('/passport/email/login'))).toEqual({
      status: 413,
      body: { ret: 500, errcode: 'PARAM_ERROR' },
    });
    expect(
      respond(new DomainError('RATE_LIMITED'), fakeRequest('/register', { concord: route('mrpyq') })),
    ).toEqual({
      status: 429,
      body: { result: '0012', message: '请求过于频繁' },
    });
  });

  it('should apply a route override of code and message before the dialect default', () => {
    const concord = route('xiaoma', {
      overrides: { CODE_INVALID: { code: 1013, message: '验证码错误或已过期' } },
    });
    const sent = respond(
      new DomainError('CODE_INVALID'),
      fakeRequest('/Api/User/retrieve_password', { concord }),
    );
    expect(sent).toEqual({
      status: 200,
      body: { data: '', info: '验证码错误或已过期', code: 1013, state: 2 },
    });
  });

  it('should take the overriding code message from the catalogue when the override names only a code', () => {
    const concord = route('xiaoma', { overrides: { CODE_INVALID: { code: 1013 } } });
    const sent = respond(
      new DomainError('CODE_INVALID'),
      fakeRequest('/Api/User/retrieve_password', { concord }),
    );
    expect(sent.body).toEqual({ data: '', info: '验证码有误', code: 1013, state: 2 });
  });

  it('should take the default code and a new message when the override names only a message', () => {
    const concord = route('moretv', { overrides: { UNAUTHENTICATED: { message: '请先登录' } } });
    const sent = respond(new DomainError('UNAUTHENTICATED'), fakeRequest('/userInfo/get', { concord }));
    expect(sent.body).toEqual({ status: 200, errcode: -3, message: '请先登录' });
  });

  it('should use the dialect default for codes the route does not override', () => {
    const concord = route('xiaoma', { overrides: { CODE_INVALID: { code: 1013 } } });
    const sent = respond(
      new DomainError('USER_NOT_FOUND'),
      fakeRequest('/Api/User/retrieve_password', { concord }),
    );
    expect(sent.body).toEqual({ data: '', info: '用户不存在', code: 1015, state: 2 });
  });

  it('should ignore overrides declared for another dialect', () => {
    const concord: RouteContext = {
      dialect: 'xiaoma',
      reply: { dialect: 'moretv', overrides: { CODE_INVALID: { code: -9, message: 'moretv only' } } },
    };
    const sent = respond(new DomainError('CODE_INVALID'), fakeRequest('/Api/User/register', { concord }));
    expect(sent.body).toEqual({ data: '', info: '验证码有误', code: 1008, state: 2 });
  });

  it('should answer in the route variant (moretv login)', () => {
    const sent = respond(
      new DomainError('BAD_CREDENTIALS'),
      fakeRequest('/user/login', { concord: route('moretv', { variant: 'login' }) }),
    );
    expect(sent).toEqual({ status: 200, body: { status: -1, err_msg: '操作失败' } });
  });

  it('should resolve the message in English for nuzzle when locale asks for it, leaving the envelope as documented', () => {
    const wrapFailure = jest.spyOn(DIALECTS.nuzzle.envelope, 'wrapFailure');
    const sent = respond(
      new DomainError('BAD_CREDENTIALS'),
      fakeRequest('/passport/email/login', { concord: route('nuzzle'), body: { locale: 'en_US' } }),
    );
    expect(wrapFailure).toHaveBeenCalledWith({
      code: 'PASSWD_NOT_MATCH',
      message: 'Password does not match',
    });
    expect(sent.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should read locale from the query string too, and default to Chinese', () => {
    const wrapFailure = jest.spyOn(DIALECTS.nuzzle.envelope, 'wrapFailure');
    respond(
      new DomainError('BAD_CREDENTIALS'),
      fakeRequest('/passport/email/login', { query: { locale: 'en' } }),
    );
    respond(
      new DomainError('BAD_CREDENTIALS'),
      fakeRequest('/passport/email/login', { query: { locale: 'zh_CN' } }),
    );
    respond(new DomainError('BAD_CREDENTIALS'), fakeRequest('/passport/email/login'));
    expect(wrapFailure.mock.calls.map(([status]) => status.message)).toEqual([
      'Password does not match',
      '密码不匹配',
      '密码不匹配',
    ]);
  });

  it('should answer dialects without a locale parameter in Chinese whatever locale says', () => {
    const sent = respond(
      new DomainError('USER_NOT_FOUND'),
      fakeRequest('/Api/User/login', { concord: route('xiaoma'), query: { locale: 'en_US' } }),
    );
    expect(sent.body).toEqual({ data: '', info: '用户不存在', code: 1015, state: 2 });
  });

  it.each([
    ['/passport/nope', { ret: 500, errcode: 'NOT_ALLOWED' }],
    ['/user/login', { status: 200, errcode: -1, message: '操作失败' }],
    ['/user/nope', { ret: 500, errcode: 'NOT_ALLOWED' }],
    ['/api/user/nope', { data: '', info: '缺少必须参数', code: 997, state: 2 }],
    ['/register', { result: '0002', message: '其他错误' }],
    ['/nggirl/app/nope', { code: 11, data: null, message: '不允许的操作' }],
  ])('should answer an unknown route %s in the dialect its path belongs to, with 404', (path, body) => {
    expect(respond(new NotFoundException(`Cannot GET ${path}`), fakeRequest(path))).toEqual({
      status: 404,
      body,
    });
  });

  it('should answer plain JSON with the request id on a path no dialect claims', () => {
    const sent = respond(
      new NotFoundException('Cannot GET /nowhere'),
      fakeRequest('/nowhere', { id: 'rid-7' }),
    );
    expect(sent).toEqual({
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /nowhere' }, requestId: 'rid-7' },
    });
  });

  it('should answer the DomainError message in plain JSON', () => {
    const sent = respond(new DomainError('RATE_LIMITED', 'slow down'), fakeRequest('/health'));
    expect(sent).toEqual({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'slow down' }, requestId: 'req-1' },
    });
  });

  it('should not echo the message of a foreign error in plain JSON', () => {
    const sent = respond(
      bodyParserError(400, 'Unexpected token } in JSON at position 9'),
      fakeRequest('/dev/x'),
    );
    expect(sent).toEqual({
      status: 400,
      body: { error: { code: 'INVALID_PARAMS', message: 'INVALID_PARAMS' }, requestId: 'req-1' },
    });
  });

  it.each<[DialectName, string, unknown]>([
    ['nuzzle', '/passport/email/login', { ret: 500, errcode: 'SERVER_ERROR' }],
    ['xiaoma', '/Api/User/login', { data: '', info: '操作失败,请稍后重试', code: 998, state: 2 }],
    ['moretv', '/user/login', { status: 200, errcode: -1, message: '操作失败' }],
    ['mrpyq', '/register', { result: '0006', message: '未知错误' }],
    ['nggirl', '/nggirl/app/bus/phoneUser/login', { code: 99, data: null, message: '系统错误' }],
  ])('should answer a crash of a %s route with 500 and the generic server error', (dialect, path, body) => {
    const crash = new Error('relation "user_credentials" does not exist');
    expect(respond(crash, fakeRequest(path, { concord: route(dialect) }))).toEqual({ status: 500, body });
  });

  it('should answer a crash on an unclaimed path without its message', () => {
    const sent = respond(new Error('SELECT secret FROM somewhere'), fakeRequest('/health', { id: 'rid-9' }));
    expect(sent).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Internal server error' }, requestId: 'rid-9' },
    });
  });

  it('should log a crash once, at error level, with the request id and the error', () => {
    respond(
      new Error('boom'),
      fakeRequest('/passport/email/login', { id: 'rid-crash', concord: route('nuzzle') }),
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]) as {
      level: number;
      reqId: string;
      msg: string;
      err: { message: string; stack: string };
    };
    expect(entry).toMatchObject({
      level: 50,
      reqId: 'rid-crash',
      msg: 'unhandled error',
      err: { message: 'boom' },
    });
    expect(entry.err.stack).toContain('Error: boom');
  });

  it('should log the SQL of a failed query, but neither its parameters nor the offending values', () => {
    const driverError = Object.assign(
      new Error('duplicate key value violates unique constraint "sessions_pkey"'),
      {
        code: '23505',
        detail: 'Key (token_hash)=(leaked-token-digest) already exists.',
      },
    );
    const failure = new QueryFailedError(
      'INSERT INTO "user_credentials"("user_id", "password_hash") VALUES ($1, $2)',
      ['7', '$argon2id$v=19$m=19456,t=2,p=1$leaked-hash'],
      driverError,
    );
    respond(failure, fakeRequest('/passport/email/register', { id: 'rid-sql', concord: route('nuzzle') }));

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('leaked');
    const entry = JSON.parse(lines[0]) as { reqId: string; err: Record<string, unknown> };
    expect(entry.reqId).toBe('rid-sql');
    expect(entry.err).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "sessions_pkey"',
      code: '23505',
      query: 'INSERT INTO "user_credentials"("user_id", "password_hash") VALUES ($1, $2)',
    });
    expect(entry.err.stack).toEqual(expect.stringContaining('QueryFailedError'));
    // The error the application holds is left as it was.
    expect(failure.parameters).toEqual(['7', '$argon2id$v=19$m=19456,t=2,p=1$leaked-hash']);
  });

  it.each([
    ['a DomainError', new DomainError('BAD_CREDENTIALS')],
    ['an unknown route', new NotFoundException()],
    ['a malformed body', bodyParserError(400, 'entity.parse.failed')],
    ['a body over the limit', bodyParserError(413, 'entity.too.large')],
  ])('should not log %s', (_label, exception) => {
    respond(exception, fakeRequest('/passport/email/login'));
    expect(lines).toEqual([]);
  });

  it('should write nothing once headers were sent, but still log a crash', () => {
    const { res, sent } = fakeResponse(true);
    const status = jest.spyOn(res, 'status');
    const json = jest.spyOn(res, 'json');
    sut.respond(new Error('late crash'), fakeRequest('/passport/email/login', { id: 'rid-late' }), res);
    expect(status).not.toHaveBeenCalled();
    expect(json).not.toHaveBeenCalled();
    expect(sent).toEqual({});
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 50, reqId: 'rid-late' });
  });

  it('should write nothing for a business error once headers were sent', () => {
    expect(respond(new DomainError('ACCOUNT_EXISTS'), fakeRequest('/passport/x'), true)).toEqual({});
    expect(lines).toEqual([]);
  });

  it('should answer plain JSON for a disabled dialect path', () => {
    const onlyXiaoma = new FailureResponder(
      new DialectResolver({ dialects: { ...allDialects.dialects, enabled: ['xiaoma'] } }),
      pino({ enabled: false }),
    );
    const { res, sent } = fakeResponse();
    onlyXiaoma.respond(
      new NotFoundException('Cannot POST /passport/email/login'),
      fakeRequest('/passport/email/login'),
      res,
    );
    expect(sent).toEqual({
      status: 404,
      body: {
        error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot POST /passport/email/login' },
        requestId: 'req-1',
      },
    });
  });
});

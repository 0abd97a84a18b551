import { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TWO_MB = 2 * 1024 * 1024;

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { id?: string };
  res?: { statusCode: number };
  err?: unknown;
}

const parseLogs = (t: TestApp): LogLine[] => t.logs.map((line) => JSON.parse(line) as LogLine);

describe('request pipeline', () => {
  let t: TestApp;
  let user: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_BYTES: '4096' } });
    user = await registerNuzzleUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('body parsing', () => {
    it('should answer malformed JSON with PARAM_ERROR in the dialect of the path', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .set('Content-Type', 'application/json')
        .send('{"email": "a@b.com", "password": ');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should answer a 2 MB JSON body with 413 in the nuzzle envelope', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: user.password, pad: 'x'.repeat(TWO_MB) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should answer a 2 MB urlencoded body with 413 in the nuzzle envelope', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .type('form')
        .send(`email=${encodeURIComponent(user.email)}&password=${user.password}&pad=${'x'.repeat(TWO_MB)}`);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should answer an uploaded file over UPLOAD_MAX_BYTES with 413 in the nuzzle envelope', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .field('email', user.email)
        .field('password', user.password)
        .attach('avatar', Buffer.alloc(8192, 1), 'avatar.png');
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should answer a 413 in the xiaoma envelope on a xiaoma path', async () => {
      const res = await t.http.post('/Api/User/login').send({ pad: 'x'.repeat(TWO_MB) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ data: '', info: '输入的信息有误', code: 1001, state: 2 });
    });

    it('should ignore a text/plain body rather than crash, using the query string', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .query({ email: user.email, password: user.password })
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ email: 'someone-else@example.com', password: 'nope' }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ret: 200,
        data: expect.objectContaining({ id: user.id, email: user.email, token: expect.any(String) }),
      });
    });

    it('should answer PARAM_ERROR when the only parameters were in a text/plain body', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .set('Content-Type', 'text/plain')
        .send(`email=${user.email}&password=${user.password}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should take parameters from a JSON body sent as text/json', async () => {
      const res = await t.http
        .post('/passport/email/login')
        .set('Content-Type', 'text/json')
        .send(JSON.stringify({ email: user.email, password: user.password }));
      expect(res.body).toEqual({ ret: 200, data: expect.objectContaining({ id: user.id }) });
    });
  });

  describe('unknown routes', () => {
    it('should answer an unknown route under /passport with 404 and NOT_ALLOWED', async () => {
      const res = await t.http.post('/passport/email/nope').send({ email: 'a@b.com' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    });

    it('should answer a known path on a method it does not serve in its dialect', async () => {
      const res = await t.http.delete('/passport/email/login');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    });

    it.each(['/Api/User/nope', '/api/user/nope', '/API/USER'])(
      'should answer the unknown route %s in the xiaoma envelope',
      async (path) => {
        const res = await t.http.post(path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ data: '', info: '缺少必须参数', code: 997, state: 2 });
      },
    );

    it('should answer /userInfo/nope, a moretv path with no route, in the moretv envelope', async () => {
      const res = await t.http.post('/userInfo/nope').type('form').send({ email: 'a@b.com', password: 'x' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: 200, errcode: -1, message: '操作失败' });
    });

    it('should answer an unknown /user path in the nuzzle envelope (the shorter prefix)', async () => {
      const res = await t.http.get('/user/nope');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    });

    it('should answer GET /register, a mrpyq path, in the mrpyq envelope', async () => {
      const res = await t.http.get('/register').query({ register: 1, phone: '13800138000' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ result: '0002', message: '其他错误' });
    });

    it('should answer an unknown nggirl path in the nggirl envelope', async () => {
      const res = await t.http.post('/nggirl/app/bus/phoneUser/nope');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 11, data: null, message: '不允许的操作' });
    });

    it('should answer a path no dialect claims in plain JSON with the request id', async () => {
      const res = await t.http.get('/nowhere/at/all').set('X-Request-Id', 'plain-404-check');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /nowhere/at/all' },
        requestId: 'plain-404-check',
      });
    });

    it('should answer /registerx, which only starts like a mrpyq path, in plain JSON', async () => {
      const res = await t.http.get('/registerx');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /registerx' },
        requestId: res.headers['x-request-id'],
      });
    });
  });

  describe('caching', () => {
    it('should compute no ETag for API answers, so a remembered tag never turns one into an empty 304', async () => {
      const first = await t.http.get('/user/profile').set('authorization', user.token);
      expect(first.body).toMatchObject({ ret: 200 });
      expect(first.headers.etag).toBeUndefined();
      const again = await t.http
        .get('/user/profile')
        .set('authorization', user.token)
        .set('if-none-match', 'W/"a-tag-from-somewhere"');
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    });
  });

  describe('request objects (src/common/http/concord-express.adapter.ts)', () => {
    it('should create requests and responses with Express’s prototypes, so Express never has to swap them', async () => {
      const swapped: string[] = [];
      const setPrototypeOf = Object.setPrototypeOf;
      Object.setPrototypeOf = (target: object, prototype: object | null) => {
        const changes = Object.getPrototypeOf(target) !== prototype;
        if (changes && target instanceof IncomingMessage) swapped.push('request');
        if (changes && target instanceof ServerResponse) swapped.push('response');
        return setPrototypeOf(target, prototype) as object;
      };
      let res;
      try {
        res = await t.http.get('/user/profile').set('authorization', user.token);
      } finally {
        Object.setPrototypeOf = setPrototypeOf;
      }

      expect(res.body).toMatchObject({ ret: 200, data: { id: user.id } });
      expect(swapped).toEqual([]);
    });
  });

  describe('request ids', () => {
    it('should echo a sane incoming X-Request-Id', async () => {
      const res = await t.http.get('/health').set('X-Request-Id', 'edge-7f3a:01.b_c-d');
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('edge-7f3a:01.b_c-d');
    });

    it.each([
      ['spaces', 'has spaces in it'],
      ['markup', '<script>alert(1)</script>'],
      ['65 characters', 'a'.repeat(65)],
      ['a semicolon', 'abc;def'],
      ['an empty value', ''],
    ])('should replace an incoming X-Request-Id with %s by a generated one', async (_label, incoming) => {
      const res = await t.http.get('/nowhere').set('X-Request-Id', incoming);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it('should generate a different id for each request without one', async () => {
      const first = await t.http.get('/health');
      const second = await t.http.get('/health');
      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('should accept a 64-character id', async () => {
      const id = 'b'.repeat(64);
      const res = await t.http.get('/health').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toBe(id);
    });
  });

  describe('locale', () => {
    it('should not change the nuzzle failure envelope for locale=en_US', async () => {
      const inBody = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: md5('wrong'), locale: 'en_US' });
      const inQuery = await t.http
        .post('/passport/email/login')
        .query({ locale: 'en_US' })
        .send({ email: user.email, password: md5('wrong') });
      expect(inBody.status).toBe(200);
      expect(inBody.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
      expect(inQuery.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
    });

    it('should not change the nuzzle success envelope for locale=en_US', async () => {
      const english = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: user.password, locale: 'en_US' });
      const chinese = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: user.password });
      const withoutToken = (body: { data: Record<string, unknown> }) => ({
        ...body,
        data: { ...body.data, token: '' },
      });
      expect(english.body.ret).toBe(200);
      expect(withoutToken(english.body)).toEqual(withoutToken(chinese.body));
    });

    it('should not change the nuzzle envelope of an unknown route for locale=en', async () => {
      const res = await t.http.get('/passport/nope').query({ locale: 'en' });
      expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    });
  });
});

describe('request pipeline on a crash', () => {
  let t: TestApp;
  let user: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerNuzzleUser(t);
    await t.db.query('DROP TABLE user_credentials CASCADE');
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer HTTP 500 with exactly the generic server error, and log it once with the request id', async () => {
    const res = await t.http
      .post('/passport/email/login')
      .set('X-Request-Id', 'crash-login-1')
      .send({ email: user.email, password: user.password });

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ ret: 500, errcode: 'SERVER_ERROR' });
    expect(res.text).toBe('{"ret":500,"errcode":"SERVER_ERROR"}');
    expect(res.headers['x-request-id']).toBe('crash-login-1');

    const errors = parseLogs(t).filter((line) => line.level >= 50);
    const ofThisRequest = errors.filter(
      (line) => line.reqId === 'crash-login-1' || line.req?.id === 'crash-login-1',
    );
    expect(ofThisRequest).toHaveLength(1);
    expect(ofThisRequest[0]).toMatchObject({
      msg: 'unhandled error',
      reqId: 'crash-login-1',
      // TypeORM's QueryFailedError, or pg's own DatabaseError on the prepared hot-path queries.
      err: {
        type: expect.stringMatching(/^(QueryFailedError|DatabaseError)$/),
        message: 'relation "user_credentials" does not exist',
      },
    });
    // The access line of the same request is there too, as a warning.
    const access = parseLogs(t).filter((line) => line.req?.id === 'crash-login-1');
    expect(access).toEqual([
      expect.objectContaining({ level: 40, reqId: 'crash-login-1', res: { statusCode: 500 } }),
    ]);
  });

  it('should log the SQL of a failed query but never its parameters', async () => {
    const res = await t.http
      .post('/passport/email/register')
      .set('X-Request-Id', 'crash-register-1')
      .send({ email: 'crash-register@example.com', password: md5('pw'), nickname: 'Crash' });
    expect(res.status).toBe(500);

    const [crash, ...others] = parseLogs(t).filter(
      (line) => line.level >= 50 && line.reqId === 'crash-register-1',
    ) as Array<LogLine & { err: Record<string, unknown> }>;
    expect(others).toEqual([]);
    expect(crash.err.query).toEqual(expect.stringMatching(/INSERT INTO "?user_credentials"?/));
    expect(crash.err).not.toHaveProperty('parameters');
    expect(crash.err).not.toHaveProperty('driverError');
    // The stored credential (argon2 of the digest) was among the parameters: it reaches no log line.
    expect(t.logs.join('\n')).not.toContain('$argon2id$');
  });

  it('should keep SQL and stack traces out of the body of a crash in another route', async () => {
    const res = await t.http.post('/passport/email/register').send({
      email: 'another@example.com',
      password: md5('pw'),
      nickname: 'Another',
    });
    expect(res.status).toBe(500);
    expect(res.text).toBe('{"ret":500,"errcode":"SERVER_ERROR"}');
  });

  it('should still answer requests that do not touch the broken table', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });
});

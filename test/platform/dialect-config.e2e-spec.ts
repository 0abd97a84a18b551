import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5 } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const registration = () => ({
  email: `dialect-${randomUUID().slice(0, 8)}@example.com`,
  password: md5('pw'),
  nickname: 'Prefixed',
});

const nuzzleAccount = (email: string) => ({
  ret: 200,
  data: expect.objectContaining({ email, token: expect.any(String), id: expect.stringMatching(/^\d+$/) }),
});

describe('DIALECTS=xiaoma', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DIALECTS: 'xiaoma' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should not serve nuzzle routes, and answer them in plain JSON since nuzzle is disabled', async () => {
    const res = await t.http
      .post('/passport/email/login')
      .set('X-Request-Id', 'disabled-1')
      .send(registration());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot POST /passport/email/login' },
      requestId: 'disabled-1',
    });
  });

  it('should not serve the nuzzle profile either', async () => {
    const res = await t.http.get('/user/profile').set('X-Request-Id', 'disabled-2');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /user/profile' },
      requestId: 'disabled-2',
    });
  });

  it('should still answer malformed JSON on a disabled dialect path, in plain JSON', async () => {
    const res = await t.http
      .post('/passport/email/login')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'disabled-3')
      .send('{"email":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'INVALID_PARAMS', message: 'INVALID_PARAMS' },
      requestId: 'disabled-3',
    });
  });

  it('should still answer unknown routes of the enabled dialect in its envelope', async () => {
    const res = await t.http.get('/Api/User/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ data: '', info: '缺少必须参数', code: 997, state: 2 });
  });

  it('should still serve /health', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });
});

describe('DIALECT_PREFIX_NUZZLE=/nz', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DIALECT_PREFIX_NUZZLE: '/nz' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should serve /nz/passport/email/register in the nuzzle envelope', async () => {
    const body = registration();
    const res = await t.http.post('/nz/passport/email/register').send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(nuzzleAccount(body.email));
  });

  it('should answer failures of prefixed routes in the nuzzle envelope', async () => {
    const res = await t.http.post('/nz/passport/email/register').send({ email: 'not-an-email' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should serve every nuzzle controller under the prefix, with its token', async () => {
    const body = registration();
    const registered = await t.http.post('/nz/passport/email/register').send(body);
    const res = await t.http
      .get('/nz/user/profile')
      .set('Authorization', registered.body.data.token as string);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 200, data: expect.objectContaining({ id: registered.body.data.id }) });
  });

  it('should no longer serve /passport/email/register', async () => {
    const res = await t.http
      .post('/passport/email/register')
      .set('X-Request-Id', 'unprefixed-1')
      .send(registration());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot POST /passport/email/register' },
      requestId: 'unprefixed-1',
    });
  });

  it('should answer an unknown /nz/passport route in the nuzzle envelope', async () => {
    const res = await t.http.get('/nz/passport/x');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });

  it('should answer a malformed body on a prefixed path in the nuzzle envelope', async () => {
    const res = await t.http
      .post('/nz/passport/email/login')
      .set('Content-Type', 'application/json')
      .send('{"x":');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should leave the paths of the other dialects unprefixed', async () => {
    const page = await t.http.get('/user/login');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const res = await t.http.get('/userInfo/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 200, errcode: -1, message: '操作失败' });
  });
});

describe('several apps with different prefixes in one process', () => {
  const apps: TestApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('should mount each app under its own prefix only, never stacking them', async () => {
    const a = await createTestApp({ env: { DIALECT_PREFIX_NUZZLE: '/a' } });
    apps.push(a);
    const b = await createTestApp({ env: { DIALECT_PREFIX_NUZZLE: '/b' } });
    apps.push(b);
    const root = await createTestApp();
    apps.push(root);

    const register = async (app: TestApp, path: string) =>
      (await app.http.post(`${path}/passport/email/register`).send(registration())).status;

    expect(await register(b, '/b')).toBe(200);
    expect(await register(b, '/b/a')).toBe(404);
    expect(await register(b, '/a/b')).toBe(404);
    expect(await register(b, '/a')).toBe(404);
    expect(await register(b, '')).toBe(404);

    // The first app keeps what it mounted.
    expect(await register(a, '/a')).toBe(200);
    expect(await register(a, '/b')).toBe(404);

    // An app without a prefix, created after both, is back at the root.
    expect(await register(root, '')).toBe(200);
    expect(await register(root, '/b')).toBe(404);
    expect(await register(root, '/a')).toBe(404);
  });
});

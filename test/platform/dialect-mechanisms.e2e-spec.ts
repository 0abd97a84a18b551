import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { PipelineProbesModule } from '#test/helpers/pipeline-probes.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/** The pipeline mechanisms nggirl, mrpyq and moretv need, through the test-only routes of PipelineProbesModule. */
describe('dialect mechanisms of the pipeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ extraImports: [PipelineProbesModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('operations chosen by marker on a shared path (mrpyq)', () => {
    it('should route each marker to its own handler, from the body or the query string', async () => {
      expect(
        (await t.http.post('/friend/probe').type('form').send({ search: '1', userId: '13800000000' })).body,
      ).toEqual({ result: '0000', message: { userId: '13800000000' }, flag: '1' });
      expect((await t.http.post('/friend/probe?add=1').send({ userId: '1' })).body).toEqual({
        result: '0000',
        message: 'added',
      });
    });

    it('should answer 0002 for no marker, an unknown one, two at once, or a marker set to 0', async () => {
      for (const body of [{}, { frobnicate: '1' }, { search: '1', add: '1' }, { search: '0' }]) {
        const res = await t.http.post('/friend/probe').send(body);
        expect({ body, answer: res.body }).toEqual({ body, answer: { result: '0002', message: '其他错误' } });
      }
    });

    it('should choose by parameters present when no marker selects, then the default operation', async () => {
      expect((await t.http.post('/register/probe').send({ register: '1', code: '1234' })).body.message).toBe(
        'register',
      );
      expect((await t.http.post('/register/probe').send({ code: '1234' })).body.message).toBe('verify 1234');
      expect((await t.http.post('/register/probe').send({ token: '13800000000' })).body.message).toBe('send');
    });

    it("should keep a failure in the operation's own reply", async () => {
      const res = await t.http.post('/friend/probe').send({ search: '1', userId: 'nobody' });
      expect(res.body).toEqual({ result: '0007', message: '用户不存在' });
    });

    it('should not serve the internal operation paths directly, nor other methods on the shared path', async () => {
      expect((await t.http.post('/friend/probe/~search').send({ search: '1' })).status).toBe(404);
      expect((await t.http.get('/friend/probe?search=1')).status).toBe(404);
    });

    it('should list each operation in the OpenAPI document as the client calls it', async () => {
      const doc = (await t.http.get('/docs/mrpyq.json')).body as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/friend/probe?search=1',
          '/friend/probe?add=1',
          '/register/probe?register=1',
          '/register/probe?code',
          '/register/probe',
        ]),
      );
    });
  });

  describe("a dialect's request guard (nggirl's signature check)", () => {
    it('should refuse with the transport code and say why', async () => {
      const res = await t.http.post('/nggirl/probe/echo').send({ userId: '7', sign: 'bad' });
      expect(res.body).toEqual({ code: 8, data: null, message: '请求签名无效：签名不匹配' });
    });

    it('should let a good request through to the route', async () => {
      const res = await t.http.post('/nggirl/probe/echo').send({ userId: '7', sign: 'good' });
      expect(res.body).toEqual({ code: 0, data: { userId: '7' } });
    });

    it("should document the guard's failure on every route of the dialect", async () => {
      const doc = (await t.http.get('/docs/nggirl.json')).body as {
        paths: Record<string, { post: { 'x-error-codes': unknown[] } }>;
      };
      expect(doc.paths['/nggirl/probe/echo'].post['x-error-codes']).toEqual([
        { code: 2, domainCode: 'INVALID_PARAMS', message: '参数错误' },
        { code: 8, transportCode: 'BAD_SIGNATURE', message: '请求签名无效' },
      ]);
    });
  });

  describe('cookies, envelope variants and pages (moretv)', () => {
    it('should answer the login variant and set HttpOnly, SameSite=Lax cookies without touching the response', async () => {
      const res = await t.http.post('/userInfo/probe/login').send({ userId: 'right' });
      expect(res.body).toEqual({ status: 0, err_msg: '' });
      const cookies = res.headers['set-cookie'] as unknown as string[];
      expect(cookies).toHaveLength(2);
      expect(cookies[0]).toMatch(
        /^probe_session=v1; Max-Age=60; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
      );
      // A browser-session cookie: no Max-Age or Expires. No Secure outside production.
      expect(cookies[1]).toBe('probe_browser=b; Path=/; HttpOnly; SameSite=Lax');
    });

    it('should answer a failure in the variant envelope', async () => {
      const res = await t.http.post('/userInfo/probe/login').send({ userId: 'wrong' });
      expect(res.body).toEqual({ status: -1, err_msg: 'email或密码错误' });
    });

    it('should clear a cookie', async () => {
      const res = await t.http.post('/userInfo/probe/logout');
      expect(res.body).toEqual({ status: 200, errcode: 1, message: '成功' });
      expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(
        /^probe_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
      );
    });

    it('should read the session from the moretv_session cookie', async () => {
      const user = await registerNuzzleUser(t);
      const res = await t.http.get('/userInfo/probe/me').set('Cookie', `moretv_session=${user.token}`);
      expect(res.body).toEqual({ status: 200, errcode: 1, message: { userId: user.id } });
      const anonymous = await t.http.get('/userInfo/probe/me');
      expect(anonymous.body).toEqual({ status: 200, errcode: -3, message: '您还未登陆,请登陆' });
    });

    it('should render a page, and the error page when the page route fails', async () => {
      const user = await registerNuzzleUser(t, { nickname: '<b>me</b>' });
      const page = await t.http.get('/userInfo/probe/page').set('Cookie', `moretv_session=${user.token}`);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('&lt;b&gt;me&lt;/b&gt;');
      const failed = await t.http.get('/userInfo/probe/page');
      expect(failed.headers['content-type']).toMatch(/^text\/html/);
      expect(failed.text).toContain('<p role="alert">您还未登陆,请登陆</p>');
      const english = await t.http.get('/userInfo/probe/page?locale=en');
      expect(english.text).toContain('<p role="alert">Please sign in</p>');
      expect(english.text).toContain('<html lang="en">');
    });

    it('should answer a redirect from a page route, and a crash with the error page', async () => {
      const redirect = await t.http.post('/userInfo/probe/page').type('form').send({ userId: 'x' });
      expect(redirect.status).toBe(303);
      expect(redirect.headers.location).toBe('/userInfo/probe/page');
      const crash = await t.http.post('/userInfo/probe/page').type('form').send({ userId: 'crash' });
      expect(crash.status).toBe(500);
      expect(crash.headers['content-type']).toMatch(/^text\/html/);
      expect(crash.text).toContain('操作失败');
      expect(crash.text).not.toContain('boom');
    });
  });
});

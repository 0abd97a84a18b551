import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { browserAgent, csrfOf, emailSegment, moretvUser, type MoretvTestUser } from '#test/helpers/moretv.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/**
 * The budgets of moretv's routes, each spent from a client address of its own (behind a trusted proxy, so
 * X-Forwarded-For names the client).
 */
describe('moretv rate limits', () => {
  let t: TestApp;
  let user: MoretvTestUser;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUSTED_PROXIES: 'loopback',
        ACCOUNT_IP_LIMIT_PER_HOUR: '2',
        LOGIN_IP_LIMIT_PER_MINUTE: '3',
        VERIFICATION_CHECKS_PER_IP_PER_HOUR: '2',
        MORETV_CAPTCHA_PER_IP_PER_MINUTE: '2',
      },
    });
    user = await moretvUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should limit the email check per address (-1 past ACCOUNT_IP_LIMIT_PER_HOUR)', async () => {
    const check = () =>
      t.http
        .get(`/email/check/${emailSegment('probe@moretv-user.cn')}`)
        .set('X-Forwarded-For', '203.0.113.1');
    expect((await check()).body.errcode).toBe(1);
    expect((await check()).body.errcode).toBe(1);
    expect((await check()).body).toEqual({ status: 200, errcode: -1, message: '操作太频繁,请稍后再试' });
    const other = await t.http
      .get(`/email/check/${emailSegment('probe@moretv-user.cn')}`)
      .set('X-Forwarded-For', '203.0.113.2');
    expect(other.body.errcode).toBe(1);
  });

  it('should limit sign-ins per address (-1 past LOGIN_IP_LIMIT_PER_MINUTE)', async () => {
    const login = () =>
      t.http
        .post('/user/login')
        .set('X-Forwarded-For', '203.0.113.3')
        .send({ email: `nobody-${Math.random()}@moretv-user.cn`, password: 'x' });
    for (let i = 0; i < 3; i++) expect((await login()).body.status).toBe(-1);
    expect((await login()).body).toEqual({ status: -1, err_msg: '登录太频繁,请稍后再试' });
  });

  it('should limit code checks per address (-1)', async () => {
    const check = () =>
      t.http
        .get(`/email/checkCode/${emailSegment('code@moretv-user.cn')}`)
        .query({ type: 'change', code: '123456' })
        .set('Cookie', user.cookie)
        .set('X-Forwarded-For', '203.0.113.4');
    expect((await check()).body.errcode).toBe(-1);
    expect((await check()).body.errcode).toBe(-1);
    expect((await check()).body).toEqual({ status: 200, errcode: -1, message: '操作太频繁,请稍后再试' });
  });

  it('should limit the change of email per address, JSON and page alike', async () => {
    const change = () =>
      t.http
        .post('/userInfo/changeEmail')
        .set('Cookie', user.cookie)
        .set('X-Forwarded-For', '203.0.113.5')
        .send({ email: 'next@moretv-user.cn', code: '123456' });
    expect((await change()).body.errcode).toBe(-9);
    expect((await change()).body.errcode).toBe(-9);
    expect((await change()).body).toEqual({ status: 200, errcode: -1, message: '操作太频繁,请稍后再试' });

    const browser = browserAgent(t);
    const page = await browser.get('/userInfo').set('Cookie', user.cookie);
    const csrf = csrfOf(page.text);
    const post = (ip: string, body: Record<string, string>) =>
      browser
        .post('/userInfo/changeEmail')
        .set('Cookie', user.cookie)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: csrf, email: 'next@moretv-user.cn', ...body });
    for (const [ip, body] of [
      ['203.0.113.6', { send_code: '1' }],
      ['203.0.113.7', { code: '123456' }],
    ] as const) {
      expect((await post(ip, body)).status).toBe(200);
      expect((await post(ip, body)).status).toBe(200);
      const refused = await post(ip, body);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.text).toContain('<p role="alert">操作太频繁,请稍后再试</p>');
    }
  });

  it('should limit registrations per address, with the error page', async () => {
    const browser = browserAgent(t);
    const form = await browser.get('/user/register').set('X-Forwarded-For', '203.0.113.8');
    const csrf = csrfOf(form.text);
    const post = () =>
      browser
        .post('/user/register')
        .set('X-Forwarded-For', '203.0.113.8')
        .type('form')
        .send({ _csrf: csrf, email: 'bad', nickname: 'n', password: 'p', captcha: 'x' });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('操作太频繁,请稍后再试');
  });

  it('should limit captcha drawings per address (-1, in the envelope)', async () => {
    const draw = () => t.http.get('/captcha/generate').set('X-Forwarded-For', '203.0.113.9');
    expect((await draw()).status).toBe(200);
    expect((await draw()).status).toBe(200);
    const refused = await draw();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ status: 200, errcode: -1, message: '操作太频繁,请稍后再试' });
  });
});

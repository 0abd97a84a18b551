import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionService } from '#src/auth/session.service.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  emailSegment,
  latestMail,
  mailedCode,
  moretvUser,
  setCookie,
  type MoretvTestUser,
} from '#test/helpers/moretv.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://account.moretv.test';
const env = { PUBLIC_BASE_URL, MORETV_ALLOWED_ORIGINS: 'https://www.moretv.com.cn' };

describe('moretv sign-in and email endpoints', () => {
  const clock = new FakeClock(new Date('2026-12-01T08:00:00Z'));
  let t: TestApp;
  let mailbox = 0;
  const fresh = () => `fresh${++mailbox}-${Date.now().toString(36)}@moretv-user.cn`;

  beforeAll(async () => {
    t = await createTestApp({ clock, env });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /user/login ({status, err_msg})', () => {
    it('should sign in an account registered through nuzzle with the plain password, in a browser-session cookie', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      const res = await t.http
        .post('/user/login')
        .type('form')
        .send({ email: user.email, password: user.plainPassword, auto_login: '0' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 0, err_msg: '' });
      const cookie = setCookie(res, 'moretv_session')!;
      expect(cookie).toMatch(/^moretv_session=eyJ[\w.-]+; Path=\/; HttpOnly; SameSite=Lax$/);
      // The cookie is the session: the document's signed-in endpoints read it.
      const avatar = await t.http.get('/userInfo/avatar').set('Cookie', cookie.split(';')[0]);
      expect(avatar.body).toEqual({ status: 200, errcode: 0, message: '' });
    });

    it('should keep the cookie for the session lifetime with auto_login, and take JSON too', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      const res = await t.http
        .post('/user/login')
        .send({ email: user.email.toUpperCase(), password: user.plainPassword, auto_login: 1 });
      expect(res.body).toEqual({ status: 0, err_msg: '' });
      expect(setCookie(res, 'moretv_session')).toMatch(
        /^moretv_session=eyJ[\w.-]+; Max-Age=31536000; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/,
      );
    });

    it('should answer -2 when the email or the password is empty, -1 when they do not match', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      expect((await t.http.post('/user/login').send({ email: user.email })).body).toEqual({
        status: -2,
        err_msg: 'email或password为空',
      });
      expect((await t.http.post('/user/login').send({ email: '', password: 'x' })).body).toEqual({
        status: -2,
        err_msg: 'email或password为空',
      });
      // moretv sends plain text: the md5 that nuzzle's client would send is not the password here.
      const wrong = await t.http.post('/user/login').send({ email: user.email, password: user.password });
      expect(wrong.body).toEqual({ status: -1, err_msg: 'email或密码错误' });
      expect(setCookie(wrong, 'moretv_session')).toBeUndefined();
      const unknown = await t.http.post('/user/login').send({ email: fresh(), password: 'whatever' });
      expect(unknown.body).toEqual({ status: -1, err_msg: 'email或密码错误' });
    });

    it('should lock a client out after five wrong passwords and refuse a banned account (-1)', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      for (let i = 0; i < 5; i++) {
        await t.http.post('/user/login').send({ email: user.email, password: `wrong-${i}` });
      }
      const locked = await t.http
        .post('/user/login')
        .send({ email: user.email, password: user.plainPassword });
      expect(locked.body).toEqual({ status: -1, err_msg: '密码错误次数过多,请稍后再试' });
      clock.advance(61_000);

      const banned = await registerNuzzleUser(t, { email: fresh() });
      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
      const refused = await t.http
        .post('/user/login')
        .send({ email: banned.email, password: banned.plainPassword });
      expect(refused.body).toEqual({ status: -1, err_msg: '账号已被冻结' });
    });

    it('should refuse a POST from an origin that is not allowed, and take the allowed ones', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      const body = { email: user.email, password: user.plainPassword };
      const evil = await t.http.post('/user/login').set('Origin', 'https://evil.example').send(body);
      expect(evil.body).toEqual({ status: -1, err_msg: '操作失败：请求来源不被允许' });
      expect(setCookie(evil, 'moretv_session')).toBeUndefined();
      const byReferer = await t.http
        .post('/user/login')
        .set('Referer', 'https://evil.example/phish.html')
        .send(body);
      expect(byReferer.body.status).toBe(-1);
      expect((await t.http.post('/user/login').set('Origin', 'null').send(body)).body.status).toBe(-1);
      const english = await t.http
        .post('/user/login?locale=en')
        .set('Origin', 'https://evil.example')
        .send(body);
      expect(english.body).toEqual({
        status: -1,
        err_msg: 'Operation failed: the request comes from a site that is not allowed',
      });

      for (const origin of [PUBLIC_BASE_URL, 'https://www.moretv.com.cn']) {
        const res = await t.http.post('/user/login').set('Origin', origin).send(body);
        expect(res.body).toEqual({ status: 0, err_msg: '' });
      }
      const sameSite = await t.http
        .post('/user/login')
        .set('Referer', `${PUBLIC_BASE_URL}/user/login`)
        .send(body);
      expect(sameSite.body).toEqual({ status: 0, err_msg: '' });
    });
  });

  describe('GET /email/check/{EMAIL}', () => {
    it('should answer 1 for a usable address, -4 malformed, -5 not allowed, -6 registered', async () => {
      expect((await t.http.get(`/email/check/${emailSegment(fresh())}`)).body).toEqual({
        status: 200,
        errcode: 1,
        message: 'Email可以使用',
      });
      for (const segment of ['not base64!', emailSegment('no-at-sign'), '%E4%BD%A0']) {
        expect((await t.http.get(`/email/check/${segment}`)).body).toEqual({
          status: 200,
          errcode: -4,
          message: 'Email格式有误',
        });
      }
      expect((await t.http.get(`/email/check/${emailSegment('someone@example.com')}`)).body).toEqual({
        status: 200,
        errcode: -5,
        message: 'Email不允许注册',
      });
      const user = await registerNuzzleUser(t, { email: fresh() });
      // base64 with `+`, `/` and `=` percent-encoded, as urlencode() does; and the case does not matter.
      expect((await t.http.get(`/email/check/${emailSegment(user.email.toUpperCase())}`)).body).toEqual({
        status: 200,
        errcode: -6,
        message: '该Email已经被注册',
      });
    });
  });

  describe('email codes: /email/sendCode, /email/checkCode, /userInfo/changeEmail', () => {
    let user: MoretvTestUser;
    beforeAll(async () => {
      user = await moretvUser(t, { email: fresh() });
    });

    const send = (email: string, type = 'change', cookie = user.cookie) =>
      t.http
        .get(`/email/sendCode/${emailSegment(email)}`)
        .query({ type })
        .set('Cookie', cookie);
    const check = (email: string, code: string, cookie = user.cookie) =>
      t.http
        .get(`/email/checkCode/${emailSegment(email)}`)
        .query({ type: 'change', code })
        .set('Cookie', cookie);
    const change = (email: string, code: string | undefined, cookie = user.cookie) =>
      t.http
        .post('/userInfo/changeEmail')
        .type('form')
        .set('Cookie', cookie)
        .send({ email, ...(code === undefined ? {} : { code }) });

    it('should mail a code to the new address, check it without using it up, and change the email with it', async () => {
      const target = fresh();
      expect((await send(target)).body).toEqual({ status: 200, errcode: 1, message: '发送成功' });
      const code = await mailedCode(t, target);
      const wrong = code === '000000' ? '111111' : '000000';
      expect((await check(target, wrong)).body).toEqual({ status: 200, errcode: -2, message: '不匹配' });
      expect((await check(target, code)).body).toEqual({ status: 200, errcode: 0, message: '匹配' });
      expect((await check(target, code)).body).toEqual({ status: 200, errcode: 0, message: '匹配' });
      expect((await change(target, wrong)).body).toEqual({
        status: 200,
        errcode: -9,
        message: '验证码不匹配',
      });
      expect((await change(target, code)).body).toEqual({ status: 200, errcode: 1, message: '更新成功' });
      // The former address is told; the account now signs in with the new one, in every dialect.
      expect((await latestMail(t, user.email)).subject).toBe('邮箱已更改 / Your email address was changed');
      const login = await t.http
        .post('/passport/email/login')
        .send({ email: target, password: user.password });
      expect(login.body).toMatchObject({ ret: 200 });
      // Used up.
      expect((await check(target, code)).body).toEqual({ status: 200, errcode: -1, message: '验证码已失效' });
      // The session of the old address goes on (the change was made with it).
      expect((await change(target, '123456')).body).toEqual({
        status: 200,
        errcode: 0,
        message: '没有做任何修改',
      });
    });

    it('should refuse a malformed, a refused or a registered address (-4, -5, -6) in both', async () => {
      const taken = await registerNuzzleUser(t, { email: fresh() });
      const cases: Array<[string, number, string]> = [
        ['no-at-sign', -4, 'Email格式有误'],
        ['white space@moretv-user.cn', -4, 'Email格式有误'],
        ['x@example.org', -5, 'Email不允许注册'],
        ['x@box.test', -5, 'Email不允许注册'],
        [taken.email, -6, '该Email已经被注册'],
      ];
      for (const [email, errcode, message] of cases) {
        expect((await send(email)).body).toEqual({ status: 200, errcode, message });
        expect((await change(email, '123456')).body).toEqual({ status: 200, errcode, message });
      }
    });

    it('should answer -1 for a code that expired or that five wrong tries burned, -9 to the change', async () => {
      const target = fresh();
      await send(target);
      const code = await mailedCode(t, target);
      clock.advance(5 * 60_000 + 1);
      expect((await check(target, code)).body).toEqual({ status: 200, errcode: -1, message: '验证码已失效' });
      expect((await change(target, code)).body).toEqual({
        status: 200,
        errcode: -9,
        message: '验证码不匹配',
      });

      const other = fresh();
      await send(other);
      const good = await mailedCode(t, other);
      const wrong = good === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++) expect((await check(other, wrong)).body.errcode).toBe(-2);
      expect((await check(other, wrong)).body).toEqual({ status: 200, errcode: -1, message: '验证码已失效' });
      expect((await check(other, good)).body).toEqual({ status: 200, errcode: -1, message: '验证码已失效' });
      expect((await change(other, good)).body).toEqual({ status: 200, errcode: -9, message: '验证码不匹配' });
      expect((await change(fresh(), undefined)).body).toEqual({
        status: 200,
        errcode: -9,
        message: '验证码不匹配',
      });
    });

    it('should answer -2 to a check without a code or with a malformed address', async () => {
      expect((await check(fresh(), '')).body).toEqual({ status: 200, errcode: -2, message: '不匹配' });
      const res = await t.http
        .get('/email/checkCode/%25%25')
        .query({ code: '123456' })
        .set('Cookie', user.cookie);
      expect(res.body).toEqual({ status: 200, errcode: -2, message: '不匹配' });
    });

    it('should refuse a second code within the minute (-1) and give a bind code to an account without email', async () => {
      const target = fresh();
      expect((await send(target, 'bind')).body.errcode).toBe(1);
      expect((await send(target, 'change')).body).toEqual({
        status: 200,
        errcode: -1,
        message: '发送太频繁,请稍后再试',
      });
      // An account without an email (from an SNS sign-up) binds its first address: the same endpoints.
      const rows = await t.db.query<Array<{ id: string }>>(
        `INSERT INTO users (nickname, created_at, updated_at) VALUES ('无邮箱', now(), now()) RETURNING id`,
      );
      const session = await t.app.get(SessionService).open(t.db.manager, rows[0].id, { dialect: 'moretv' });
      const cookie = `moretv_session=${session.accessToken}`;
      const address = fresh();
      expect((await send(address, 'bind', cookie)).body.errcode).toBe(1);
      const code = await mailedCode(t, address);
      expect((await change(address, code, cookie)).body).toEqual({
        status: 200,
        errcode: 1,
        message: '更新成功',
      });
      const [row] = await t.db.query<Array<{ email: string }>>(`SELECT email FROM users WHERE id = $1`, [
        rows[0].id,
      ]);
      expect(row.email).toBe(address);
    });

    it('should answer the not-signed-in codes without a session', async () => {
      const notSignedIn = { status: 200, errcode: -3, message: '您还未登陆,请登陆' };
      expect((await send(fresh(), 'bind', 'moretv_session=nope')).body).toEqual(notSignedIn);
      expect((await check(fresh(), '123456', '')).body).toEqual(notSignedIn);
      expect((await change(fresh(), '123456', '')).body).toEqual(notSignedIn);
    });
  });

  describe('GET /eamil/resetpasword/{EMAIL}', () => {
    it('should mail a link to the moretv reset page, and answer the same for an unknown address', async () => {
      const user = await registerNuzzleUser(t, { email: fresh() });
      const res = await t.http.get(`/eamil/resetpasword/${emailSegment(user.email)}`);
      expect(res.body).toEqual({ status: 200, errcode: 1, message: '邮件已发送' });
      const mail = await latestMail(t, user.email);
      expect(mail.body).toMatch(
        new RegExp(`${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/user/resetPassword\\?token=[\\w-]+`),
      );
      expect(mail.body).not.toContain('/account/reset-password');
      const unknown = fresh();
      expect((await t.http.get(`/eamil/resetpasword/${emailSegment(unknown)}`)).body).toEqual(res.body);
      await t.flushOutbox();
      expect((await t.http.get('/dev/outbox').query({ to: unknown })).body).toEqual([]);
      expect((await t.http.get('/eamil/resetpasword/bm90LWFuLWVtYWls')).body).toEqual({
        status: 200,
        errcode: -4,
        message: 'Email格式有误',
      });
      // nuzzle's forgot-password still mails its own page.
      const other = await registerNuzzleUser(t, { email: fresh() });
      await t.http.post('/passport/forgot/passwd').send({ email: other.email });
      expect((await latestMail(t, other.email)).body).toContain(
        `${PUBLIC_BASE_URL}/account/reset-password?token=`,
      );
    });
  });
});

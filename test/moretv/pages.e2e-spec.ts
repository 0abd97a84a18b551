import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import {
  browserAgent,
  csrfOf,
  latestMail,
  mailedCode,
  moretvUser,
  setCookie,
  type BrowserAgent,
} from '#test/helpers/moretv.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://account.moretv.test';
const ALLOWED = 'https://www.moretv.com.cn';

const alertOf = (html: string) => /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1];
/** The error shown next to a field (by the id of its input). */
const fieldErrorOf = (html: string, id: string) =>
  new RegExp(`<p class="error" id="${id}-error" role="alert">([^<]*)</p>`).exec(html)?.[1];

let mailbox = 0;
const fresh = () => `page${++mailbox}-${Date.now().toString(36)}@moretv-user.cn`;

describe('moretv pages over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL, MORETV_ALLOWED_ORIGINS: ALLOWED } });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A browser that opened `path`: the page and its form token. */
  async function open(
    path: string,
    browser = browserAgent(t),
  ): Promise<{ browser: BrowserAgent; html: string; csrf: string }> {
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    return { browser, html: page.text, csrf: csrfOf(page.text) };
  }

  describe('every page', () => {
    it('should answer HTML with the pages’ headers, a browser id, a form token, and switch to English', async () => {
      const user = await moretvUser(t);
      for (const path of ['/user/register', '/user/login', '/user/forgetPassword', '/userInfo']) {
        const res = await t.http.get(path).set('Cookie', user.cookie);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['content-security-policy']).toContain("form-action 'self'");
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
        expect(res.headers['referrer-policy']).toBe('same-origin');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(setCookie(res, 'moretv_browser')).toMatch(
          /^moretv_browser=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
        );
        expect(res.text).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
        expect(res.text).toContain('name="_csrf"');
        // Every input has a label.
        const ids = [...res.text.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
        for (const id of ids) expect(res.text).toContain(`<label for="${id}">`);
      }
      const english = await t.http.get('/user/login?locale=en');
      expect(english.text).toContain('<html lang="en">');
      expect(english.text).toContain('<title>Sign in - MoreTV Accounts</title>');
      expect(setCookie(english, 'locale')).toBe('locale=en; Path=/; HttpOnly; SameSite=Lax');
      const kept = await t.http.get('/user/register').set('Cookie', 'locale=en');
      expect(kept.text).toContain('<h1>Create an account</h1>');
      expect(kept.text).toContain('href="/user/register?locale=zh"');
    });

    it('should send a visitor without a session from the account page to the sign-in page', async () => {
      const res = await t.http.get('/userInfo');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/user/login?callback=%2FuserInfo');
    });
  });

  describe('the form checks (CSRF and origin) on every page form', () => {
    const FORMS = [
      '/user/register',
      '/user/login',
      '/user/forgetPassword',
      '/user/resetPassword',
      '/userInfo/changePassword',
      '/userInfo/changeEmail',
      '/userInfo/changeEmail?send_code=1',
      '/userInfo/update',
      '/userInfo/uploadAvatar',
      '/userInfo/logout',
      '/sns/login/fill',
      '/sns/login/unbind',
    ];

    it('should refuse a form without this browser’s token, or posted from another site', async () => {
      const user = await moretvUser(t);
      const { browser, csrf } = await open('/user/login');
      const other = await open('/user/login');
      for (const path of FORMS) {
        // Another browser's token, and a token without any browser: refused before anything is done.
        for (const [agent, token] of [
          [browser, other.csrf],
          [t.http, csrf],
        ] as const) {
          const res = await agent.post(path).set('Cookie', user.cookie).type('form').send({ _csrf: token });
          expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
            path,
            status: 200,
            type: 'text/html; charset=utf-8',
          });
          expect({ path, alert: alertOf(res.text) }).toEqual({
            path,
            alert: '操作失败：表单已失效,请刷新页面后重试',
          });
        }
        const evil = await browser
          .post(path)
          .set('Cookie', user.cookie)
          .set('Origin', 'https://evil.example')
          .type('form')
          .send({ _csrf: csrf });
        expect({ path, alert: alertOf(evil.text) }).toEqual({ path, alert: '操作失败：请求来源不被允许' });
      }
      // The page's forms, multipart included, with their token, are taken (signed out: the not-signed-in page).
      const avatar = await browser
        .post('/userInfo/uploadAvatar')
        .field('_csrf', csrf)
        .attach('avatar', Buffer.from('x'), 'x.png');
      expect(alertOf(avatar.text)).toBe('您还未登陆,请登陆');
    });

    it('should answer the signed-out page forms with the not-signed-in page', async () => {
      const { browser, csrf } = await open('/user/login');
      for (const [path, extra] of [
        ['/userInfo/changePassword', {}],
        ['/userInfo/changeEmail', { send_code: '1' }],
        ['/userInfo/changeEmail', {}],
        ['/userInfo/update', {}],
      ] as const) {
        const res = await browser
          .post(path)
          .type('form')
          .send({ _csrf: csrf, ...extra });
        expect({ path, alert: alertOf(res.text) }).toEqual({ path, alert: '您还未登陆,请登陆' });
        expect(res.text).toContain('<a href="/user/login">返回登录</a>');
      }
    });
  });

  describe('register', () => {
    async function captchaOf(browser: BrowserAgent, html: string): Promise<string> {
      const src = /<img src="([^"]+)" alt="验证码图片"/.exec(html)![1].replace(/&amp;/g, '&');
      expect((await browser.get(src)).headers['content-type']).toBe('image/png');
      return ((await browser.get('/dev/captcha')).body as { answer: string }).answer;
    }

    it('should show each refusal by its field, keep what was typed, and register with the captcha', async () => {
      const { browser, html, csrf } = await open('/user/register');
      const email = fresh();
      const post = (fields: Record<string, string>) =>
        browser
          .post('/user/register')
          .type('form')
          .send({ _csrf: csrf, ...fields });

      let answer = await captchaOf(browser, html);
      const cases: Array<[Record<string, string>, string, string]> = [
        [
          { email: 'nope', nickname: '新人', password: 'secret-1', captcha: answer },
          'email',
          'Email格式有误',
        ],
        [
          { email: 'a@example.net', nickname: '新人', password: 'secret-1', captcha: answer },
          'email',
          'Email不允许注册',
        ],
        [{ email, nickname: '', password: 'secret-1', captcha: answer }, 'nickname', '昵称不可用'],
        [{ email, nickname: '新人', password: '123', captcha: answer }, 'password', '密码长度需为6–64个字符'],
        [{ email, nickname: '新人', password: 'secret-1', captcha: 'WRONG' }, 'captcha', '验证码不匹配'],
      ];
      for (const [fields, field, message] of cases) {
        const res = await post(fields);
        expect(res.status).toBe(200);
        expect({ field, error: fieldErrorOf(res.text, field) }).toEqual({ field, error: message });
        expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
        if (field !== 'email') expect(res.text).toContain(`value="${fields.email}"`);
        expect(res.text).not.toContain('secret-1');
      }
      // The wrong try spent one of five; a taken email is told only after a right captcha (which it uses up).
      const taken = await moretvUser(t);
      const takenRes = await post({
        email: taken.email,
        nickname: '新人',
        password: 'secret-1',
        captcha: answer,
      });
      expect(fieldErrorOf(takenRes.text, 'email')).toBe('该Email已经被注册');
      const spent = await post({ email, nickname: '新人', password: 'secret-1', captcha: answer });
      expect(fieldErrorOf(spent.text, 'captcha')).toBe('验证码已失效');

      answer = await captchaOf(browser, spent.text);
      const done = await post({ email, nickname: '新人', password: 'secret-1', captcha: answer });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/userInfo?notice=registered');
      expect(setCookie(done, 'moretv_session')).toMatch(
        /^moretv_session=eyJ[\w.-]+; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const account = await browser.get('/userInfo?notice=registered');
      expect(account.text).toContain('注册成功');
      expect(account.text).toContain(email);
      // The same account, from nuzzle's client.
      const nuzzle = await t.http.post('/passport/email/login').send({ email, password: md5('secret-1') });
      expect(nuzzle.body).toMatchObject({ ret: 200 });
    });

    it('should go back to an allowed callback only', async () => {
      for (const [callback, expected] of [
        [`${ALLOWED}/home`, 'continue'],
        ['/userInfo?from=register', '/userInfo?from=register'],
        ['https://evil.example/home', '/userInfo?notice=registered'],
        ['javascript:alert(1)', '/userInfo?notice=registered'],
      ] as const) {
        const { browser, html, csrf } = await open(`/user/register?callback=${encodeURIComponent(callback)}`);
        expect(html).toContain('name="callback"');
        const answer = await captchaOf(browser, html);
        const res = await browser.post('/user/register').type('form').send({
          _csrf: csrf,
          email: fresh(),
          nickname: '回跳',
          password: 'secret-2',
          captcha: answer,
          callback,
        });
        if (expected === 'continue') {
          expect(res.status).toBe(200);
          expect(res.text).toContain(`<a href="${callback}">继续</a>`);
        } else {
          expect({ callback, status: res.status, location: res.headers.location }).toEqual({
            callback,
            status: 303,
            location: expected,
          });
        }
      }
    });
  });

  describe('login', () => {
    it('should show refusals by the fields and sign in to the callback, auto_login keeping the cookie', async () => {
      const user = await moretvUser(t);
      const { browser, csrf } = await open('/user/login?callback=%2FuserInfo%3Fx%3D1');
      const post = (fields: Record<string, string>) =>
        browser
          .post('/user/login')
          .type('form')
          .send({ _csrf: csrf, callback: '/userInfo?x=1', ...fields });
      expect(fieldErrorOf((await post({ email: user.email })).text, 'password')).toBe('email或password为空');
      expect(fieldErrorOf((await post({ password: 'x' })).text, 'email')).toBe('email或password为空');
      const wrong = await post({ email: user.email, password: 'wrong-pass' });
      expect(fieldErrorOf(wrong.text, 'password')).toBe('email或密码错误');
      expect(wrong.text).toContain(`value="${user.email}"`);
      const done = await post({ email: user.email, password: user.plainPassword, auto_login: '1' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/userInfo?x=1');
      expect(setCookie(done, 'moretv_session')).toMatch(/Max-Age=31536000/);
    });
  });

  describe('forgot and reset password', () => {
    it('should mail a link to the reset page, set the password there, and refuse the link a second time', async () => {
      const user = await moretvUser(t);
      const { browser, csrf } = await open('/user/forgetPassword');
      const malformed = await browser
        .post('/user/forgetPassword')
        .type('form')
        .send({ _csrf: csrf, email: 'nope' });
      expect(fieldErrorOf(malformed.text, 'email')).toBe('Email格式有误');
      const sent = await browser
        .post('/user/forgetPassword')
        .type('form')
        .send({ _csrf: csrf, email: user.email });
      expect(sent.text).toContain('如果该邮箱已注册，重置密码的邮件已发送，请查收。');
      const unknown = await browser
        .post('/user/forgetPassword')
        .type('form')
        .send({ _csrf: csrf, email: fresh() });
      expect(unknown.text).toBe(sent.text);

      const link = /https:\/\/account\.moretv\.test(\/user\/resetPassword\?token=[\w-]+)/.exec(
        (await latestMail(t, user.email)).body,
      )![1];
      const form = await browser.get(link);
      expect(form.text).toContain('<h1>重置密码</h1>');
      const token = /name="token" value="([^"]+)"/.exec(form.text)![1];
      const post = (fields: Record<string, string>) =>
        browser
          .post('/user/resetPassword')
          .type('form')
          .send({ _csrf: csrfOf(form.text), token, ...fields });
      expect(fieldErrorOf((await post({ password: '123', confirm: '123' })).text, 'password')).toBe(
        '密码长度需为6–64个字符',
      );
      expect(
        fieldErrorOf((await post({ password: 'reset-Pass1', confirm: 'reset-Pass2' })).text, 'confirm'),
      ).toBe('两次输入的密码不一致');
      const done = await post({ password: 'reset-Pass1', confirm: 'reset-Pass1' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/user/login?notice=password-reset');
      expect((await browser.get('/user/login?notice=password-reset')).text).toContain(
        '密码已重置，请使用新密码登录',
      );
      // Every session ended; the new password signs in.
      expect((await t.http.get('/userInfo/avatar').set('Cookie', user.cookie)).body.errcode).toBe(-2);
      expect(
        (await t.http.post('/user/login').send({ email: user.email, password: 'reset-Pass1' })).body.status,
      ).toBe(0);
      // The link is spent.
      expect((await browser.get(link)).text).toContain('<h1>链接已失效</h1>');
      expect((await post({ password: 'reset-Pass3', confirm: 'reset-Pass3' })).text).toContain(
        '<h1>链接已失效</h1>',
      );
    });
  });

  describe('the account page', () => {
    it('should change the password, the email, the profile and the picture through its forms', async () => {
      const user = await moretvUser(t);
      const browser = browserAgent(t);
      browser.set('Cookie', user.cookie);
      let { csrf, html } = await open('/userInfo', browser);
      expect(html).toContain(user.email);
      const post = (path: string, fields: Record<string, string>) =>
        browser
          .post(path)
          .type('form')
          .send({ _csrf: csrf, ...fields });

      // Password
      const wrongOld = await post('/userInfo/changePassword', {
        oldpwd: 'nope',
        newpwd: 'abcdef1',
        confirmpwd: 'abcdef1',
      });
      expect(fieldErrorOf(wrongOld.text, 'password-old')).toBe('修改密码失败：原密码错误');
      const differ = await post('/userInfo/changePassword', {
        oldpwd: user.plainPassword,
        newpwd: 'abcdef1',
        confirmpwd: 'abcdef2',
      });
      expect(fieldErrorOf(differ.text, 'password-confirm')).toBe('修改密码失败：两次输入的新密码不一致');
      const same = await post('/userInfo/changePassword', {
        oldpwd: user.plainPassword,
        newpwd: user.plainPassword,
        confirmpwd: user.plainPassword,
      });
      expect(same.headers.location).toBe('/userInfo?notice=unchanged');
      const changed = await post('/userInfo/changePassword', {
        oldpwd: user.plainPassword,
        newpwd: 'page-Passw0rd',
        confirmpwd: 'page-Passw0rd',
      });
      expect(changed.headers.location).toBe('/userInfo?notice=password-changed');
      ({ csrf, html } = await open('/userInfo?notice=password-changed', browser));
      expect(html).toContain('<p class="notice ok" role="status">成功更改密码</p>');

      // Email: a code to the new address, then the change.
      const target = fresh();
      const badSend = await post('/userInfo/changeEmail', { send_code: '1', email: 'x@example.com' });
      expect(fieldErrorOf(badSend.text, 'email-new')).toBe('Email不允许注册');
      const sent = await post('/userInfo/changeEmail', { send_code: '1', email: target });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain(`验证码已发送至 ${target}`);
      expect(sent.text).toContain(`value="${target}"`);
      const code = await mailedCode(t, target);
      const wrongCode = await post('/userInfo/changeEmail', {
        email: target,
        code: code === '000000' ? '111111' : '000000',
      });
      expect(fieldErrorOf(wrongCode.text, 'email-code')).toBe('验证码不匹配');
      const moved = await post('/userInfo/changeEmail', { email: target, code });
      expect(moved.headers.location).toBe('/userInfo?notice=email-changed');
      expect((await browser.get('/userInfo?notice=email-changed')).text).toContain(
        `<strong>${target}</strong>`,
      );

      // Profile
      const badProfile = await post('/userInfo/update', { nickname: '管理员', birthday: '1990-01-01' });
      expect(fieldErrorOf(badProfile.text, 'profile-nickname')).toBe('昵称不可用');
      expect(badProfile.text).toContain('value="1990-01-01"');
      const badDate = await post('/userInfo/update', { birthday: '1990-13-01' });
      expect(fieldErrorOf(badDate.text, 'profile-birthday')).toBe('修改失败');
      const saved = await post('/userInfo/update', {
        nickname: '电视迷',
        gender: '2',
        signature: '<b>hi</b>',
        birthday: '1988-08-08',
      });
      expect(saved.headers.location).toBe('/userInfo?notice=profile-updated');
      const profile = await browser.get('/userInfo');
      expect(profile.text).toContain('value="电视迷"');
      expect(profile.text).toContain('value="&lt;b&gt;hi&lt;/b&gt;"');
      expect(profile.text).not.toContain('<b>hi</b>');

      // Picture (multipart form)
      const upload = (bytes: Buffer) =>
        browser.post('/userInfo/uploadAvatar').field('_csrf', csrf).attach('avatar', bytes, 'me.png');
      expect(fieldErrorOf((await upload(Buffer.from('GIF89a-not-really'))).text, 'avatar')).toBe(
        '格式不匹配',
      );
      const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3366ff' } })
        .png()
        .toBuffer();
      const uploaded = await upload(png);
      expect(uploaded.headers.location).toBe('/userInfo?notice=avatar-uploaded');
      expect((await browser.get('/userInfo')).text).toMatch(
        /<img class="avatar" src="https:\/\/account\.moretv\.test\/media\/images\//,
      );
    });
  });
});

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

describe('moretv pages under DIALECT_PREFIX_MORETV', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL, DIALECT_PREFIX_MORETV: '/tv' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should put the prefix in every link, form and redirect', async () => {
    const user = await moretvUser(t, { path: '/tv/user/login' });
    const browser = browserAgent(t);
    const login = await browser.get('/tv/user/login');
    expect(login.status).toBe(200);
    expect(login.text).toContain('action="/tv/user/login"');
    expect(login.text).toContain('href="/tv/user/forgetPassword"');
    const done = await browser
      .post('/tv/user/login')
      .type('form')
      .send({ _csrf: csrfOf(login.text), email: user.email, password: user.plainPassword });
    expect(done.headers.location).toBe('/tv/userInfo');
    const account = await browser.get('/tv/userInfo');
    expect(account.text).toContain('action="/tv/userInfo/changePassword"');
    expect((await browser.get('/tv/user/register')).text).toContain('src="/tv/captcha/generate?v=');

    await t.http.get(`/tv/eamil/resetpasword/${Buffer.from(user.email).toString('base64')}`);
    expect((await latestMail(t, user.email)).body).toContain(
      `${PUBLIC_BASE_URL}/tv/user/resetPassword?token=`,
    );
    expect((await t.http.get('/user/login')).status).toBe(404);

    // A form that fails before its page could render (here: no form token) answers the error page, linked inside
    // the prefix too.
    const failed = await t.http.post('/tv/userInfo/changePassword').type('form').send({ _csrf: 'stale' });
    expect(failed.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(failed.text).toContain('href="/tv/user/login"');
  });
});

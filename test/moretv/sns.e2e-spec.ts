import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SnsProviderName } from '#src/sns/sns-provider.js';
import {
  FakeDouban,
  FakeQq,
  FakeWechat,
  FakeWeibo,
  type FakeOAuthProvider,
  type FakeSnsPerson,
} from '#test/helpers/fake-sns-oauth.js';
import { browserAgent, csrfOf, moretvUser, setCookie, type BrowserAgent } from '#test/helpers/moretv.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://account.moretv.test';
const ALLOWED = 'https://www.moretv.com.cn';
const TYPES: SnsProviderName[] = ['qq', 'wb', 'db', 'wx'];

let people = 0;
const newPerson = (extra: Partial<FakeSnsPerson> = {}): FakeSnsPerson => ({
  id: `${8_100_000_000 + ++people}`,
  nickname: `看客${people}`,
  avatar: `https://img.example/p/${people}.png`,
  ...extra,
});

/** The error page's message. */
const alertOf = (html: string) => /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1];

describe('moretv SNS sign-in over HTTP', () => {
  let t: TestApp;
  const fakes = {} as Record<SnsProviderName, FakeOAuthProvider>;

  beforeAll(async () => {
    fakes.qq = await FakeQq.start();
    fakes.wb = await FakeWeibo.start();
    fakes.db = await FakeDouban.start();
    fakes.wx = await FakeWechat.start();
    t = await createTestApp({
      env: {
        PUBLIC_BASE_URL,
        MORETV_ALLOWED_ORIGINS: ALLOWED,
        ...fakes.qq.env(),
        ...fakes.wb.env(),
        ...fakes.db.env(),
        ...fakes.wx.env(),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    for (const fake of Object.values(fakes)) await fake?.close();
  });

  /** preauth in this browser, the person approves at the provider: what the provider sends back. */
  async function approve(
    browser: BrowserAgent,
    type: SnsProviderName,
    person: FakeSnsPerson,
    query: Record<string, string> = {},
  ) {
    const started = await browser.get('/sns/login/preauth').query({ type, ...query });
    expect(started.status).toBe(303);
    const authorizeUrl = started.headers.location;
    expect(authorizeUrl.startsWith(fakes[type].url)).toBe(true);
    fakes[type].person = person;
    const approval = await fakes[type].approve(authorizeUrl);
    expect(approval.redirectUri).toBe(`${PUBLIC_BASE_URL}/sns/login/callback/${type}`);
    return approval;
  }

  const back = (browser: BrowserAgent, type: string, approval: { code: string; state: string }) =>
    browser.get(`/sns/login/callback/${type}`).query({ code: approval.code, state: approval.state });

  /** A new person through the fill page: answers the browser, now signed in. */
  async function signUp(type: SnsProviderName, person = newPerson()) {
    const browser = browserAgent(t);
    const returned = await back(browser, type, await approve(browser, type, person));
    expect(returned.status).toBe(303);
    const fill = await browser.get(returned.headers.location);
    expect(fill.status).toBe(200);
    const done = await browser
      .post('/sns/login/fill')
      .type('form')
      .send({
        _csrf: csrfOf(fill.text),
        openid: /name="openid" value="([^"]+)"/.exec(fill.text)![1],
        nickname: person.nickname,
      });
    expect(done.status).toBe(303);
    return { browser, person, done };
  }

  describe.each(TYPES)('%s', (type) => {
    it('should send a new person to the fill page, then sign them in, and sign them in directly next time', async () => {
      const person = newPerson(type === 'wx' ? { unionid: `union-${people + 1}` } : {});
      const browser = browserAgent(t);
      const approval = await approve(browser, type, person, { redirect_url: `${ALLOWED}/tv?from=sns` });
      const returned = await back(browser, type, approval);
      expect(returned.status).toBe(303);
      const subject = type === 'wx' ? person.unionid! : person.id;
      const openid = encodeURIComponent(Buffer.from(subject).toString('base64'));
      expect(returned.headers.location).toBe(
        `/sns/login/fill?openid=${openid}&redirect_url=${encodeURIComponent(`${ALLOWED}/tv?from=sns`)}`,
      );

      const fill = await browser.get(returned.headers.location);
      expect(fill.status).toBe(200);
      expect(fill.headers['content-type']).toMatch(/^text\/html/);
      expect(fill.text).toContain(`value="${person.nickname}"`);
      expect(fill.text).toContain(`src="${person.avatar}`);
      // The link is worth nothing in another browser.
      const elsewhere = await browserAgent(t).get(returned.headers.location);
      expect(elsewhere.status).toBe(200);
      expect(alertOf(elsewhere.text)).toBe('链接已失效,请重新登录');

      const done = await browser
        .post('/sns/login/fill')
        .type('form')
        .send({
          _csrf: csrfOf(fill.text),
          openid: decodeURIComponent(openid),
          redirect_url: `${ALLOWED}/tv?from=sns`,
          nickname: `${person.nickname}!`,
        });
      // Another origin after a form: the continue page, with the session cookie.
      expect(done.status).toBe(200);
      expect(done.text).toContain(`<meta http-equiv="refresh" content="0;url=${ALLOWED}/tv?from=sns">`);
      expect(setCookie(done, 'moretv_session')).toMatch(/^moretv_session=eyJ/);
      const account = await browser.get('/userInfo');
      expect(account.status).toBe(200);
      expect(account.text).toContain(`${person.nickname}!`);
      expect(account.text).toContain(`已绑定 (${person.nickname})`);

      // Neither the code nor the state reached the request log.
      expect(t.logs.filter((line) => line.includes(approval.code) || line.includes(approval.state))).toEqual(
        [],
      );

      // Next time: straight in, to the account page.
      const again = browserAgent(t);
      const second = await back(again, type, await approve(again, type, person));
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe('/userInfo');
      expect((await again.get('/userInfo')).text).toContain(`${person.nickname}!`);
    });

    it('should refuse a wrong state and a replayed code, and say when the provider is down', async () => {
      const browser = browserAgent(t);
      const approval = await approve(browser, type, newPerson());
      const wrongState = await back(browser, type, { code: approval.code, state: 'A'.repeat(43) });
      expect(wrongState.status).toBe(200);
      expect(alertOf(wrongState.text)).toBe('登录已失效,请重新登录');
      // The state of another browser: refused there, and still good in its own.
      const thief = await back(browserAgent(t), type, approval);
      expect(alertOf(thief.text)).toBe('登录已失效,请重新登录');
      expect((await back(browser, type, approval)).status).toBe(303);

      // A code used once, brought back with a fresh state: the provider refuses it.
      const replay = browserAgent(t);
      const first = await approve(replay, type, newPerson());
      expect((await back(replay, type, first)).status).toBe(303);
      const fresh = await approve(replay, type, newPerson());
      const replayed = await back(replay, type, { code: first.code, state: fresh.state });
      expect(alertOf(replayed.text)).toBe('登录已失效,请重新登录');

      const down = browserAgent(t);
      const pending = await approve(down, type, newPerson());
      fakes[type].down = true;
      try {
        const failed = await back(down, type, pending);
        expect(failed.status).toBe(200);
        expect(alertOf(failed.text)).toBe('第三方登录暂时不可用,请稍后再试');
      } finally {
        fakes[type].down = false;
      }
    });
  });

  it('should go back where the flow started when the person declines, and drop a redirect_url off the allowed origins', async () => {
    const browser = browserAgent(t);
    const started = await browser
      .get('/sns/login/preauth')
      .query({ type: 'qq', redirect_url: 'https://evil.example/steal' });
    const { state } = fakes.qq.decline(started.headers.location);
    const declined = await browser.get('/sns/login/callback/qq').query({ state });
    expect(declined.status).toBe(303);
    expect(declined.headers.location).toBe('/user/login');
  });

  it('should refuse an unknown type and a bind without a session', async () => {
    const unknown = await t.http.get('/sns/login/preauth').query({ type: 'fb' });
    expect(unknown.status).toBe(200);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
    expect(alertOf(unknown.text)).toBe('不支持的登录方式');
    const bind = await t.http.get('/sns/login/preauth').query({ type: 'qq', action: 'bind' });
    expect(alertOf(bind.text)).toBe('您还未登陆,请登陆');
    const noFill = await t.http.post('/sns/login/fill').type('form').send({ openid: 'eA==', nickname: 'x' });
    expect(alertOf(noFill.text)).toBe('操作失败：表单已失效,请刷新页面后重试');
  });

  it('should refuse the sign-in of a banned account', async () => {
    const { person } = await signUp('wb');
    await t.db.query(
      `UPDATE users SET status = 'banned' WHERE id = (SELECT user_id FROM sns_identities WHERE provider = 'wb' AND subject = $1)`,
      [person.id],
    );
    const browser = browserAgent(t);
    const refused = await back(browser, 'wb', await approve(browser, 'wb', person));
    expect(alertOf(refused.text)).toBe('账号已被冻结');
  });

  it('should refuse a fill link whose sign-up is gone (POST)', async () => {
    const browser = browserAgent(t);
    const returned = await back(browser, 'db', await approve(browser, 'db', newPerson()));
    const fill = await browser.get(returned.headers.location);
    const body = {
      _csrf: csrfOf(fill.text),
      openid: /name="openid" value="([^"]+)"/.exec(fill.text)![1],
      nickname: '一次',
    };
    expect((await browser.post('/sns/login/fill').type('form').send(body)).status).toBe(303);
    const twice = await browser.post('/sns/login/fill').type('form').send(body);
    expect(alertOf(twice.text)).toBe('链接已失效,请重新登录');
  });

  it('should show the fill form again with the reason by its field', async () => {
    const taken = await moretvUser(t);
    const browser = browserAgent(t);
    const returned = await back(browser, 'qq', await approve(browser, 'qq', newPerson()));
    const fill = await browser.get(returned.headers.location);
    const openid = /name="openid" value="([^"]+)"/.exec(fill.text)![1];
    const post = (fields: Record<string, string>) =>
      browser
        .post('/sns/login/fill')
        .type('form')
        .send({ _csrf: csrfOf(fill.text), openid, ...fields });
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ nickname: '' }, 'nickname', '昵称不可用'],
      [{ nickname: 'ok', email: 'nope' }, 'email', 'Email格式有误'],
      [{ nickname: 'ok', email: 'a@example.com' }, 'email', 'Email不允许注册'],
      [{ nickname: 'ok', email: taken.email, password: 'secret-1' }, 'email', '该Email已经被注册'],
      [
        { nickname: 'ok', email: 'fresh@moretv-user.cn', password: '123' },
        'password',
        '密码长度需为6–64个字符',
      ],
      [{ nickname: 'ok', password: '1234567' }, 'email', 'Email格式有误'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await post(fields);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<p class="error" id="${field}-error" role="alert">${message}</p>`);
      expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    }
    const done = await post({
      nickname: '有密码',
      email: 'sns-with-password@moretv-user.cn',
      password: 'secret-99',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/userInfo');
    const login = await t.http
      .post('/user/login')
      .send({ email: 'sns-with-password@moretv-user.cn', password: 'secret-99' });
    expect(login.body).toEqual({ status: 0, err_msg: '' });
  });

  describe('bind and unbind', () => {
    it('should bind an identity to the signed-in account and unbind it', async () => {
      const user = await moretvUser(t);
      const browser = browserAgent(t);
      await browser.get('/userInfo').set('Cookie', user.cookie);
      const person = newPerson();
      const approval = await approve(browser.set('Cookie', user.cookie), 'qq', person, { action: 'bind' });
      const bound = await back(browser, 'qq', approval);
      expect(bound.status).toBe(303);
      expect(bound.headers.location).toBe('/userInfo?notice=bound');
      const page = await browser.get('/userInfo?notice=bound');
      expect(page.text).toContain('绑定成功');
      expect(page.text).toContain(`已绑定 (${person.nickname})`);

      // The identity now signs in as this account.
      const other = browserAgent(t);
      const signIn = await back(other, 'qq', await approve(other, 'qq', person));
      expect(signIn.headers.location).toBe('/userInfo');
      expect((await other.get('/userInfo')).text).toContain(user.email);

      // Unbind through the page's form; the account keeps its password.
      const unbound = await browser
        .post('/sns/login/unbind')
        .type('form')
        .send({ _csrf: csrfOf(page.text), type: 'qq' });
      expect(unbound.status).toBe(303);
      expect(unbound.headers.location).toBe('/userInfo?notice=unbound');
      // The document's GET, as its client calls it.
      expect((await browser.get('/sns/login/unbind').query({ type: 'wb' })).headers.location).toBe(
        '/userInfo?notice=unbound',
      );
    });

    it('should refuse to unbind the last way to sign in', async () => {
      const { browser, person } = await signUp('wx', newPerson({ unionid: `union-last-${people + 1}` }));
      const refused = await browser.get('/sns/login/unbind').query({ type: 'wx' });
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toBe('/userInfo?notice=unbind-last');
      const page = await browser.get(refused.headers.location);
      expect(page.text).toContain('无法解除绑定：这是您唯一的登录方式');
      expect(page.text).toContain(`已绑定 (${person.nickname})`);
      // With a second identity, the first may go.
      const approval = await approve(browser, 'db', newPerson(), { action: 'bind' });
      expect((await back(browser, 'db', approval)).headers.location).toBe('/userInfo?notice=bound');
      expect((await browser.get('/sns/login/unbind').query({ type: 'wx' })).headers.location).toBe(
        '/userInfo?notice=unbound',
      );
      expect((await browser.get('/sns/login/unbind').query({ type: 'db' })).headers.location).toBe(
        '/userInfo?notice=unbind-last',
      );
    });

    it('should tell on the account page when the identity is bound elsewhere or the type is bound already', async () => {
      const { person } = await signUp('qq');
      const user = await moretvUser(t);
      const browser = browserAgent(t);
      await browser.get('/userInfo').set('Cookie', user.cookie);
      browser.set('Cookie', user.cookie);
      const taken = await back(browser, 'qq', await approve(browser, 'qq', person, { action: 'bind' }));
      expect(taken.headers.location).toBe('/userInfo?notice=bind-taken');
      expect((await browser.get('/userInfo?notice=bind-taken')).text).toContain('该第三方账号已绑定其他账号');

      expect(
        (await back(browser, 'qq', await approve(browser, 'qq', newPerson(), { action: 'bind' }))).headers
          .location,
      ).toBe('/userInfo?notice=bound');
      const second = await back(browser, 'qq', await approve(browser, 'qq', newPerson(), { action: 'bind' }));
      expect(second.headers.location).toBe('/userInfo?notice=bind-exists');
    });

    it('should finish a bind only for the account that started it, signed in', async () => {
      const user = await moretvUser(t);
      const someoneElse = await moretvUser(t);
      const browser = browserAgent(t);
      await browser.get('/userInfo').set('Cookie', user.cookie);
      browser.set('Cookie', user.cookie);
      const approval = await approve(browser, 'wb', newPerson(), { action: 'bind' });
      const signedOut = await browser.get(`/sns/login/callback/wb`).query(approval).set('Cookie', '');
      expect(alertOf(signedOut.text)).toBe('您还未登陆,请登陆');

      const next = await approve(browser, 'wb', newPerson(), { action: 'bind' });
      const wrongAccount = await browser
        .get('/sns/login/callback/wb')
        .query(next)
        .set('Cookie', someoneElse.cookie);
      expect(alertOf(wrongAccount.text)).toBe('绑定失败：请使用发起绑定的账号登录');
    });

    it('should refuse an unbind signed out, of an unknown type, or from another site', async () => {
      expect(alertOf((await t.http.get('/sns/login/unbind').query({ type: 'qq' })).text)).toBe(
        '您还未登陆,请登陆',
      );
      const user = await moretvUser(t);
      const unknown = await t.http.get('/sns/login/unbind').query({ type: 'fb' }).set('Cookie', user.cookie);
      expect(alertOf(unknown.text)).toBe('不支持的登录方式');
      const linked = await t.http
        .get('/sns/login/unbind')
        .query({ type: 'qq' })
        .set('Cookie', user.cookie)
        .set('Referer', 'https://evil.example/click-me');
      expect(alertOf(linked.text)).toBe('操作失败：请求来源不被允许');
      const noReferrer = await t.http
        .get('/sns/login/unbind')
        .query({ type: 'qq' })
        .set('Cookie', user.cookie)
        .set('Sec-Fetch-Site', 'cross-site');
      expect(alertOf(noReferrer.text)).toBe('操作失败：请求来源不被允许');
      const forged = await t.http
        .post('/sns/login/unbind')
        .type('form')
        .set('Cookie', user.cookie)
        .send({ type: 'qq', _csrf: 'forged' });
      expect(alertOf(forged.text)).toBe('操作失败：表单已失效,请刷新页面后重试');
    });
  });
});

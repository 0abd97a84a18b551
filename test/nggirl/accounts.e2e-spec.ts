import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  md5,
  newPhone,
  NggirlClient,
  nggirlEnv,
  registerNggirlUser,
  type NggirlTokens,
} from '#test/helpers/nggirl.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser } from '#test/helpers/xiaoma.js';

const fail = (code: number, message: string) => ({ code, data: null, message });

interface Answer<T> {
  code: number;
  data: T;
  message?: string;
}

/** nggirl's accounts: codes, registration, sign-in, refresh and reset, as an unchanged client calls them. */
describe('nggirl accounts', () => {
  let t: TestApp;
  let client: NggirlClient;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock, env: nggirlEnv() });
    client = new NggirlClient(t, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const tokensShape = {
    userId: expect.any(Number),
    accessToken: expect.stringMatching(/^eyJ/),
    refreshToken: expect.stringMatching(/^rt_[A-Za-z0-9_-]{43}$/),
    expireTime: expect.any(Number),
    imAccount: expect.stringMatching(/^concord_[0-9a-f]{16}$/),
    imPassword: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
  };

  describe('getCode, checkRegisterCode, create', () => {
    it('should send a register code, check it without using it up, and create the account with it', async () => {
      const phone = newPhone();
      const sent = await client.get('getCode', { phoneNum: phone });
      expect(sent.status).toBe(200);
      expect(sent.body).toEqual({ code: 0, data: { code: expect.stringMatching(/^\d{6}$/) } });
      const code = (sent.body as Answer<{ code: string }>).data.code;

      const checked = await client.call('checkRegisterCode', { phoneNum: phone, code }, 'query');
      expect(checked.body).toEqual({ code: 0, data: null });

      const created = await client.call('create', { phoneNum: phone, password: md5('123456'), code });
      expect(created.body).toEqual({ code: 0, data: tokensShape });
      const tokens = (created.body as Answer<NggirlTokens>).data;
      const now = Math.floor(clock.now().getTime() / 1000);
      expect(tokens.expireTime).toBe(now + 2 * 3600);
      const [user] = await t.db.query<Array<{ id: string; phone: string }>>(
        `SELECT id, phone FROM users WHERE phone = $1`,
        [`+86${phone}`],
      );
      expect(String(tokens.userId)).toBe(user.id);
      // The IM password as stored is encrypted; the answer is the plain password in base64.
      const [im] = await t.db.query<Array<{ account: string; secret: string }>>(
        `SELECT * FROM im_accounts WHERE user_id = $1`,
        [user.id],
      );
      expect(JSON.stringify(im)).toContain(tokens.imAccount);
      expect(JSON.stringify(im)).not.toContain(Buffer.from(tokens.imPassword, 'base64').toString('utf8'));
    });

    it('should take the phone as a JSON number, and with +86', async () => {
      const phone = newPhone();
      const sent = await client.call('getCode', { phoneNum: Number(phone) }, 'json');
      expect(sent.body).toEqual({ code: 0, data: { code: expect.stringMatching(/^\d{6}$/) } });
      const code = (sent.body as Answer<{ code: string }>).data.code;
      const created = await client.call(
        'create',
        { phoneNum: `+86${phone}`, password: md5('x'), code },
        'json',
      );
      expect(created.body).toMatchObject({ code: 0 });
    });

    it('should answer data {} without VERIFICATION_ECHO_CODE', async () => {
      const quiet = await createTestApp({ clock, env: nggirlEnv({ VERIFICATION_ECHO_CODE: 'false' }) });
      try {
        const res = await new NggirlClient(quiet, { clock }).get('getCode', { phoneNum: newPhone() });
        expect(res.body).toEqual({ code: 0, data: {} });
      } finally {
        await quiet.close();
      }
    });

    it('should answer 4 to getCode and create for a registered number', async () => {
      const { phone } = await registerNggirlUser(client);
      expect((await client.get('getCode', { phoneNum: phone })).body).toEqual(fail(4, '手机号已注册'));
      const other = newPhone();
      const code = ((await client.get('getCode', { phoneNum: other })).body as Answer<{ code: string }>).data
        .code;
      await client.call('create', { phoneNum: other, password: md5('x'), code });
      expect((await client.call('create', { phoneNum: other, password: md5('x'), code })).body).toEqual(
        fail(4, '手机号已注册'),
      );
    });

    it('should answer 2 for a number that is not one, and for missing parameters', async () => {
      expect((await client.get('getCode', { phoneNum: '12345' })).body).toEqual(fail(2, '参数错误'));
      expect((await client.get('getCodeForgot', {})).body).toEqual(fail(2, '参数错误'));
      expect((await client.call('checkRegisterCode', { phoneNum: newPhone() })).body).toEqual(
        fail(2, '参数错误'),
      );
      expect((await client.call('create', { phoneNum: newPhone(), code: '123456' })).body).toEqual(
        fail(2, '参数错误'),
      );
    });

    it('should answer 6 for a wrong code, 7 for none or a used one, and 7 once five wrong tries burned it', async () => {
      const phone = newPhone();
      expect((await client.call('checkRegisterCode', { phoneNum: phone, code: '000000' })).body).toEqual(
        fail(7, '验证码已失效'),
      );
      const code = ((await client.get('getCode', { phoneNum: phone })).body as Answer<{ code: string }>).data
        .code;
      const wrong = code === '000000' ? '000001' : '000000';
      expect((await client.call('checkRegisterCode', { phoneNum: phone, code: wrong })).body).toEqual(
        fail(6, '验证码错误'),
      );
      expect(
        (await client.call('create', { phoneNum: phone, password: md5('x'), code: wrong })).body,
      ).toEqual(fail(6, '验证码错误'));
      for (let i = 0; i < 2; i++) await client.call('checkRegisterCode', { phoneNum: phone, code: wrong });
      expect((await client.call('checkRegisterCode', { phoneNum: phone, code: wrong })).body).toEqual(
        fail(7, '验证码已失效'),
      );
      // Burned: the right code fails too, at both routes.
      expect((await client.call('checkRegisterCode', { phoneNum: phone, code })).body).toEqual(
        fail(7, '验证码已失效'),
      );
      expect((await client.call('create', { phoneNum: phone, password: md5('x'), code })).body).toEqual(
        fail(7, '验证码已失效'),
      );

      const used = newPhone();
      const usedCode = ((await client.get('getCode', { phoneNum: used })).body as Answer<{ code: string }>)
        .data.code;
      await client.call('create', { phoneNum: used, password: md5('x'), code: usedCode });
      expect((await client.call('checkRegisterCode', { phoneNum: used, code: usedCode })).body).toEqual(
        fail(7, '验证码已失效'),
      );
    });

    it('should let a code expire after five minutes', async () => {
      const phone = newPhone();
      const code = ((await client.get('getCode', { phoneNum: phone })).body as Answer<{ code: string }>).data
        .code;
      clock.advance(5 * 60_000 + 1000);
      expect((await client.call('create', { phoneNum: phone, password: md5('x'), code })).body).toEqual(
        fail(7, '验证码已失效'),
      );
    });
  });

  describe('logon', () => {
    it('should sign in with md5 of the password, as created', async () => {
      const { phone } = await registerNggirlUser(client, md5('secret-1'));
      const res = await client.call('logon', { phoneNum: phone, password: md5('secret-1'), accessToken: '' });
      expect(res.body).toEqual({ code: 0, data: tokensShape });
      // Upper-case hex is the same digest.
      const upper = await client.get('logon', { phoneNum: phone, password: md5('secret-1').toUpperCase() });
      expect(upper.body).toMatchObject({ code: 0 });
    });

    it('should sign in a phone registered through xiaoma, with md5 of its password', async () => {
      const xiaoma = await registerXiaomaUser(t, 'xiaoma-password');
      const res = await client.call('logon', { phoneNum: xiaoma.phone, password: md5('xiaoma-password') });
      expect(res.body).toEqual({ code: 0, data: tokensShape });
      const wrong = await client.call('logon', { phoneNum: xiaoma.phone, password: 'xiaoma-password' });
      expect(wrong.body).toEqual(fail(5, '手机号或密码错误'));
    });

    it('should answer 5 for a wrong password and for a number with no account, alike', async () => {
      const { phone } = await registerNggirlUser(client);
      expect((await client.call('logon', { phoneNum: phone, password: md5('nope') })).body).toEqual(
        fail(5, '手机号或密码错误'),
      );
      expect((await client.call('logon', { phoneNum: newPhone(), password: md5('nope') })).body).toEqual(
        fail(5, '手机号或密码错误'),
      );
      expect((await client.call('logon', { phoneNum: phone })).body).toEqual(fail(2, '参数错误'));
    });

    it('should lock the account for this client after five wrong passwords (10), and say 10 to a banned one', async () => {
      const { phone } = await registerNggirlUser(client, md5('right'));
      for (let i = 0; i < 5; i++) await client.call('logon', { phoneNum: phone, password: md5('wrong') });
      expect((await client.call('logon', { phoneNum: phone, password: md5('right') })).body).toEqual(
        fail(10, '账号已被锁定'),
      );
      const banned = await registerNggirlUser(client, md5('right'));
      await t.db.query(`UPDATE users SET status = 'banned' WHERE phone = $1`, [`+86${banned.phone}`]);
      expect((await client.call('logon', { phoneNum: banned.phone, password: md5('right') })).body).toEqual(
        fail(10, '账号已被锁定'),
      );
    });

    it("should end the older session of the same user when logon carries its saved accessToken, and ignore another's", async () => {
      const { phone, tokens: first } = await registerNggirlUser(client, md5('pw'));
      const other = await registerNggirlUser(client, md5('pw'));
      const second = await client.call('logon', {
        phoneNum: phone,
        password: md5('pw'),
        accessToken: other.tokens.accessToken,
      });
      expect(second.body).toMatchObject({ code: 0 });
      // The other user's token was not this user's: it still works.
      expect(
        (await client.get('listCosmeticsClass', { accessToken: other.tokens.accessToken })).body,
      ).toMatchObject({ code: 0 });
      // Both of this user's sessions work until a logon names the first.
      expect((await client.get('listCosmeticsClass', { accessToken: first.accessToken })).body).toMatchObject(
        {
          code: 0,
        },
      );
      const third = await client.call('logon', {
        phoneNum: phone,
        password: md5('pw'),
        accessToken: first.accessToken,
      });
      expect(third.body).toMatchObject({ code: 0 });
      expect((await client.get('listCosmeticsClass', { accessToken: first.accessToken })).body).toEqual(
        fail(3, '授权令牌无效或已过期'),
      );
      // Its refresh token went with it.
      expect(
        (
          await client.call('authorization', {
            accessToken: first.accessToken,
            refreshToken: first.refreshToken,
          })
        ).body,
      ).toEqual(fail(3, '授权令牌无效或已过期'));
      const secondTokens = (second.body as Answer<NggirlTokens>).data;
      expect(
        (await client.get('listCosmeticsClass', { accessToken: secondTokens.accessToken })).body,
      ).toMatchObject({ code: 0 });
    });
  });

  describe('getCodeForgot and updatePasswordForgot', () => {
    it('should answer 1 for a number that is not registered', async () => {
      expect((await client.get('getCodeForgot', { phoneNum: newPhone() })).body).toEqual(
        fail(1, '用户未注册'),
      );
    });

    it('should reset the password with the code, answer a new pair, and end every session in every dialect', async () => {
      const xiaoma = await registerXiaomaUser(t, 'old-password');
      const ngLogon = await client.call('logon', { phoneNum: xiaoma.phone, password: md5('old-password') });
      const old = (ngLogon.body as Answer<NggirlTokens>).data;
      const sent = await client.get('getCodeForgot', { phoneNum: xiaoma.phone });
      expect(sent.body).toEqual({ code: 0, data: { code: expect.stringMatching(/^\d{6}$/) } });
      const code = (sent.body as Answer<{ code: string }>).data.code;

      const wrong = code === '000000' ? '000001' : '000000';
      expect(
        (
          await client.call('updatePasswordForgot', {
            phoneNum: xiaoma.phone,
            code: wrong,
            newPassword: md5('n'),
          })
        ).body,
      ).toEqual(fail(6, '验证码错误'));

      const reset = await client.call('updatePasswordForgot', {
        phoneNum: xiaoma.phone,
        code,
        newPassword: md5('new-password'),
      });
      expect(reset.body).toEqual({ code: 0, data: tokensShape });
      const fresh = (reset.body as Answer<NggirlTokens>).data;

      // The xiaoma session and the earlier nggirl pair are over; the new pair works.
      const xiaomaAnswer = await t.http.post(`/Api/User/get_user_details/token/${xiaoma.token}`);
      expect(xiaomaAnswer.body).toMatchObject({ state: 2 });
      expect((await client.get('listCosmeticsClass', { accessToken: old.accessToken })).body).toEqual(
        fail(3, '授权令牌无效或已过期'),
      );
      expect(
        (await client.call('authorization', { accessToken: old.accessToken, refreshToken: old.refreshToken }))
          .body,
      ).toEqual(fail(3, '授权令牌无效或已过期'));
      expect((await client.get('listCosmeticsClass', { accessToken: fresh.accessToken })).body).toMatchObject(
        {
          code: 0,
        },
      );
      // The new password works in both dialects, the old one in neither.
      expect(
        (await client.call('logon', { phoneNum: xiaoma.phone, password: md5('new-password') })).body,
      ).toMatchObject({ code: 0 });
      expect(
        (await t.http.post('/Api/User/login').send({ phone: xiaoma.phone, password: 'new-password' })).body,
      ).toMatchObject({ code: 1000 });
      expect(
        (await client.call('logon', { phoneNum: xiaoma.phone, password: md5('old-password') })).body,
      ).toEqual(fail(5, '手机号或密码错误'));
      // The code was used.
      expect(
        (await client.call('updatePasswordForgot', { phoneNum: xiaoma.phone, code, newPassword: md5('x') }))
          .body,
      ).toEqual(fail(7, '验证码已失效'));
    });

    it('should burn a reset code after five wrong tries (7) and refuse missing parameters (2)', async () => {
      const { phone } = await registerNggirlUser(client);
      const code = ((await client.get('getCodeForgot', { phoneNum: phone })).body as Answer<{ code: string }>)
        .data.code;
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 4; i++) {
        await client.call('updatePasswordForgot', { phoneNum: phone, code: wrong, newPassword: md5('n') });
      }
      expect(
        (await client.call('updatePasswordForgot', { phoneNum: phone, code: wrong, newPassword: md5('n') }))
          .body,
      ).toEqual(fail(7, '验证码已失效'));
      expect(
        (await client.call('updatePasswordForgot', { phoneNum: phone, code, newPassword: md5('n') })).body,
      ).toEqual(fail(7, '验证码已失效'));
      expect((await client.call('updatePasswordForgot', { phoneNum: phone, code })).body).toEqual(
        fail(2, '参数错误'),
      );
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

let counter = 15507890000;
const nextPhone = () => String(++counter);

const ok = (info: string, data: unknown) => ({ data, info, code: 1000, state: 1 });
const fail = (code: number, info: string) => ({ data: '', info, code, state: 2 });

describe('xiaoma /Api/User account endpoints', () => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      // Every request comes from 127.0.0.1, and every send_code counts against the address's hourly budget (20 by
      // default), whether or not a code goes out; its own suite tests that budget.
      env: {
        VERIFICATION_ECHO_CODE: 'true',
        LOGIN_IP_LIMIT_PER_MINUTE: '100000',
        VERIFICATION_MAX_PER_IP_PER_HOUR: '100000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: Record<string, unknown>) =>
    t.http.post(`/Api/User/${path}`).type('form').send(body);

  async function sendCode(phone: string, type?: string): Promise<string> {
    const res = await post('send_code', { phone, ...(type ? { type } : {}) });
    expect(res.body).toMatchObject(ok('发送成功', expect.anything()));
    return (res.body.data as { code: string }).code;
  }

  async function registered(password = 'secret123', registrationId = `jpush-${counter}`) {
    const phone = nextPhone();
    const code = await sendCode(phone);
    const res = await post('register', { phone, code, password, RegistrationID: registrationId });
    expect(res.body).toMatchObject(ok('注册成功', { token: expect.any(String) }));
    clock.advance(61_000);
    return { phone, password, token: (res.body.data as { token: string }).token, registrationId };
  }

  describe('send_code', () => {
    it('should send a six-digit code by SMS and echo it in development', async () => {
      const phone = nextPhone();
      const res = await post('send_code', { phone });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ok('发送成功', { code: expect.stringMatching(/^\d{6}$/) }));
      const sms = await t.db.query<Array<{ channel: string; body: string }>>(
        `SELECT channel, body FROM outbox_messages WHERE recipient = $1`,
        [`+86${phone}`],
      );
      expect(sms).toEqual([
        { channel: 'sms', body: expect.stringContaining((res.body.data as { code: string }).code) },
      ]);
    });

    it('should answer alike for a registered number, without sending a registration code', async () => {
      const user = await registered();
      const res = await post('send_code', { phone: user.phone });
      expect(res.body).toEqual(ok('发送成功', ''));
      const retrieve = await post('send_code', { phone: nextPhone(), type: 'retrieve' });
      expect(retrieve.body).toEqual(ok('发送成功', ''));
    });

    it('should refuse a second request within 60 s with 998 alike, whether or not a code went out', async () => {
      const user = await registered();
      const unknown = nextPhone();
      // A reset code goes to the registered number only, a registration code to the free one only.
      for (const [phone, type] of [
        [user.phone, 'retrieve'],
        [unknown, 'retrieve'],
        [user.phone, 'register'],
        [unknown, 'register'],
      ]) {
        expect((await post('send_code', { phone, type })).body).toMatchObject(
          ok('发送成功', expect.anything()),
        );
        expect((await post('send_code', { phone, type })).body).toEqual(fail(998, '发送太频繁,请稍后再试'));
      }
      clock.advance(61_000);
      expect((await post('send_code', { phone: unknown, type: 'retrieve' })).body).toEqual(
        ok('发送成功', ''),
      );
      clock.advance(61_000);
    });

    it('should refuse a malformed number with 1006 and a resend within 60 s with 998', async () => {
      expect((await post('send_code', { phone: '12345' })).body).toEqual(fail(1006, '输入的信息不符合'));
      const phone = nextPhone();
      await sendCode(phone);
      expect((await post('send_code', { phone })).body).toEqual(fail(998, '发送太频繁,请稍后再试'));
    });
  });

  describe('register', () => {
    it('should register with the code, record the JPush RegistrationID, and answer a working token', async () => {
      const user = await registered('secret123', 'jpush-device-1');
      const details = await t.http.get('/Api/User/get_user_details').query({ token: user.token });
      expect(details.body).toEqual(
        ok('', {
          _id: expect.stringMatching(/^\d+$/),
          account: user.phone,
          integral: '0',
          status: '2',
          uuid: 'jpush-device-1',
          portrait: '',
          currency: '0',
          virtual_currency: '0',
        }),
      );
    });

    it('should answer 1007 for a number already registered', async () => {
      const user = await registered();
      const res = await post('register', { phone: user.phone, code: '000000', password: 'another1' });
      expect(res.body).toEqual(fail(1007, '该账号已存在'));
    });

    it('should answer 1008 for a wrong, an expired or a burned code', async () => {
      const phone = nextPhone();
      const code = await sendCode(phone);
      const wrong = code === '000000' ? '111111' : '000000';
      expect((await post('register', { phone, code: wrong, password: 'secret123' })).body).toEqual(
        fail(1008, '验证码有误'),
      );
      for (let i = 0; i < 4; i++) await post('register', { phone, code: wrong, password: 'secret123' });
      expect((await post('register', { phone, code, password: 'secret123' })).body).toEqual(
        fail(1008, '验证码错误次数过多,请重新获取'),
      );

      const late = nextPhone();
      const lateCode = await sendCode(late);
      clock.advance(5 * 60_000);
      expect((await post('register', { phone: late, code: lateCode, password: 'secret123' })).body).toEqual(
        fail(1008, '验证码已失效,请重新获取'),
      );
    });

    it.each([
      ['a 5-character password', { password: '12345' }],
      ['a 17-character password', { password: 'x'.repeat(17) }],
      ['a malformed phone', { phone: '0123' }],
      ['no code', { code: undefined }],
    ])('should answer 1006 for %s', async (_label, overrides) => {
      const phone = nextPhone();
      const body = { phone, code: '123456', password: 'secret123', ...overrides };
      expect((await post('register', body)).body).toEqual(fail(1006, '输入的信息不符合'));
    });
  });

  describe('login', () => {
    it('should sign in from POST and from GET, with +86 or without, on any path case', async () => {
      const user = await registered();
      const res = await post('login', { phone: user.phone, password: user.password });
      expect(res.body).toEqual(ok('登录成功', { authenticationState: 0, token: expect.any(String) }));
      const viaGet = await t.http
        .get('/api/user/login')
        .query({ phone: `+86${user.phone}`, password: user.password });
      expect(viaGet.body).toMatchObject(ok('登录成功', expect.anything()));
    });

    it('should answer 1010 for a wrong password or an unknown number, and 1006 for a malformed one', async () => {
      const user = await registered();
      expect((await post('login', { phone: user.phone, password: 'wrong-one' })).body).toEqual(
        fail(1010, '账号密码错误'),
      );
      expect((await post('login', { phone: nextPhone(), password: 'whatever1' })).body).toEqual(
        fail(1010, '账号密码错误'),
      );
      expect((await post('login', { phone: 'abc', password: 'whatever1' })).body).toEqual(
        fail(1006, '账号密码格式不正确'),
      );
    });
  });

  describe('get_user_details and exit_login', () => {
    it('should accept the token as a path segment and as ?token=', async () => {
      const user = await registered();
      expect((await t.http.get(`/Api/User/get_user_details/token/${user.token}`).send()).body).toMatchObject(
        ok('', expect.anything()),
      );
      expect(
        (await t.http.get('/Api/User/get_user_details').query({ token: user.token })).body,
      ).toMatchObject(ok('', expect.anything()));
    });

    it('should answer 999 without a token, and 1015 for a closed account', async () => {
      expect((await t.http.get('/Api/User/get_user_details')).body).toEqual(fail(999, '用户未登录'));
      const user = await registered();
      await t.db.query(`UPDATE users SET status = 'closed' WHERE phone = $1`, [`+86${user.phone}`]);
      expect((await t.http.get('/Api/User/get_user_details').query({ token: user.token })).body).toEqual(
        fail(1015, '用户不存在'),
      );
      expect((await t.http.get(`/Api/User/exit_login/token/${user.token}`)).body).toEqual(
        fail(1015, '用户不存在'),
      );
    });

    it('should end the session at once on exit_login', async () => {
      const user = await registered();
      expect((await t.http.get(`/Api/User/exit_login/token/${user.token}`)).body).toEqual(ok('退出成功', ''));
      expect((await t.http.get('/Api/User/get_user_details').query({ token: user.token })).body).toEqual(
        fail(999, '用户未登录'),
      );
      expect((await t.http.get('/Api/User/exit_login').query({ token: user.token })).body).toEqual(
        fail(999, '用户未登录'),
      );
    });
  });

  describe('retrieve_password', () => {
    it('should set a new password with the SMS code and end every session', async () => {
      const user = await registered();
      const code = await sendCode(user.phone, 'retrieve');
      const res = await post('retrieve_password', {
        account: user.phone,
        phone_code: code,
        new_password: 'brand-new9',
      });
      expect(res.body).toEqual(ok('密码设置成功', ''));
      expect((await t.http.get('/Api/User/get_user_details').query({ token: user.token })).body).toEqual(
        fail(999, '用户未登录'),
      );
      expect((await post('login', { phone: user.phone, password: user.password })).body).toEqual(
        fail(1010, '账号密码错误'),
      );
      expect((await post('login', { phone: user.phone, password: 'brand-new9' })).body).toMatchObject(
        ok('登录成功', expect.anything()),
      );
    });

    it('should answer 1013 for a wrong or missing code, a register code, or an unknown number', async () => {
      const user = await registered();
      const code = await sendCode(user.phone, 'retrieve');
      const wrong = code === '000000' ? '111111' : '000000';
      expect(
        (
          await post('retrieve_password', {
            account: user.phone,
            phone_code: wrong,
            new_password: 'brand-new9',
          })
        ).body,
      ).toEqual(fail(1013, '验证码有误'));
      const registerCode = await sendCode(nextPhone());
      expect(
        (
          await post('retrieve_password', {
            account: nextPhone(),
            phone_code: registerCode,
            new_password: 'brand-new9',
          })
        ).body,
      ).toEqual(fail(1013, '验证码有误。数据未找到符合的验证码或验证码超出有效期'));
    });

    it('should answer 1006 for a new password of the wrong length', async () => {
      const res = await post('retrieve_password', {
        account: nextPhone(),
        phone_code: '123456',
        new_password: '123',
      });
      expect(res.body).toEqual(fail(1006, '输入的信息不符合'));
    });
  });
});

// Its own app and database: the failure it provokes drops a table.
describe('xiaoma register when the registration itself fails', () => {
  it('should answer 1009 when registration itself fails after a valid code, with HTTP 500', async () => {
    const broken = await createTestApp({ env: { VERIFICATION_ECHO_CODE: 'true' } });
    try {
      const phone = nextPhone();
      const sent = await broken.http.post('/Api/User/send_code').send({ phone });
      await broken.db.query('DROP TABLE user_credentials CASCADE');
      const res = await broken.http
        .post('/Api/User/register')
        .send({ phone, code: (sent.body.data as { code: string }).code, password: 'secret123' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual(fail(1009, '注册失败'));
    } finally {
      await broken.close();
    }
  });
});

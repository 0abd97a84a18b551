import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lastSmsCode, MRPYQ_ENV, mrpyqPost, newPhone, png, registerMrpyqUser } from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const THROTTLED = { result: '0012', message: '请求过于频繁' };

/**
 * The per-address budgets of the mrpyq routes, each spent from an address of its own (X-Forwarded-For, trusted from
 * loopback here), so the setup's requests do not count against the address under test.
 */
describe('mrpyq throttling', () => {
  let t: TestApp;
  let ip = 0;
  const nextIp = () => `10.77.0.${++ip}`;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...MRPYQ_ENV,
        TRUSTED_PROXIES: 'loopback',
        ACCOUNT_IP_LIMIT_PER_HOUR: '2',
        LOGIN_IP_LIMIT_PER_MINUTE: '2',
        VERIFICATION_CHECKS_PER_IP_PER_HOUR: '1',
        ANONYMOUS_UPLOADS_PER_IP_PER_HOUR: '1',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should stop sending codes and registering past the account budget of the address', async () => {
    const from = nextIp();
    expect((await mrpyqPost(t, '/register', { token: newPhone() }, from)).result).toBe('0000');
    expect((await mrpyqPost(t, '/register', { token: newPhone() }, from)).result).toBe('0000');

    expect(await mrpyqPost(t, '/register', { token: newPhone() }, from)).toEqual(THROTTLED);
    expect(
      await mrpyqPost(t, '/register', { register: '1', userId: newPhone(), password: 'abc12345' }, from),
    ).toEqual(THROTTLED);
  });

  it('should stop checking codes past the address’s checks per hour', async () => {
    const from = nextIp();
    const phone = newPhone();
    const ticket = (await mrpyqPost(t, '/register', { token: phone }, nextIp())).message as string;
    const code = await lastSmsCode(t, phone);
    const wrong = code === '0000' ? '1111' : '0000';
    expect((await mrpyqPost(t, '/register', { code_v: ticket, code: wrong }, from)).result).toBe('0004');

    expect(await mrpyqPost(t, '/register', { code_v: ticket, code }, from)).toEqual(THROTTLED);
  });

  it('should stop signing in past the address’s sign-in budget', async () => {
    const user = await registerMrpyqUser(t, { ip: nextIp() });
    const from = nextIp();
    for (let i = 0; i < 2; i++) {
      expect((await mrpyqPost(t, '/log', { userId: user.phone, password: 'wrong123' }, from)).result).toBe(
        '0008',
      );
    }

    expect(await mrpyqPost(t, '/log', { userId: user.phone, password: user.password }, from)).toEqual(
      THROTTLED,
    );
  });

  it('should stop searching and adding friends past the account budget (each answer tells who is registered)', async () => {
    const a = await registerMrpyqUser(t, { ip: nextIp() });
    const b = await registerMrpyqUser(t, { ip: nextIp() });
    const from = nextIp();
    for (let i = 0; i < 2; i++) {
      expect(
        (await mrpyqPost(t, '/friend', { token: a.token, search: '1', userId: b.phone }, from)).result,
      ).toBe('0000');
    }

    expect(await mrpyqPost(t, '/friend', { token: a.token, search: '1', userId: b.phone }, from)).toEqual(
      THROTTLED,
    );
    expect(await mrpyqPost(t, '/friend', { token: a.token, add: '1', userId: b.phone }, from)).toEqual(
      THROTTLED,
    );
  });

  it('should stop anonymous uploads past the address’s budget', async () => {
    const from = nextIp();
    const send = async () =>
      (
        await t.http
          .post('/upload')
          .set('X-Forwarded-For', from)
          .attach('img', await png(), 'a.png')
      ).body as {
        result: string;
        message: string;
      };
    expect((await send()).result).toBe('0000');

    expect(await send()).toEqual({ result: '0012', message: '上传过于频繁,请稍后再试' });
  });
});

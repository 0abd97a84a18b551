import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser } from '#test/helpers/xiaoma.js';

const fail = (code: number, info: string) => ({ data: '', info, code, state: 2 });

/** The refusals of xiaoma's sign-in, reset and upload that its main suite leaves out: lockouts, bans, budgets. */
describe('xiaoma refusals', () => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        VERIFICATION_ECHO_CODE: 'true',
        VERIFICATION_MAX_PER_IP_PER_HOUR: '100000',
        LOGIN_IP_LIMIT_PER_MINUTE: '12',
        UPLOAD_MAX_BYTES: '2048',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: Record<string, unknown>) =>
    t.http.post(`/Api/User/${path}`).type('form').send(body);

  it('should lock a client out of an account after five wrong passwords, the right one included', async () => {
    clock.advance(60_000);
    const { phone } = await registerXiaomaUser(t, 'right-password');
    for (let i = 0; i < 5; i++) {
      expect((await post('login', { phone, password: 'wrong' })).body).toEqual(fail(1010, '账号密码错误'));
    }
    expect((await post('login', { phone, password: 'right-password' })).body).toEqual(
      fail(1010, '密码错误次数过多,请稍后再试'),
    );
  });

  it('should tell a banned account so, once the password is right', async () => {
    clock.advance(60_000);
    const { phone } = await registerXiaomaUser(t, 'right-password');
    await t.db.query(`UPDATE users SET status = 'banned' WHERE phone = $1`, [`+86${phone}`]);
    expect((await post('login', { phone, password: 'right-password' })).body).toEqual(
      fail(1010, '账号已被冻结'),
    );
  });

  it('should refuse sign-ins past the address budget of the minute', async () => {
    clock.advance(60_000 - (clock.now().getTime() % 60_000));
    const answers = [];
    for (let i = 0; i < 13; i++)
      answers.push((await post('login', { phone: '13900000000', password: 'x' })).body);
    expect(answers.at(-1)).toEqual(fail(1010, '登录太频繁,请稍后再试'));
  });

  it('should burn a reset code after five wrong tries', async () => {
    clock.advance(120_000);
    const { phone } = await registerXiaomaUser(t);
    clock.advance(61_000);
    const sent = await post('send_code', { phone, type: 'retrieve' });
    const code = (sent.body as { data: { code: string } }).data.code;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      await post('retrieve_password', { account: phone, phone_code: wrong, new_password: 'new-secret1' });
    }
    expect(
      (await post('retrieve_password', { account: phone, phone_code: wrong, new_password: 'new-secret1' }))
        .body,
    ).toEqual(fail(1013, '验证码错误次数过多,请重新获取'));
    expect(
      (await post('retrieve_password', { account: phone, phone_code: code, new_password: 'new-secret1' }))
        .body,
    ).toEqual(fail(1013, '验证码错误次数过多,请重新获取'));
  });

  it('should refuse an image over UPLOAD_MAX_BYTES before reading it all', async () => {
    clock.advance(120_000);
    const { token } = await registerXiaomaUser(t);
    const res = await t.http
      .post(`/Api/User/upload_image/token/${token}`)
      .attach('file', Buffer.alloc(4096, 1), { filename: 'big.png', contentType: 'image/png' });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(fail(1001, '输入的信息有误'));
  });
});

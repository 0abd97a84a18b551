import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  lastSmsCode,
  loginMrpyq,
  MRPYQ_ENV,
  mrpyqPost,
  newPhone,
  png,
  registerMrpyqUser,
  verifyMrpyqPhone,
} from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MINUTE = 60_000;

describe('mrpyq accounts: /register, /upload, /log', () => {
  let t: TestApp;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock();
    t = await createTestApp({ clock, env: MRPYQ_ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Codes have a resend cooldown per number: a fresh number per test avoids it, the clock moves past it. */
  const sendCode = (form: Record<string, string>) => mrpyqPost(t, '/register', form);

  describe('sending a code (/register without register=1 or code)', () => {
    it('should send a 4-digit code by SMS and answer an opaque ticket, never the code', async () => {
      const phone = newPhone();

      const res = await sendCode({ token: phone });

      expect(res.result).toBe('0000');
      const ticket = res.message as string;
      const code = await lastSmsCode(t, phone);
      expect(code).toMatch(/^\d{4}$/);
      expect(ticket).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(ticket).not.toContain(code);
      expect(JSON.stringify(t.logs)).not.toContain(ticket);
    });

    it('should take the phone from userId or phone as well as token', async () => {
      for (const name of ['userId', 'phone']) {
        const phone = newPhone();
        const res = await sendCode({ [name]: phone });
        expect(res.result).toBe('0000');
        expect(await lastSmsCode(t, phone)).toMatch(/^\d{4}$/);
      }
    });

    it('should answer 0001 for a number registered in any dialect, and send nothing', async () => {
      const user = await registerMrpyqUser(t);
      clock.advance(61_000); // past the resend cooldown of the code it registered with
      const before = await t.db.query<unknown[]>(`SELECT 1 FROM outbox_messages`);

      expect(await sendCode({ token: user.phone })).toEqual({ result: '0001', message: '该手机号已被注册' });
      expect(await t.db.query<unknown[]>(`SELECT 1 FROM outbox_messages`)).toHaveLength(before.length);
    });

    it('should answer 0002 for something that is not a phone number', async () => {
      expect(await sendCode({ token: 'not-a-phone' })).toEqual({
        result: '0002',
        message: '手机号格式不正确',
      });
      expect(await sendCode({})).toEqual({ result: '0002', message: '手机号格式不正确' });
    });

    it('should answer 0012 to a second request for the same number within the cooldown', async () => {
      const phone = newPhone();
      expect((await sendCode({ token: phone })).result).toBe('0000');

      expect(await sendCode({ token: phone })).toEqual({ result: '0012', message: '请求过于频繁' });

      clock.advance(61_000);
      expect((await sendCode({ token: phone })).result).toBe('0000');
    });
  });

  describe('checking the code (/register with code and code_v)', () => {
    it('should accept the right code for the ticket once', async () => {
      const phone = newPhone();
      const ticket = (await sendCode({ token: phone })).message as string;
      const code = await lastSmsCode(t, phone);

      expect(await mrpyqPost(t, '/register', { code_v: ticket, code })).toEqual({
        result: '0000',
        message: null,
      });
      // The code is used up: the same pair again is refused.
      expect((await mrpyqPost(t, '/register', { code_v: ticket, code })).result).toBe('0004');
    });

    it('should answer 0004 for a wrong code and 0005 once five wrong tries burned it, even for the right one', async () => {
      const phone = newPhone();
      const ticket = (await sendCode({ token: phone })).message as string;
      const code = await lastSmsCode(t, phone);
      const wrong = code === '0000' ? '1111' : '0000';

      for (let i = 0; i < 4; i++) {
        expect(await mrpyqPost(t, '/register', { code_v: ticket, code: wrong })).toEqual({
          result: '0004',
          message: '验证码错误',
        });
      }
      expect(await mrpyqPost(t, '/register', { code_v: ticket, code: wrong })).toEqual({
        result: '0005',
        message: '验证码错误次数过多',
      });
      expect((await mrpyqPost(t, '/register', { code_v: ticket, code })).result).toBe('0005');
    });

    it('should answer 0004 for a ticket it did not issue, or one altered to name another number', async () => {
      const phone = newPhone();
      const ticket = (await sendCode({ token: phone })).message as string;
      const code = await lastSmsCode(t, phone);
      const [payload, mac] = ticket.split('.');
      const other = newPhone();
      const altered = `${Buffer.from(
        Buffer.from(payload, 'base64url').toString('utf8').replace(`+86${phone}`, `+86${other}`),
      ).toString('base64url')}.${mac}`;

      for (const forged of ['0427', `${payload}.${'A'.repeat(43)}`, altered]) {
        expect(await mrpyqPost(t, '/register', { code_v: forged, code })).toEqual({
          result: '0004',
          message: '验证码错误',
        });
      }
      // The real ticket still works: forged ones cost the code nothing.
      expect((await mrpyqPost(t, '/register', { code_v: ticket, code })).result).toBe('0000');
    });

    it('should answer 0004 for an expired ticket', async () => {
      const phone = newPhone();
      const ticket = (await sendCode({ token: phone })).message as string;
      const code = await lastSmsCode(t, phone);

      clock.advance(5 * MINUTE + 1000);

      expect(await mrpyqPost(t, '/register', { code_v: ticket, code })).toEqual({
        result: '0004',
        message: '验证码已失效,请重新获取',
      });
    });

    it('should answer 0002 without the ticket', async () => {
      expect((await mrpyqPost(t, '/register', { code: '1234' })).result).toBe('0002');
    });
  });

  describe('registering (/register with register=1)', () => {
    it('should open the account of a verified number, with its nickname and gender, and let it sign in', async () => {
      const phone = newPhone();
      await verifyMrpyqPhone(t, phone);

      const res = await mrpyqPost(t, '/register', {
        register: '1',
        userId: phone,
        password: 'abc12345',
        gender: '0',
        nickname: '小红',
      });

      expect(res).toEqual({ result: '0000', message: null });
      const [row] = await t.db.query<Array<{ nickname: string; gender: number; sessions: string }>>(
        `SELECT u.nickname, u.gender, (SELECT count(*) FROM sessions s WHERE s.user_id = u.id) AS sessions
           FROM users u WHERE u.phone = $1`,
        [`+86${phone}`],
      );
      // "0" 女 is stored as ISO/IEC 5218's 2 (female); no session is opened before /log.
      expect(row).toEqual({ nickname: '小红', gender: 2, sessions: '0' });
      expect(typeof (await loginMrpyq(t, phone, 'abc12345'))).toBe('string');
    });

    it('should store "1" as male (1) and no gender as null', async () => {
      const male = await registerMrpyqUser(t, { gender: '1' });
      const unknown = await registerMrpyqUser(t);
      const rows = await t.db.query<Array<{ id: string; gender: number | null }>>(
        `SELECT id, gender FROM users WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [[male.id, unknown.id]],
      );
      expect(rows.map((r) => r.gender)).toEqual([1, null]);
    });

    it('should answer 0004 for a number that did not pass the check, or whose check was used or expired', async () => {
      const never = newPhone();
      const expected = { result: '0004', message: '手机号未通过验证码校验' };
      expect(await mrpyqPost(t, '/register', { register: '1', userId: never, password: 'abc12345' })).toEqual(
        expected,
      );

      const used = await registerMrpyqUser(t);
      // Its verification opened one account; it cannot open another (nor tell whether the number is taken).
      expect(
        await mrpyqPost(t, '/register', { register: '1', userId: used.phone, password: 'abc12345' }),
      ).toEqual(expected);

      const late = newPhone();
      await verifyMrpyqPhone(t, late);
      clock.advance(31 * MINUTE);
      expect(await mrpyqPost(t, '/register', { register: '1', userId: late, password: 'abc12345' })).toEqual(
        expected,
      );
    });

    it('should answer 0002 for a password without 8 characters, letters and digits, or a gender it does not know', async () => {
      const phone = newPhone();
      await verifyMrpyqPhone(t, phone);
      const forms: Array<Record<string, string>> = [
        { password: 'abc1234' },
        { password: 'abcdefgh' },
        { password: '12345678' },
        { password: 'abc12345', gender: '2' },
      ];
      for (const form of forms) {
        expect((await mrpyqPost(t, '/register', { register: '1', userId: phone, ...form })).result).toBe(
          '0002',
        );
      }
      // None of these used the verification up.
      expect(
        (await mrpyqPost(t, '/register', { register: '1', userId: phone, password: 'abc12345' })).result,
      ).toBe('0000');
    });

    it('should answer 0002 for a nickname that is invisible or impersonates staff', async () => {
      const phone = newPhone();
      await verifyMrpyqPhone(t, phone);
      for (const nickname of ['\u200b\u200b', '官方客服']) {
        expect(
          await mrpyqPost(t, '/register', { register: '1', userId: phone, password: 'abc12345', nickname }),
        ).toEqual({ result: '0002', message: '昵称不可用' });
      }
    });

    it('should answer 0001 when the number was registered elsewhere after it passed the check', async () => {
      const phone = newPhone();
      await verifyMrpyqPhone(t, phone);
      await t.db.query(`INSERT INTO users (phone, nickname) VALUES ($1, 'elsewhere')`, [`+86${phone}`]);

      expect(await mrpyqPost(t, '/register', { register: '1', userId: phone, password: 'abc12345' })).toEqual(
        {
          result: '0001',
          message: '该手机号已被注册',
        },
      );
    });

    it('should take headImage from /upload, give the upload to the account, and refuse an address that is none', async () => {
      const upload = await t.http.post('/upload').attach('img', await png(), 'avatar.png');
      expect(upload.body).toEqual({
        result: '0000',
        message: expect.stringMatching(/^http:\/\/.+\/media\/images\/.+\.png$/),
      });
      const url = (upload.body as { message: string }).message;
      const phone = newPhone();
      await verifyMrpyqPhone(t, phone);

      const copied = await mrpyqPost(t, '/register', {
        register: '1',
        userId: phone,
        password: 'abc12345',
        headImage: 'https://elsewhere.example/a.png',
      });
      expect(copied.result).toBe('0002');

      const res = await mrpyqPost(t, '/register', {
        register: '1',
        userId: phone,
        password: 'abc12345',
        headImage: url,
      });
      expect(res.result).toBe('0000');
      const [row] = await t.db.query<Array<{ avatar: string; owner: string; id: string }>>(
        `SELECT u.avatar_url AS avatar, m.user_id AS owner, u.id FROM users u
           JOIN media_uploads m ON m.key = substring($2 FROM '/media/(.*)$') WHERE u.phone = $1`,
        [`+86${phone}`, url],
      );
      expect(row.avatar).toBe(url);
      expect(row.owner).toBe(row.id);

      // An upload is claimed once: another registration cannot take it.
      const other = newPhone();
      await verifyMrpyqPhone(t, other);
      expect(
        (
          await mrpyqPost(t, '/register', {
            register: '1',
            userId: other,
            password: 'abc12345',
            headImage: url,
          })
        ).result,
      ).toBe('0002');
    });
  });

  describe('signing in (/log)', () => {
    it('should answer the token in message, good on authenticated routes', async () => {
      const user = await registerMrpyqUser(t);

      const res = await mrpyqPost(t, '/log', {
        userId: user.phone,
        password: user.password,
        expire_in: '3600',
      });

      expect(res.result).toBe('0000');
      expect(typeof res.message).toBe('string');
      const list = await mrpyqPost(t, '/list', { token: res.message as string, friendlist: '1' });
      expect(list).toEqual({ result: '0000', message: { count: 0, friends: [] } });
    });

    it('should end the token after expire_in seconds, and never later than MRPYQ_MAX_TOKEN_TTL', async () => {
      const user = await registerMrpyqUser(t);
      const short = (
        await mrpyqPost(t, '/log', { userId: user.phone, password: user.password, expire_in: '60' })
      ).message as string;
      const long = (
        await mrpyqPost(t, '/log', { userId: user.phone, password: user.password, expire_in: '315360000' })
      ).message as string;
      const none = (await mrpyqPost(t, '/log', { userId: user.phone, password: user.password }))
        .message as string;
      const works = async (token: string) => (await mrpyqPost(t, '/list', { token, friendlist: '1' })).result;

      clock.advance(61_000);
      expect(await works(short)).toBe('0003');
      expect(await works(long)).toBe('0000');

      clock.advance(7 * 24 * 60 * MINUTE - 2 * MINUTE);
      expect(await works(long)).toBe('0000');
      expect(await works(none)).toBe('0000');
      clock.advance(2 * MINUTE);
      expect(await works(long)).toBe('0003');
      expect(await works(none)).toBe('0003');
    });

    it('should sign in a number registered through xiaoma with the same password', async () => {
      const phone = newPhone();
      await t.http.post('/Api/User/send_code').send({ phone });
      const code = await lastSmsCode(t, phone, 6);
      const registered = await t.http.post('/Api/User/register').send({ phone, code, password: 'xiaoma99' });
      expect((registered.body as { code: number }).code).toBe(1000);

      const res = await mrpyqPost(t, '/log', { userId: phone, password: 'xiaoma99', expire_in: '600' });

      expect(res.result).toBe('0000');
    });

    it('should answer 0008 alike for a wrong password and an unknown number', async () => {
      const user = await registerMrpyqUser(t);
      const wrong = await mrpyqPost(t, '/log', { userId: user.phone, password: 'wrong123', expire_in: '60' });
      const unknown = await mrpyqPost(t, '/log', {
        userId: newPhone(),
        password: 'wrong123',
        expire_in: '60',
      });

      expect(wrong).toEqual({ result: '0008', message: '用户名或密码错误' });
      expect(unknown).toEqual(wrong);
    });

    it('should lock a client out after five wrong passwords, even for the right one', async () => {
      const user = await registerMrpyqUser(t);
      for (let i = 0; i < 5; i++) {
        await mrpyqPost(t, '/log', { userId: user.phone, password: 'wrong123' });
      }

      expect(await mrpyqPost(t, '/log', { userId: user.phone, password: user.password })).toEqual({
        result: '0008',
        message: '密码错误次数过多,请稍后再试',
      });
    });

    it('should tell a banned account so, and only with its password', async () => {
      const user = await registerMrpyqUser(t);
      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);

      expect(await mrpyqPost(t, '/log', { userId: user.phone, password: user.password })).toEqual({
        result: '0008',
        message: '账号已被冻结',
      });
      expect((await mrpyqPost(t, '/log', { userId: user.phone, password: 'wrong123' })).message).toBe(
        '用户名或密码错误',
      );
    });

    it('should answer 0002 for a malformed number or expire_in', async () => {
      expect((await mrpyqPost(t, '/log', { userId: '12', password: 'abc12345' })).result).toBe('0002');
      expect(
        (await mrpyqPost(t, '/log', { userId: newPhone(), password: 'abc12345', expire_in: '7 days' }))
          .result,
      ).toBe('0002');
      expect(
        (await mrpyqPost(t, '/log', { userId: newPhone(), password: 'abc12345', expire_in: '0' })).result,
      ).toBe('0002');
    });
  });

  describe('operation markers', () => {
    it('should answer 0002 for a shared path with no marker, an unknown one, or two', async () => {
      const user = await registerMrpyqUser(t);
      expect((await mrpyqPost(t, '/room', { token: user.token })).result).toBe('0002');
      expect((await mrpyqPost(t, '/golden', { token: user.token, spend: '1' })).result).toBe('0002');
      expect(
        (await mrpyqPost(t, '/friend', { token: user.token, search: '1', add: '1', userId: user.phone }))
          .result,
      ).toBe('0002');
      expect((await mrpyqPost(t, '/list', { token: user.token, friendlist: '0' })).result).toBe('0002');
      const get = await t.http.get('/list').query({ token: user.token, friendlist: '1' });
      expect((get.body as { result: string }).result).toBe('0002');
    });

    it('should answer 0003 on authenticated operations without a valid token', async () => {
      for (const [path, marker] of [
        ['/room', 'live'],
        ['/room', 'leave'],
        ['/list', 'friendlist'],
        ['/list', 'messagelist'],
        ['/friend', 'search'],
        ['/friend', 'add'],
        ['/friend', 'dealMessage'],
        ['/friend', 'delete'],
        ['/golden', 'send_gift'],
        ['/golden', 'refill'],
      ]) {
        expect(await mrpyqPost(t, path, { token: 'nope', [marker]: '1' })).toEqual({
          result: '0003',
          message: '用户标识无效,请重新登录',
        });
      }
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/** The session id an access token carries (its `sid` claim). */
const sessionIdOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

describe('nuzzle /passport/email/login', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (body: Record<string, unknown>) => t.http.post('/passport/email/login').send(body);
  const profile = (token: string) => t.http.get('/user/profile').set('Authorization', token);

  /** The registration answer of a user, to compare the login answer with. */
  async function registered(): Promise<{ user: NuzzleTestUser; registerTime: number }> {
    const user = await registerNuzzleUser(t);
    const rows = await t.db.query<Array<{ ms: string }>>(
      `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM users WHERE id = $1`,
      [user.id],
    );
    return { user, registerTime: Number(rows[0].ms) };
  }

  it('should sign in from a urlencoded body and answer every documented field', async () => {
    const { user, registerTime } = await registered();

    const res = await t.http
      .post('/passport/email/login')
      .type('form')
      .send({ email: user.email, password: user.password, pf: 'android', tz: 'Asia/Shanghai' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: user.id,
        userId: user.id,
        token: expect.any(String),
        status: 'NORMAL',
        email: user.email,
        nickname: user.nickname,
        facebookId: '',
        regDone: false,
        type: 'nobody',
        avatar: '',
        thumbnail: '',
        registerTime,
      },
    });
    expect(res.body.data.token).not.toBe(user.token);
    const me = await profile(res.body.data.token);
    expect(me.body).toMatchObject({ ret: 200, data: { id: user.id, email: user.email } });
  });

  it('should sign in from a JSON body', async () => {
    const { user, registerTime } = await registered();

    const res = await login({ email: user.email, password: user.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: user.id,
        userId: user.id,
        token: expect.any(String),
        status: 'NORMAL',
        email: user.email,
        nickname: user.nickname,
        facebookId: '',
        regDone: false,
        type: 'nobody',
        avatar: '',
        thumbnail: '',
        registerTime,
      },
    });
  });

  it('should answer the stored profile fields (avatar as thumbnail too, facebookId, type, regDone)', async () => {
    const { user } = await registered();
    await t.db.query(
      `UPDATE users SET avatar_url = $2, facebook_id = $3, type = 'star', reg_done = true WHERE id = $1`,
      [user.id, 'https://cdn.example.com/a.png', '2112121212121212'],
    );

    const res = await login({ email: user.email, password: user.password });

    expect(res.body).toMatchObject({
      ret: 200,
      data: {
        id: user.id,
        facebookId: '2112121212121212',
        regDone: true,
        type: 'star',
        avatar: 'https://cdn.example.com/a.png',
        thumbnail: 'https://cdn.example.com/a.png',
      },
    });
  });

  it('should match the email whatever its case', async () => {
    const { user } = await registered();

    const res = await login({ email: user.email.toUpperCase(), password: user.password });

    expect(res.body).toMatchObject({ ret: 200, data: { id: user.id, email: user.email } });
  });

  it('should verify an upper-case md5 hex password the same as lower-case', async () => {
    const { user } = await registered();

    const upper = await login({ email: user.email, password: user.password.toUpperCase() });
    const lower = await login({ email: user.email, password: user.password });

    expect(upper.body).toMatchObject({ ret: 200, data: { id: user.id } });
    expect(lower.body).toMatchObject({ ret: 200, data: { id: user.id } });
  });

  it('should keep a password that is not md5 hex as sent, case and all', async () => {
    const email = 'opaque@example.com';
    const opaque = 'JF2OFJ23FJOJWFI2JOFJ3OI2FJOWI';
    const reg = await t.http
      .post('/passport/email/register')
      .send({ email, password: opaque, nickname: 'Opaque' });
    expect(reg.body).toMatchObject({ ret: 200 });

    expect((await login({ email, password: opaque })).body).toMatchObject({ ret: 200 });
    expect((await login({ email, password: opaque.toLowerCase() })).body).toEqual({
      ret: 500,
      errcode: 'PASSWD_NOT_MATCH',
    });
  });

  it('should answer PASSWD_NOT_MATCH for a wrong password', async () => {
    const { user } = await registered();

    const res = await login({ email: user.email, password: md5('wrong') });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should answer PASSWD_NOT_MATCH for an unknown email, like a wrong password', async () => {
    const res = await login({ email: 'nobody-here@example.com', password: md5('whatever') });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should answer USER_IS_CANCELED for a banned user with the right password', async () => {
    const { user } = await registered();
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);

    const res = await login({ email: user.email, password: user.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'USER_IS_CANCELED' });
  });

  it('should answer PASSWD_NOT_MATCH for a banned user with a wrong password', async () => {
    const { user } = await registered();
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);

    const res = await login({ email: user.email, password: md5('wrong') });

    expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should answer PASSWD_NOT_MATCH for a closed user, as if it did not exist', async () => {
    const { user } = await registered();
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [user.id]);

    const res = await login({ email: user.email, password: user.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it.each([
    ['no email', { password: md5('pw') }],
    ['an empty email', { email: '', password: md5('pw') }],
    ['a malformed email', { email: 'not-an-email', password: md5('pw') }],
    ['an array as email', { email: ['a@example.com', 'b@example.com'], password: md5('pw') }],
    ['no password', { email: 'p1@example.com' }],
    ['an empty password', { email: 'p2@example.com', password: '' }],
    ['a number as password', { email: 'p3@example.com', password: 123456 }],
    ['an object as password', { email: 'p4@example.com', password: { $ne: '' } }],
    ['a number as pushToken', { email: 'p5@example.com', password: md5('pw'), pushToken: 42 }],
  ])('should answer PARAM_ERROR for %s', async (_label, body) => {
    const res = await login(body);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should record the push token given at login as a device of the user', async () => {
    const { user } = await registered();

    const res = await login({
      email: user.email,
      password: user.password,
      pf: 'Android',
      pushToken: 'fcm-1',
    });

    expect(res.body).toMatchObject({ ret: 200 });
    const devices = await t.db.query<
      Array<{ userId: string; provider: string; platform: string; sessionId: string }>
    >(
      `SELECT user_id::text AS "userId", push_provider AS provider, platform, session_id::text AS "sessionId"
         FROM devices WHERE push_token = $1`,
      ['fcm-1'],
    );
    expect(devices).toEqual([
      {
        userId: user.id,
        provider: 'nuzzle',
        platform: 'android',
        sessionId: sessionIdOf(res.body.data.token),
      },
    ]);
  });

  it('should move a push token to the user who signed in with it last', async () => {
    const a = await registerNuzzleUser(t);
    const b = await registerNuzzleUser(t);

    const first = await login({ email: a.email, password: a.password, pf: 'ios', pushToken: 'apns-shared' });
    const second = await login({ email: b.email, password: b.password, pf: 'ios', pushToken: 'apns-shared' });

    expect(first.body).toMatchObject({ ret: 200, data: { id: a.id } });
    expect(second.body).toMatchObject({ ret: 200, data: { id: b.id } });
    const devices = await t.db.query<Array<{ userId: string; sessionId: string }>>(
      `SELECT user_id::text AS "userId", session_id::text AS "sessionId" FROM devices WHERE push_token = $1`,
      ['apns-shared'],
    );
    expect(devices).toEqual([{ userId: b.id, sessionId: sessionIdOf(second.body.data.token) }]);
  });

  it('should record pf, lower-cased, on the session the login opens', async () => {
    const { user } = await registered();

    const res = await login({ email: user.email, password: user.password, pf: 'iOS' });

    const sessions = await t.db.query<Array<{ userId: string; dialect: string; platform: string }>>(
      `SELECT user_id::text AS "userId", dialect, platform FROM sessions WHERE id = $1`,
      [sessionIdOf(res.body.data.token)],
    );
    expect(sessions).toEqual([{ userId: user.id, dialect: 'nuzzle', platform: 'ios' }]);
  });

  it('should open a new session on every login, each token valid on its own', async () => {
    const { user } = await registered();

    const first = await login({ email: user.email, password: user.password });
    const second = await login({ email: user.email, password: user.password });

    const tokens = [user.token, first.body.data.token as string, second.body.data.token as string];
    expect(new Set(tokens).size).toBe(3);
    expect(new Set(tokens.map(sessionIdOf)).size).toBe(3);
    for (const token of tokens) {
      const me = await profile(token);
      expect(me.body).toMatchObject({ ret: 200, data: { id: user.id } });
    }
    const live = await t.db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    expect(live).toEqual([{ n: 3 }]);
  });

  it('should not serve login on GET, which the document does not allow', async () => {
    const { user } = await registered();

    const res = await t.http
      .get('/passport/email/login')
      .query({ email: user.email, password: user.password });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });
});

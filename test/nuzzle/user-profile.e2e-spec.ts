import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const METHODS: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST'];

describe('nuzzle /user/profile', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Parameters go in the query on GET and in a urlencoded body on POST, as legacy clients send them. */
  const profile = (
    method: 'GET' | 'POST',
    token: string | undefined,
    params: Record<string, unknown> = {},
  ) => {
    const req =
      method === 'GET'
        ? t.http.get('/user/profile').query(params)
        : t.http.post('/user/profile').type('form').send(params);
    return token === undefined ? req : req.set('Authorization', token);
  };

  async function registerTimeOf(user: NuzzleTestUser): Promise<number> {
    const rows = await t.db.query<Array<{ ms: string }>>(
      `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM users WHERE id = $1`,
      [user.id],
    );
    return Number(rows[0].ms);
  }

  /** A user with every profile field set, Facebook id included (unique per user, as the column is). */
  async function decoratedUser(): Promise<NuzzleTestUser & { facebookId: string }> {
    const user = await registerNuzzleUser(t, { nickname: 'EvjNo' });
    const facebookId = `21121212${user.id.padStart(8, '0')}`;
    await t.db.query(
      `UPDATE users SET facebook_id = $2, avatar_url = $3, signature = $4, type = 'star', reg_done = true
        WHERE id = $1`,
      [user.id, facebookId, 'https://cdn.example.com/cover.jpeg', "I'm a big star!!!plz follow me!"],
    );
    return { ...user, facebookId };
  }

  it.each(METHODS)(
    'should answer the caller’s own profile on %s with every documented field',
    async (method) => {
      const me = await registerNuzzleUser(t, { nickname: 'Myself' });

      const res = await profile(method, me.token, { tz: 'Asia/Shanghai' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ret: 200,
        data: {
          id: me.id,
          email: me.email,
          nickname: 'Myself',
          facebookId: '',
          regDone: false,
          type: 'nobody',
          avatar: '',
          signature: '',
          registerTime: await registerTimeOf(me),
        },
      });
    },
  );

  it('should answer the caller’s own profile when userId is empty', async () => {
    const me = await registerNuzzleUser(t);

    const res = await profile('GET', me.token, { userId: '' });

    expect(res.body).toMatchObject({ ret: 200, data: { id: me.id, email: me.email } });
  });

  it('should answer the caller’s own profile when userId is the caller’s', async () => {
    const me = await decoratedUser();

    const res = await profile('POST', me.token, { userId: me.id });

    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: me.id,
        email: me.email,
        nickname: 'EvjNo',
        facebookId: me.facebookId,
        regDone: true,
        type: 'star',
        avatar: 'https://cdn.example.com/cover.jpeg',
        signature: "I'm a big star!!!plz follow me!",
        registerTime: await registerTimeOf(me),
      },
    });
  });

  it.each(METHODS)('should hide email and facebookId of another user on %s', async (method) => {
    const viewer = await registerNuzzleUser(t);
    const star = await decoratedUser();

    const res = await profile(method, viewer.token, { userId: star.id });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: star.id,
        email: '',
        nickname: 'EvjNo',
        facebookId: '',
        regDone: true,
        type: 'star',
        avatar: 'https://cdn.example.com/cover.jpeg',
        signature: "I'm a big star!!!plz follow me!",
        registerTime: await registerTimeOf(star),
      },
    });
  });

  it('should show that user’s email and facebookId on their own profile', async () => {
    const star = await decoratedUser();

    const res = await profile('GET', star.token);

    expect(res.body).toMatchObject({
      ret: 200,
      data: { id: star.id, email: star.email, facebookId: star.facebookId },
    });
  });

  it('should still show a banned user’s profile to others', async () => {
    const viewer = await registerNuzzleUser(t);
    const banned = await registerNuzzleUser(t, { nickname: 'Banned' });
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);

    const res = await profile('GET', viewer.token, { userId: banned.id });

    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: banned.id,
        email: '',
        nickname: 'Banned',
        facebookId: '',
        regDone: false,
        type: 'nobody',
        avatar: '',
        signature: '',
        registerTime: await registerTimeOf(banned),
      },
    });
  });

  it.each([
    ['an unknown numeric userId', '987654321'],
    ['a non-numeric userId', 'abc'],
    ['a userId with a sign', '-1'],
    ['a userId with a decimal point', '1.5'],
    ['a userId of 19 digits beyond the bigint range', '9999999999999999999'],
    ['a userId of 20 digits', '12345678901234567890'],
  ])('should answer USER_NOT_EXIST for %s', async (_label, userId) => {
    const viewer = await registerNuzzleUser(t);

    const res = await profile('GET', viewer.token, { userId });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'USER_NOT_EXIST' });
  });

  it.each(METHODS)('should answer USER_NOT_EXIST for a closed user on %s', async (method) => {
    const viewer = await registerNuzzleUser(t);
    const closed = await registerNuzzleUser(t);
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);

    const res = await profile(method, viewer.token, { userId: closed.id });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'USER_NOT_EXIST' });
  });

  it.each(METHODS)('should answer USER_NOT_LOGIN on %s without a token', async (method) => {
    const other = await registerNuzzleUser(t);

    const res = await profile(method, undefined, { userId: other.id });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'USER_NOT_LOGIN' });
  });

  it('should answer USER_NOT_LOGIN before USER_NOT_EXIST when there is no token', async () => {
    const res = await profile('GET', undefined, { userId: 'abc' });

    expect(res.body).toEqual({ ret: 500, errcode: 'USER_NOT_LOGIN' });
  });

  it.each(METHODS)('should accept the common parameters tz, pf and locale on %s', async (method) => {
    const me = await registerNuzzleUser(t);

    const res = await profile(method, me.token, { tz: 'Asia/Shanghai', pf: 'iOS', locale: 'zh_CN' });

    expect(res.body).toMatchObject({ ret: 200, data: { id: me.id, email: me.email } });
  });

  it('should ignore unknown extra parameters', async () => {
    const me = await registerNuzzleUser(t);
    const star = await decoratedUser();

    const res = await profile('POST', me.token, {
      userId: star.id,
      app_id: 'nuzzle-ios',
      foo: 'bar',
      email: 'spoof@example.com',
    });

    expect(res.body).toMatchObject({ ret: 200, data: { id: star.id, email: '', facebookId: '' } });
  });

  it('should answer PARAM_ERROR for userId given twice in the query (an array)', async () => {
    const me = await registerNuzzleUser(t);
    const other = await registerNuzzleUser(t);

    const res = await t.http
      .get(`/user/profile?userId=${other.id}&userId=${me.id}`)
      .set('Authorization', me.token);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it.each([
    ['an array', ['1', '2']],
    ['an object', { $gt: '0' }],
  ])('should answer PARAM_ERROR for userId as %s in JSON', async (_label, userId) => {
    const me = await registerNuzzleUser(t);

    const res = await t.http.post('/user/profile').set('Authorization', me.token).send({ userId });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { SELECT_LIVE_SESSIONS } from '#src/auth/sessions.repository.js';
import { HotStatements } from '#src/database/hot-statements.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const NOT_LOGGED_IN = { ret: 500, errcode: 'USER_NOT_LOGIN' };

/** The session id an access token carries (its `sid` claim). */
const sessionIdOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

/** Another sign-in of the same account: a second session with its own token. */
async function loginAgain(t: TestApp, user: NuzzleTestUser, password = user.password): Promise<string> {
  const res = await t.http.post('/passport/email/login').send({ email: user.email, password });
  if (res.body?.ret !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return (res.body.data as { token: string }).token;
}

const profile = (t: TestApp, token?: string) => {
  const req = t.http.get('/user/profile');
  return token === undefined ? req : req.set('Authorization', token);
};

describe('nuzzle session tokens', () => {
  let t: TestApp;
  // Token expiry is read from the injectable clock: the suite moves it instead of waiting.
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('transport', () => {
    it('should accept the bare token in Authorization, as the document shows', async () => {
      const user = await registerNuzzleUser(t);

      const res = await profile(t, user.token);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ret: 200, data: { id: user.id, email: user.email } });
    });

    it('should accept `Bearer <token>` in Authorization', async () => {
      const user = await registerNuzzleUser(t);

      const res = await profile(t, `Bearer ${user.token}`);

      expect(res.body).toMatchObject({ ret: 200, data: { id: user.id, email: user.email } });
      // The scheme's case does not matter (RFC 9110), as on /admin.
      expect((await profile(t, `bearer  ${user.token}`)).body).toMatchObject({ ret: 200 });
    });

    it('should answer USER_NOT_LOGIN without an Authorization header', async () => {
      const res = await profile(t);

      expect(res.status).toBe(200);
      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    it('should not read the token from a parameter, only from the header', async () => {
      const user = await registerNuzzleUser(t);

      const res = await t.http.get('/user/profile').query({ token: user.token, Authorization: user.token });

      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    it.each([
      ['garbage', 'not-a-token'],
      ['an empty Bearer', 'Bearer '],
      ['a truncated JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0'],
    ])('should answer USER_NOT_LOGIN for %s', async (_label, header) => {
      const res = await profile(t, header);

      expect(res.status).toBe(200);
      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    it('should answer USER_NOT_LOGIN for a JWT signed with another secret', async () => {
      const user = await registerNuzzleUser(t);
      const forged = new JwtService({ secret: 'another-secret-that-is-long-enough-for-hs256!' }).sign(
        { sub: user.id, sid: sessionIdOf(user.token) },
        { expiresIn: 3600 },
      );

      const res = await profile(t, forged);

      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    it('should answer USER_NOT_LOGIN for an unsigned JWT (alg none)', async () => {
      const user = await registerNuzzleUser(t);
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: user.id, sid: sessionIdOf(user.token) })}.`;

      const res = await profile(t, unsigned);

      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    describe('with a JWT signed by the server secret', () => {
      const sign = (claims: object, expiresIn = 3600) => {
        const iat = Math.floor(clock.now().getTime() / 1000);
        return new JwtService({ secret: t.config.auth.jwtSecret }).sign({
          ...claims,
          iat,
          exp: iat + expiresIn,
        });
      };

      it('should let a well-formed token through (control for the cases below)', async () => {
        const user = await registerNuzzleUser(t);

        const res = await profile(t, sign({ sub: user.id, sid: sessionIdOf(user.token) }));

        expect(res.body).toMatchObject({ ret: 200, data: { id: user.id } });
      });

      it('should refuse a token once it expires, though it was accepted before', async () => {
        const user = await registerNuzzleUser(t);
        const token = sign({ sub: user.id, sid: sessionIdOf(user.token) }, 60);
        expect((await profile(t, token)).body).toMatchObject({ ret: 200 });

        clock.advance(61_000);

        expect((await profile(t, token)).body).toEqual(NOT_LOGGED_IN);
      });

      it('should refuse a token altered after its genuine form was accepted', async () => {
        const user = await registerNuzzleUser(t);
        expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });
        const last = user.token.at(-2) === 'A' ? 'B' : 'A';
        const altered = `${user.token.slice(0, -2)}${last}${user.token.slice(-1)}`;

        expect((await profile(t, altered)).body).toEqual(NOT_LOGGED_IN);
      });

      it('should answer USER_NOT_LOGIN when its session id does not exist', async () => {
        const user = await registerNuzzleUser(t);

        const res = await profile(t, sign({ sub: user.id, sid: '987654321' }));

        expect(res.body).toEqual(NOT_LOGGED_IN);
      });

      it.each([
        ['not numeric', 'abc'],
        ['beyond the bigint range', '9999999999999999999'],
        ['a number, not a string', 1],
        ['missing', undefined],
      ])('should answer USER_NOT_LOGIN when its session id is %s', async (_label, sid) => {
        const user = await registerNuzzleUser(t);

        const res = await profile(t, sign({ sub: user.id, sid }));

        expect(res.body).toEqual(NOT_LOGGED_IN);
      });

      it('should answer USER_NOT_LOGIN when the session belongs to another user', async () => {
        const owner = await registerNuzzleUser(t);
        const other = await registerNuzzleUser(t);

        const res = await profile(t, sign({ sub: other.id, sid: sessionIdOf(owner.token) }));

        expect(res.body).toEqual(NOT_LOGGED_IN);
      });

      it('should answer USER_NOT_LOGIN when the JWT itself has expired', async () => {
        const user = await registerNuzzleUser(t);

        const res = await profile(t, sign({ sub: user.id, sid: sessionIdOf(user.token) }, -60));

        expect(res.body).toEqual(NOT_LOGGED_IN);
      });
    });
  });

  describe('/passport/logout', () => {
    it.each([['GET'], ['POST']])('should answer true on %s and end that session only', async (method) => {
      const user = await registerNuzzleUser(t);
      const other = await loginAgain(t, user);

      const req = method === 'GET' ? t.http.get('/passport/logout') : t.http.post('/passport/logout');
      const res = await req.set('Authorization', user.token);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 200, data: true });
      expect((await profile(t, user.token)).body).toEqual(NOT_LOGGED_IN);
      expect((await profile(t, `Bearer ${user.token}`)).body).toEqual(NOT_LOGGED_IN);
      expect((await profile(t, other)).body).toMatchObject({ ret: 200, data: { id: user.id } });
      const rows = await t.db.query<Array<{ reason: string }>>(
        `SELECT revoke_reason AS reason FROM sessions WHERE id = $1 AND revoked_at IS NOT NULL`,
        [sessionIdOf(user.token)],
      );
      expect(rows).toEqual([{ reason: 'logout' }]);
    });

    it('should stop pushing to the device that logged out, not to the account’s other devices', async () => {
      const user = await registerNuzzleUser(t, { pushToken: 'push-logout-a' });
      const other = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: user.password, pushToken: 'push-logout-b' });

      await t.http.post('/passport/logout').set('Authorization', user.token);

      const devices = await t.db.query<Array<{ token: string }>>(
        `SELECT push_token AS token FROM devices WHERE user_id = $1 ORDER BY push_token`,
        [user.id],
      );
      expect(devices).toEqual([{ token: 'push-logout-b' }]);
      expect((await profile(t, other.body.data.token)).body).toMatchObject({ ret: 200 });
    });

    it('should answer USER_NOT_LOGIN to a second logout with the same token', async () => {
      const user = await registerNuzzleUser(t);
      await t.http.post('/passport/logout').set('Authorization', user.token);

      const res = await t.http.post('/passport/logout').set('Authorization', user.token);

      expect(res.body).toEqual(NOT_LOGGED_IN);
    });

    it.each([['GET'], ['POST']])('should answer USER_NOT_LOGIN on %s without a token', async (method) => {
      const res = await (method === 'GET' ? t.http.get('/passport/logout') : t.http.post('/passport/logout'));

      expect(res.status).toBe(200);
      expect(res.body).toEqual(NOT_LOGGED_IN);
    });
  });

  describe('/passport/modify/passwd', () => {
    const modify = (method: 'GET' | 'POST', token: string | undefined, params: Record<string, unknown>) => {
      const req =
        method === 'GET'
          ? t.http.get('/passport/modify/passwd').query(params)
          : t.http.post('/passport/modify/passwd').type('form').send(params);
      return token === undefined ? req : req.set('Authorization', token);
    };

    it.each([['GET' as const], ['POST' as const]])(
      'should change the password on %s, keep the caller signed in and end every other session',
      async (method) => {
        const user = await registerNuzzleUser(t);
        const phone = await loginAgain(t, user);
        const tablet = await loginAgain(t, user);
        const newPassword = md5(`new-${method}`);

        const res = await modify(method, user.token, {
          oldPasswd: user.password,
          newPasswd: newPassword,
          tz: 'Asia/Shanghai',
        });

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ret: 200, data: true });
        expect((await profile(t, user.token)).body).toMatchObject({ ret: 200, data: { id: user.id } });
        expect((await profile(t, phone)).body).toEqual(NOT_LOGGED_IN);
        expect((await profile(t, tablet)).body).toEqual(NOT_LOGGED_IN);

        const withOld = await t.http
          .post('/passport/email/login')
          .send({ email: user.email, password: user.password });
        expect(withOld.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
        const withNew = await t.http
          .post('/passport/email/login')
          .send({ email: user.email, password: newPassword });
        expect(withNew.body).toMatchObject({ ret: 200, data: { id: user.id } });
        expect((await profile(t, withNew.body.data.token)).body).toMatchObject({ ret: 200 });
      },
    );

    it('should not touch the sessions of other accounts', async () => {
      const user = await registerNuzzleUser(t);
      const bystander = await registerNuzzleUser(t);

      const res = await modify('POST', user.token, { oldPasswd: user.password, newPasswd: md5('x') });

      expect(res.body).toEqual({ ret: 200, data: true });
      expect((await profile(t, bystander.token)).body).toMatchObject({
        ret: 200,
        data: { id: bystander.id },
      });
    });

    it('should accept the old password as upper-case md5 hex', async () => {
      const user = await registerNuzzleUser(t);

      const res = await modify('POST', user.token, {
        oldPasswd: user.password.toUpperCase(),
        newPasswd: md5('upper'),
      });

      expect(res.body).toEqual({ ret: 200, data: true });
    });

    it('should answer PASSWD_NOT_MATCH for a wrong oldPasswd and change nothing', async () => {
      const user = await registerNuzzleUser(t);
      const other = await loginAgain(t, user);

      const res = await modify('POST', user.token, { oldPasswd: md5('wrong'), newPasswd: md5('new') });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
      expect((await profile(t, other)).body).toMatchObject({ ret: 200 });
      expect(await loginAgain(t, user)).toEqual(expect.any(String));
      const withNew = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: md5('new') });
      expect(withNew.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
    });

    it.each([
      ['GET' as const, 'no newPasswd', { oldPasswd: md5('pw') }],
      ['POST' as const, 'no newPasswd', { oldPasswd: md5('pw') }],
      ['GET' as const, 'no oldPasswd', { newPasswd: md5('pw') }],
      ['POST' as const, 'no oldPasswd', { newPasswd: md5('pw') }],
      ['POST' as const, 'an empty newPasswd', { oldPasswd: md5('pw'), newPasswd: '' }],
    ])('should answer PARAM_ERROR on %s for %s', async (method, _label, params) => {
      const user = await registerNuzzleUser(t);

      const res = await modify(method, user.token, params);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it('should answer PARAM_ERROR for a number as newPasswd in JSON', async () => {
      const user = await registerNuzzleUser(t);

      const res = await t.http
        .post('/passport/modify/passwd')
        .set('Authorization', user.token)
        .send({ oldPasswd: user.password, newPasswd: 123456 });

      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });

    it.each([['GET' as const], ['POST' as const]])(
      'should answer USER_NOT_LOGIN on %s without a token',
      async (method) => {
        const res = await modify(method, undefined, { oldPasswd: md5('a'), newPasswd: md5('b') });

        expect(res.status).toBe(200);
        expect(res.body).toEqual(NOT_LOGGED_IN);
      },
    );

    it('should answer USER_NOT_LOGIN for a logged-out token', async () => {
      const user = await registerNuzzleUser(t);
      await t.http.get('/passport/logout').set('Authorization', user.token);

      const res = await modify('POST', user.token, { oldPasswd: user.password, newPasswd: md5('b') });

      expect(res.body).toEqual(NOT_LOGGED_IN);
      expect(await loginAgain(t, user)).toEqual(expect.any(String));
    });
  });

  describe('session checks under concurrent load (they share queries: src/database/batch-while-busy.ts)', () => {
    /**
     * Records the ids of each session query the app sends while `run` runs. The first queries are held until
     * `requests` requests have reached the server, so the rest of them find the session queries busy whatever the
     * machine's speed, as they do under real load.
     */
    async function recordSessionQueries<T>(
      requests: number,
      run: () => Promise<T>,
    ): Promise<{ result: T; batches: string[][] }> {
      // The session check runs on the app's hot statements: their `query` is wrapped for this test (every query still
      // reaches PostgreSQL).
      const db = t.app.get<HotStatements, { query: (...args: unknown[]) => Promise<unknown> }>(HotStatements);
      const server = t.app.getHttpServer();
      const original = db.query.bind(db);
      const batches: string[][] = [];
      let received = 0;
      let arrived!: () => void;
      const allArrived = new Promise<void>((resolve) => (arrived = resolve));
      const count = () => {
        if (++received === requests) setTimeout(arrived, 100);
      };
      server.on('request', count);
      db.query = async (...args: unknown[]) => {
        if (args[0] === SELECT_LIVE_SESSIONS) {
          batches.push((args[1] as unknown[])[0] as string[]);
          await allArrived;
        }
        return original(...args);
      };
      try {
        return { result: await run(), batches };
      } finally {
        db.query = original;
        server.off('request', count);
      }
    }

    it('should answer each of many simultaneous readers with its own profile, in fewer queries than requests', async () => {
      const users = await Promise.all(Array.from({ length: 8 }, () => registerNuzzleUser(t)));
      const revoked = await registerNuzzleUser(t);
      await t.http.post('/passport/logout').set('Authorization', revoked.token);
      const readers = Array.from({ length: 90 }, (_, i) => (i % 10 === 9 ? revoked : users[i % 8]));

      const { result: answers, batches } = await recordSessionQueries(readers.length, () =>
        Promise.all(readers.map((reader) => profile(t, reader.token))),
      );

      answers.forEach((res, i) => {
        if (readers[i] === revoked) expect(res.body).toEqual(NOT_LOGGED_IN);
        else
          expect(res.body).toMatchObject({ ret: 200, data: { id: readers[i].id, email: readers[i].email } });
      });
      // A session asked for by several waiting readers is looked up once per query.
      for (const ids of batches) expect(new Set(ids).size).toBe(ids.length);
      expect(batches.length).toBeLessThan(readers.length);
      expect(Math.max(...batches.map((ids) => ids.length))).toBeGreaterThan(1);
    });

    it('should refuse a token from the moment its logout answered, while other readers keep the server busy', async () => {
      const [busy, leaving] = await Promise.all([registerNuzzleUser(t), registerNuzzleUser(t)]);
      const background = Promise.all(Array.from({ length: 60 }, () => profile(t, busy.token)));

      const logout = await t.http.post('/passport/logout').set('Authorization', leaving.token);
      const after = await Promise.all(Array.from({ length: 20 }, () => profile(t, leaving.token)));

      expect(logout.body).toEqual({ ret: 200, data: true });
      for (const res of after) expect(res.body).toEqual(NOT_LOGGED_IN);
      for (const res of await background) expect(res.body).toMatchObject({ ret: 200, data: { id: busy.id } });
    });
  });

  describe('bans', () => {
    it('should stop every existing token of a user right after the ban, saying the user is banned', async () => {
      const user = await registerNuzzleUser(t);
      const other = await loginAgain(t, user);
      expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });

      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);

      const banned = { ret: 500, errcode: 'USER_IS_CANCELED' };
      expect((await profile(t, user.token)).body).toEqual(banned);
      expect((await profile(t, other)).body).toEqual(banned);
      const logout = await t.http.post('/passport/logout').set('Authorization', user.token);
      expect(logout.body).toEqual(banned);
    });

    it('should stop the tokens of a closed account too, saying the user no longer exists', async () => {
      const user = await registerNuzzleUser(t);

      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [user.id]);

      expect((await profile(t, user.token)).body).toEqual({ ret: 500, errcode: 'USER_NOT_EXIST' });
    });
  });
});

describe('nuzzle sliding sessions (defaults: SESSION_TTL 30d, SESSION_TOUCH_INTERVAL 5m)', () => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const expiresAt = async (token: string): Promise<number> => {
    const rows = await t.db.query<Array<{ expiresAt: Date }>>(
      `SELECT expires_at AS "expiresAt" FROM sessions WHERE id = $1`,
      [sessionIdOf(token)],
    );
    return rows[0].expiresAt.getTime();
  };

  it('should keep a token used every 20 days valid past day 60', async () => {
    const user = await registerNuzzleUser(t);
    const opened = clock.now().getTime();
    expect(await expiresAt(user.token)).toBe(opened + 30 * DAY);

    for (const day of [20, 40, 60]) {
      clock.advance(20 * DAY);
      const res = await profile(t, user.token);
      expect({ day, body: res.body }).toMatchObject({ day, body: { ret: 200, data: { id: user.id } } });
    }
    expect(await expiresAt(user.token)).toBe(opened + 90 * DAY);

    clock.advance(29 * DAY);
    expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });
  });

  it('should end a token left unused for 31 days', async () => {
    const user = await registerNuzzleUser(t);

    clock.advance(31 * DAY);

    expect((await profile(t, user.token)).body).toEqual(NOT_LOGGED_IN);
    const logout = await t.http.post('/passport/logout').set('Authorization', user.token);
    expect(logout.body).toEqual(NOT_LOGGED_IN);
  });

  it('should end an unused token exactly when its 30 days run out', async () => {
    const user = await registerNuzzleUser(t);
    const sibling = await loginAgain(t, user);

    clock.advance(30 * DAY - 1);
    expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });

    clock.advance(1);
    // `user.token` slid a moment ago; its sibling, never used, has just run out.
    expect((await profile(t, sibling)).body).toEqual(NOT_LOGGED_IN);
    expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });
  });

  it('should slide the expiry at most once per touch interval (5 minutes)', async () => {
    const user = await registerNuzzleUser(t);
    const opened = clock.now().getTime();

    clock.advance(4 * MINUTE);
    expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });
    expect(await expiresAt(user.token)).toBe(opened + 30 * DAY);

    clock.advance(MINUTE);
    expect((await profile(t, user.token)).body).toMatchObject({ ret: 200 });
    expect(await expiresAt(user.token)).toBe(opened + 5 * MINUTE + 30 * DAY);
  });

  it('should not revive a logged-out token however it is used afterwards', async () => {
    const user = await registerNuzzleUser(t);
    await t.http.post('/passport/logout').set('Authorization', user.token);

    clock.advance(10 * MINUTE);

    expect((await profile(t, user.token)).body).toEqual(NOT_LOGGED_IN);
  });
});

describe('nuzzle sessions capped by SESSION_MAX_AGE', () => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { SESSION_MAX_AGE: '40d' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should end a session 40 days after it opened even if it is used all along', async () => {
    const user = await registerNuzzleUser(t);

    for (const day of [10, 20, 30, 39]) {
      clock.advance((day === 39 ? 9 : 10) * DAY);
      const res = await profile(t, user.token);
      expect({ day, body: res.body }).toMatchObject({ day, body: { ret: 200, data: { id: user.id } } });
    }

    clock.advance(DAY);

    expect((await profile(t, user.token)).body).toEqual(NOT_LOGGED_IN);
    const fresh = await loginAgain(t, user);
    expect((await profile(t, fresh)).body).toMatchObject({ ret: 200, data: { id: user.id } });
  });
});

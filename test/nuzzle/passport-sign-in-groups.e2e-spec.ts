import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Pool } from 'pg';
import { ACCOUNTS_BY } from '#src/auth/credentials.repository.js';
import {
  INSERT_SESSION,
  INSERT_SESSIONS,
  SessionsRepository,
  type NewSession,
} from '#src/auth/sessions.repository.js';
import { pgPool } from '#src/database/pg-pool.js';
import { TAKEN_BY } from '#src/users/users.repository.js';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/** The session id an access token carries (its `sid` claim). */
const sessionIdOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * Records the values of every statement with one of `names` that the app sends while `run` runs; the first one is
 * held until `hold` resolves, so what comes after it finds the statement busy whatever the machine's speed, as under
 * load.
 */
async function recordStatements<T>(
  pool: Pool,
  names: string[],
  hold: Promise<void>,
  run: () => Promise<T>,
): Promise<{ result: T; sent: unknown[][] }> {
  const original = pool.query.bind(pool) as Query;
  const sent: unknown[][] = [];
  (pool as unknown as { query: Query }).query = async (...args: unknown[]) => {
    const statement = args[0] as { name?: string; values?: unknown[] };
    if (statement?.name && names.includes(statement.name)) {
      sent.push(statement.values ?? []);
      if (sent.length === 1) await hold;
    }
    return original(...args);
  };
  try {
    return { result: await run(), sent };
  } finally {
    (pool as unknown as { query: Query }).query = original;
  }
}

describe('sign-ins under load go through in groups (src/auth/hash-admission.ts)', () => {
  let t: TestApp;
  let pool: Pool;

  beforeAll(async () => {
    t = await createTestApp();
    pool = pgPool(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Resolves 100 ms after `count` requests have reached the server. */
  function whenArrived(count: number): Promise<void> {
    const server = t.app.getHttpServer();
    return new Promise((resolve) => {
      let received = 0;
      const seen = () => {
        if (++received < count) return;
        server.off('request', seen);
        setTimeout(resolve, 100);
      };
      server.on('request', seen);
    });
  }

  const login = (email: string, password: string) =>
    t.http.post('/passport/email/login').send({ email, password });

  it('should answer each of many simultaneous logins with its own account, the lookups sharing queries', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => registerNuzzleUser(t)));
    const attempts: Array<{ email: string; password: string; user?: NuzzleTestUser }> = [
      ...users.flatMap((user) => [
        { email: user.email, password: user.password, user },
        { email: user.email, password: user.password, user },
      ]),
      ...users.slice(0, 5).map((user) => ({ email: user.email, password: md5('not the password') })),
      ...Array.from({ length: 5 }, (_, i) => ({
        email: `nobody-${i}-${randomUUID().slice(0, 8)}@example.com`,
        password: md5('anything'),
      })),
    ];

    const { result: answers, sent } = await recordStatements(
      pool,
      [ACCOUNTS_BY.email.name],
      whenArrived(attempts.length),
      () => Promise.all(attempts.map((a) => login(a.email, a.password))),
    );

    const tokens: string[] = [];
    answers.forEach((res, i) => {
      const { user } = attempts[i];
      if (!user) return expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
      expect(res.body).toMatchObject({ ret: 200, data: { id: user.id, email: user.email } });
      tokens.push(res.body.data.token as string);
    });
    // Every token names a session of its own, which belongs to the user who signed in with it.
    const sessionIds = tokens.map(sessionIdOf);
    expect(new Set(sessionIds).size).toBe(tokens.length);
    const owners = await t.db.query<Array<{ id: string; user_id: string }>>(
      `SELECT id::text, user_id::text FROM sessions WHERE id = ANY($1::bigint[])`,
      [sessionIds],
    );
    const ownerOf = new Map(owners.map((row) => [row.id, row.user_id]));
    const signedIn = attempts.filter((a) => a.user);
    sessionIds.forEach((id, i) => expect(ownerOf.get(id)).toBe(signedIn[i].user!.id));
    for (const [i, token] of tokens.entries()) {
      const me = await t.http.get('/user/profile').set('Authorization', token);
      expect(me.body).toMatchObject({ ret: 200, data: { id: signedIn[i].user!.id } });
    }
    // The lookups went out in groups: fewer statements than logins, some with many emails.
    const lookedUp = sent.map((values) => values[0] as string[]);
    expect(lookedUp.length).toBeLessThan(attempts.length);
    expect(Math.max(...lookedUp.map((emails) => emails.length))).toBeGreaterThan(1);
    expect(new Set(lookedUp.flat())).toEqual(new Set(attempts.map((a) => a.email)));
  });

  it('should register many at once, checking the emails in shared queries, one account per email', async () => {
    const existing = await registerNuzzleUser(t);
    const fresh = Array.from({ length: 12 }, (_, i) => `fresh-${i}-${randomUUID().slice(0, 8)}@example.com`);
    const raced = `raced-${randomUUID().slice(0, 8)}@example.com`;
    const emails = [...fresh, existing.email, existing.email, raced, raced];
    const register = (email: string) =>
      t.http
        .post('/passport/email/register')
        .send({ email, password: md5('secret'), nickname: `N${email.slice(0, 6)}` });

    const { result: answers, sent } = await recordStatements(
      pool,
      [TAKEN_BY.email.name],
      whenArrived(emails.length),
      () => Promise.all(emails.map(register)),
    );

    const outcome = (email: string) =>
      answers
        .filter((_, i) => emails[i] === email)
        .map((res) => {
          const body = res.body as { ret: number; errcode?: string };
          return body.errcode ?? body.ret;
        });
    for (const email of fresh) expect(outcome(email)).toEqual([200]);
    expect(outcome(existing.email)).toEqual(['USER_HAS_EXIST', 'USER_HAS_EXIST']);
    expect(outcome(raced).sort()).toEqual([200, 'USER_HAS_EXIST'].sort());
    const accounts = await t.db.query<Array<{ email: string }>>(
      `SELECT email FROM users WHERE email = ANY($1::text[])`,
      [[...fresh, raced]],
    );
    expect(accounts).toHaveLength(fresh.length + 1);
    const checked = sent.map((values) => values[0] as string[]);
    expect(checked.length).toBeLessThan(emails.length);
    expect(Math.max(...checked.map((batch) => batch.length))).toBeGreaterThan(1);
  });

  describe('sessions opened together', () => {
    let sessions: SessionsRepository;
    beforeAll(() => {
      sessions = t.app.get(SessionsRepository);
    });

    const newSession = (userId: string, ip: string): NewSession => {
      const now = new Date();
      return { userId, dialect: 'nuzzle', ip, now, expiresAt: new Date(now.getTime() + 3_600_000) };
    };

    /** Rows in a session INSERT: INSERT_SESSIONS takes one array per column, INSERT_SESSION one row's values. */
    const rowsIn = (values: unknown[]) => (Array.isArray(values[0]) ? values[0].length : 1);

    /** Opens the first session alone and holds it, then the others, which wait and go together. */
    async function openTogether(rows: NewSession[]) {
      let release!: () => void;
      const hold = new Promise<void>((resolve) => (release = resolve));
      return recordStatements(pool, [INSERT_SESSION.name, INSERT_SESSIONS.name], hold, async () => {
        const opened = rows.map((row) =>
          sessions.insert(t.db.manager, row).then(
            (id) => ({ id }),
            (error: unknown) => ({ error }),
          ),
        );
        release();
        return Promise.all(opened);
      });
    }

    it('should insert them in one statement, each caller getting the id of its own row', async () => {
      const [a, b] = await Promise.all([registerNuzzleUser(t), registerNuzzleUser(t)]);
      const rows = [
        newSession(a.id, '10.0.0.1'),
        newSession(b.id, '10.0.0.2'),
        newSession(a.id, '10.0.0.3'),
        newSession(b.id, '10.0.0.4'),
        newSession(a.id, '10.0.0.5'),
      ];

      const { result, sent } = await openTogether(rows);

      expect(sent.map(rowsIn)).toEqual([1, 4]);
      const ids = result.map((r) => ('id' in r ? r.id : undefined));
      expect(new Set(ids).size).toBe(rows.length);
      const stored = await t.db.query<Array<{ id: string; user_id: string; ip: string }>>(
        `SELECT id::text, user_id::text, ip FROM sessions WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      const byId = new Map(stored.map((row) => [row.id, row]));
      rows.forEach((row, i) => expect(byId.get(ids[i]!)).toMatchObject({ user_id: row.userId, ip: row.ip }));
    });

    it('should not let one bad row fail the others of its statement', async () => {
      const user = await registerNuzzleUser(t);
      const rows = [
        newSession(user.id, '10.0.1.1'),
        newSession(user.id, '10.0.1.2'),
        newSession('999999999', '10.0.1.3'),
        newSession(user.id, '10.0.1.4'),
      ];

      const { result, sent } = await openTogether(rows);

      // The first alone, the other three together, then those three again one by one.
      expect(sent.map(rowsIn)).toEqual([1, 3, 1, 1, 1]);
      expect(result[2]).toEqual({ error: expect.objectContaining({ code: '23503' }) });
      for (const i of [0, 1, 3]) expect(result[i]).toEqual({ id: expect.any(String) });
      const stored = await t.db.query<Array<{ ip: string }>>(
        `SELECT ip FROM sessions WHERE user_id = $1 AND ip LIKE '10.0.1.%' ORDER BY ip`,
        [user.id],
      );
      expect(stored.map((row) => row.ip)).toEqual(['10.0.1.1', '10.0.1.2', '10.0.1.4']);
    });
  });
});

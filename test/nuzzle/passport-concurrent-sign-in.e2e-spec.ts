import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/** The session id an access token carries (its `sid` claim). */
const sessionIdOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

describe('nuzzle sign-ins at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer each of many simultaneous logins (right, wrong, unknown) for its own account', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => registerNuzzleUser(t)));
    const attempts = Array.from({ length: 30 }, (_, i) => {
      const user = users[i % users.length];
      if (i % 3 === 0) return { user, email: user.email, password: user.password, expect: 'ok' as const };
      if (i % 3 === 1) return { user, email: user.email, password: md5('wrong'), expect: 'wrong' as const };
      return {
        user,
        email: `nobody-${randomUUID()}@example.com`,
        password: user.password,
        expect: 'wrong' as const,
      };
    });

    const answers = await Promise.all(
      attempts.map((a) =>
        t.http.post('/passport/email/login').send({ email: a.email, password: a.password, tz: 'UTC' }),
      ),
    );

    for (const [i, res] of answers.entries()) {
      const attempt = attempts[i];
      if (attempt.expect === 'wrong') {
        expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
        continue;
      }
      expect(res.body).toMatchObject({ ret: 200, data: { id: attempt.user.id, email: attempt.user.email } });
      const [row] = await t.db.query<Array<{ userId: string }>>(
        `SELECT user_id AS "userId" FROM sessions WHERE id = $1`,
        [sessionIdOf((res.body as { data: { token: string } }).data.token)],
      );
      expect(row.userId).toBe(attempt.user.id);
    }
  });

  it('should register many at once, one account per email even when two race for one', async () => {
    const contested = `race-${randomUUID()}@example.com`;
    const emails = [
      contested,
      contested,
      ...Array.from({ length: 10 }, () => `many-${randomUUID()}@example.com`),
    ];
    const answers = await Promise.all(
      emails.map((email, i) =>
        t.http
          .post('/passport/email/register')
          .send({ email, password: md5(`pw${i}`), nickname: `N${i}`, tz: 'UTC' }),
      ),
    );
    const contestedAnswers = answers.slice(0, 2).map((res) => res.body as { ret: number; errcode?: string });
    expect(contestedAnswers.map((b) => b.ret).sort()).toEqual([200, 500]);
    expect(contestedAnswers.find((b) => b.ret === 500)?.errcode).toBe('USER_HAS_EXIST');
    for (const res of answers.slice(2)) expect(res.body).toMatchObject({ ret: 200 });
    const [{ count }] = await t.db.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM users WHERE email = $1`,
      [contested],
    );
    expect(count).toBe(1);
  });
});

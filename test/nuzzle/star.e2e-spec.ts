import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { adminToken, makeStar, postFeed } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const FAIL = (errcode: string) => ({ ret: 500, errcode });

describe('nuzzle /star/* and operators’ stars', () => {
  let t: TestApp;
  let fan: NuzzleTestUser;
  let star: NuzzleTestUser;
  let nobody: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: `/tmp/concord-stars-${process.pid}-${Date.now()}` } });
    fan = await registerNuzzleUser(t, { nickname: 'Fan' });
    star = await registerNuzzleUser(t, { nickname: 'Star' });
    nobody = await registerNuzzleUser(t, { nickname: 'Nobody' });
    await makeStar(t, star.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (
    method: 'GET' | 'POST',
    path: string,
    token: string | undefined,
    params: Record<string, unknown> = {},
  ) => {
    const req =
      method === 'GET' ? t.http.get(path).query(params) : t.http.post(path).type('form').send(params);
    return token === undefined ? req : req.set('Authorization', token);
  };
  const fansOf = async (userId: string) =>
    (
      await t.db.query<Array<{ fans: string }>>(`SELECT fans::text FROM star_fan_counts WHERE star_id = $1`, [
        userId,
      ])
    )[0]?.fans ?? '0';
  async function registerTimeOf(user: NuzzleTestUser): Promise<number> {
    const rows = await t.db.query<Array<{ ms: string }>>(
      `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM users WHERE id = $1`,
      [user.id],
    );
    return Number(rows[0].ms);
  }

  describe('/star/follow and /star/unfollow', () => {
    it.each(['GET', 'POST'] as const)(
      'should follow a star once however often it is asked, on %s',
      async (method) => {
        const someone = await registerNuzzleUser(t);
        const before = Number(await fansOf(star.id));
        for (let i = 0; i < 3; i++) {
          expect((await call(method, '/star/follow', someone.token, { userId: star.id })).body).toEqual({
            ret: 200,
            data: true,
          });
        }
        expect(Number(await fansOf(star.id))).toBe(before + 1);
      },
    );

    it('should count each follower once under concurrent follows', async () => {
      const newStar = await registerNuzzleUser(t);
      await makeStar(t, newStar.id);
      const followers = await Promise.all(Array.from({ length: 8 }, () => registerNuzzleUser(t)));
      await Promise.all(
        followers.flatMap((f) =>
          [1, 2, 3].map(() => call('POST', '/star/follow', f.token, { userId: newStar.id })),
        ),
      );
      expect(await fansOf(newStar.id)).toBe('8');
      const rows = await t.db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM star_follows WHERE star_id = $1`,
        [newStar.id],
      );
      expect(rows[0].n).toBe(8);
    });

    it('should unfollow idempotently, never counting below zero', async () => {
      const someone = await registerNuzzleUser(t);
      await call('POST', '/star/follow', someone.token, { userId: star.id });
      const before = Number(await fansOf(star.id));
      for (const method of ['GET', 'POST', 'POST'] as const) {
        expect((await call(method, '/star/unfollow', someone.token, { userId: star.id })).body).toEqual({
          ret: 200,
          data: true,
        });
      }
      expect(Number(await fansOf(star.id))).toBe(before - 1);
      expect((await call('POST', '/star/unfollow', nobody.token, { userId: star.id })).body.ret).toBe(200);
      expect(Number(await fansOf(star.id))).toBe(before - 1);
    });

    it('should answer NOT_ALLOWED for following oneself or an account that is not a star', async () => {
      expect((await call('POST', '/star/follow', star.token, { userId: star.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
      expect((await call('POST', '/star/follow', fan.token, { userId: nobody.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
    });

    it.each([
      ['an unknown id', '987654321'],
      ['an id of letters', '57737578e4b061b8c7241d0c'],
    ])('should answer USER_NOT_EXIST for %s', async (_label, userId) => {
      expect((await call('POST', '/star/follow', fan.token, { userId })).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
      expect((await call('POST', '/star/unfollow', fan.token, { userId })).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
    });

    it('should answer USER_NOT_EXIST for a closed star', async () => {
      const gone = await registerNuzzleUser(t);
      await makeStar(t, gone.id);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [gone.id]);
      expect((await call('GET', '/star/follow', fan.token, { userId: gone.id })).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
    });

    it('should answer PARAM_ERROR without userId and USER_NOT_LOGIN without a token', async () => {
      expect((await call('POST', '/star/follow', fan.token)).body).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('POST', '/star/unfollow', fan.token)).body).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('POST', '/star/follow', undefined, { userId: star.id })).body).toEqual(
        FAIL('USER_NOT_LOGIN'),
      );
    });
  });

  describe('/star/list', () => {
    it('should list stars newest first with hasFollow and their three newest feeds', async () => {
      const s1 = await registerNuzzleUser(t, { nickname: 'S1' });
      const s2 = await registerNuzzleUser(t, { nickname: 'S2' });
      await makeStar(t, s1.id);
      await makeStar(t, s2.id);
      await t.db.query(
        `UPDATE users SET signature = 'plz follow me', avatar_url = 'https://cdn.example.com/a.jpg', reg_done = true WHERE id = $1`,
        [s2.id],
      );
      const a = await postFeed(t, s2);
      const b = await postFeed(t, s2, { type: 'video', free: false, price: 3 });
      const c = await postFeed(t, s2);
      const d = await postFeed(t, s2);
      const deleted = await postFeed(t, s2);
      await call('POST', '/feed/delete', s2.token, { type: 'pic', id: deleted.id });
      await call('POST', '/star/follow', fan.token, { userId: s2.id });

      const res = await call('POST', '/star/list', fan.token, { size: 2 });

      expect(res.body).toEqual({
        ret: 200,
        data: [
          {
            id: s2.id,
            hasFollow: true,
            feeds: [
              { type: 'pic', photoUrl: d.photoUrl },
              { type: 'pic', photoUrl: c.photoUrl },
              { type: 'video', photoUrl: b.photoUrl },
            ],
            email: '',
            nickname: 'S2',
            facebookId: '',
            regDone: true,
            type: 'star',
            avatar: 'https://cdn.example.com/a.jpg',
            signature: 'plz follow me',
            registerTime: await registerTimeOf(s2),
          },
          {
            id: s1.id,
            hasFollow: false,
            feeds: [],
            email: '',
            nickname: 'S1',
            facebookId: '',
            regDone: false,
            type: 'star',
            avatar: '',
            signature: '',
            registerTime: await registerTimeOf(s1),
          },
        ],
      });
      expect(a.id).toBeDefined();
    });

    it('should page by maxId and leave out ordinary and closed accounts', async () => {
      const all: string[] = [];
      let maxId: string | undefined;
      for (;;) {
        const res = await call('POST', '/star/list', fan.token, { size: 2, ...(maxId ? { maxId } : {}) });
        const page = res.body.data as Array<{ id: string; type: string }>;
        if (page.length === 0) break;
        expect(page.every((s) => s.type === 'star')).toBe(true);
        all.push(...page.map((s) => s.id));
        maxId = page[page.length - 1].id;
      }
      const expected = await t.db.query<Array<{ id: string }>>(
        `SELECT id FROM users WHERE type = 'star' AND status <> 'closed' ORDER BY id DESC`,
      );
      expect(all).toEqual(expected.map((r) => r.id));
      expect(all).not.toContain(nobody.id);
    });

    it('should show the caller’s own email when the caller is a star', async () => {
      const res = await call('POST', '/star/list', star.token, { size: 50 });
      const me = (res.body.data as Array<{ id: string; email: string }>).find((s) => s.id === star.id);
      expect(me?.email).toBe(star.email);
    });

    it('should answer only POST, as documented', async () => {
      const res = await call('GET', '/star/list', fan.token);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(FAIL('NOT_ALLOWED'));
    });
  });

  describe('/star/feed/list', () => {
    it('should list one account’s feeds newest first, by maxId', async () => {
      const s = await registerNuzzleUser(t, { nickname: 'Pager' });
      await makeStar(t, s.id);
      const posted = [];
      for (let i = 0; i < 3; i++) posted.push(await postFeed(t, s, { words: `n${i}` }));
      await postFeed(t, fan);

      const first = await call('POST', '/star/feed/list', fan.token, { userId: s.id, size: 2 });
      const rest = await call('POST', '/star/feed/list', fan.token, {
        userId: s.id,
        size: 2,
        maxId: first.body.data[1].id,
      });

      expect((first.body.data as Array<{ id: string }>).map((f) => f.id)).toEqual([
        posted[2].id,
        posted[1].id,
      ]);
      expect((rest.body.data as Array<{ id: string }>).map((f) => f.id)).toEqual([posted[0].id]);
      expect(first.body.data[0]).toMatchObject({
        author: s.id,
        words: 'n2',
        access: true,
        authorUserInfo: { id: s.id, nickname: 'Pager', avatar: '' },
      });
    });

    it('should list the feeds of an account that is not a star too', async () => {
      const posted = await postFeed(t, nobody);
      const res = await call('POST', '/star/feed/list', fan.token, { userId: nobody.id });
      expect((res.body.data as Array<{ id: string }>)[0].id).toBe(posted.id);
    });

    it('should answer USER_NOT_EXIST for an unknown account, PARAM_ERROR without userId, and only POST', async () => {
      expect((await call('POST', '/star/feed/list', fan.token, { userId: '987654321' })).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
      expect((await call('POST', '/star/feed/list', fan.token)).body).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('GET', '/star/feed/list', fan.token, { userId: star.id })).status).toBe(404);
    });
  });

  describe('/star/feed/tag/list', () => {
    it.each(['GET', 'POST'] as const)(
      'should answer premieres and exclusives with userMap on %s',
      async (method) => {
        const s = await registerNuzzleUser(t, { nickname: 'Tagged' });
        await makeStar(t, s.id);
        await t.db.query(
          `UPDATE users SET signature = 'sig', facebook_id = $2, reg_done = true WHERE id = $1`,
          [s.id, `fb-${s.id}`],
        );
        const premiere = await postFeed(t, s, { tag: 'premiere' });
        await postFeed(t, s);
        const exclusive = await postFeed(t, s, { tag: 'exclusive' });
        await call('POST', '/star/follow', fan.token, { userId: s.id });

        const res = await call(method, '/star/feed/tag/list', fan.token, { userId: s.id });

        expect(res.body.ret).toBe(200);
        expect((res.body.data.feeds as Array<{ id: string; tag: string }>).map((f) => [f.id, f.tag])).toEqual(
          [
            [exclusive.id, 'exclusive'],
            [premiere.id, 'premiere'],
          ],
        );
        expect(res.body.data.userMap).toEqual({
          id: s.id,
          nickname: 'Tagged',
          facebookId: '',
          hasFollow: true,
          regDone: true,
          code: '',
          avatar: '',
          signature: 'sig',
          fansCount: 1,
        });

        const own = await call(method, '/star/feed/tag/list', s.token, { userId: s.id });
        expect(own.body.data.userMap).toEqual({
          id: s.id,
          balance: 0,
          nickname: 'Tagged',
          facebookId: `fb-${s.id}`,
          hasFollow: false,
          regDone: true,
          code: '',
          avatar: '',
          signature: 'sig',
          fansCount: 1,
        });
      },
    );

    it('should answer USER_NOT_EXIST for an unknown account', async () => {
      expect((await call('GET', '/star/feed/tag/list', fan.token, { userId: '987654321' })).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
    });
  });

  it('should answer at most 50 for a size over 50 on every star list', async () => {
    const answers = [
      await call('POST', '/star/list', fan.token, { size: 500 }),
      await call('POST', '/star/feed/list', fan.token, { userId: star.id, size: 500 }),
      await call('GET', '/star/feed/tag/list', fan.token, { userId: star.id, size: 500 }),
    ];
    for (const res of answers) {
      expect(res.body.ret).toBe(200);
      const items = (Array.isArray(res.body.data) ? res.body.data : res.body.data.feeds) as unknown[];
      expect(items.length).toBeLessThanOrEqual(50);
    }
  });

  describe('operators (/admin/users/{id}/star)', () => {
    let admin: string;

    beforeAll(async () => {
      admin = await adminToken(t, await registerNuzzleUser(t, { nickname: 'Ops' }));
    });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const auditOf = async (userId: string) =>
      t.db.query<Array<{ action: string; actor: string }>>(
        `SELECT action, actor FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'user.%' ORDER BY id`,
        [userId],
      );

    it('should make an account a star and back, audited once per change', async () => {
      const someone = await registerNuzzleUser(t, { nickname: 'Rising' });

      const made = await t.http.post(`/admin/users/${someone.id}/star`).set(bearer(admin));
      const again = await t.http.post(`/admin/users/${someone.id}/star`).set(bearer(admin));

      expect(made.status).toBe(200);
      expect(made.body).toEqual({ id: someone.id, email: someone.email, nickname: 'Rising', type: 'star' });
      expect(again.body).toEqual(made.body);
      expect((await call('POST', '/star/follow', fan.token, { userId: someone.id })).body.ret).toBe(200);

      const undone = await t.http.delete(`/admin/users/${someone.id}/star`).set(bearer(admin));
      expect(undone.status).toBe(200);
      expect(undone.body).toMatchObject({ id: someone.id, type: 'nobody' });
      expect((await call('POST', '/star/follow', fan.token, { userId: someone.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
      expect(await auditOf(someone.id)).toEqual([
        { action: 'user.starred', actor: expect.stringContaining('@') },
        { action: 'user.unstarred', actor: expect.stringContaining('@') },
      ]);
      const log = await t.http
        .get('/admin/audit-log')
        .query({ userId: someone.id, action: 'user.starred' })
        .set(bearer(admin));
      expect(log.body.items).toHaveLength(1);
    });

    it('should answer 404 for an unknown or closed account, 400 for a malformed id', async () => {
      expect((await t.http.post('/admin/users/987654321/star').set(bearer(admin))).status).toBe(404);
      const closed = await registerNuzzleUser(t);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
      expect((await t.http.delete(`/admin/users/${closed.id}/star`).set(bearer(admin))).status).toBe(404);
      expect((await t.http.post('/admin/users/abc/star').set(bearer(admin))).status).toBe(400);
    });

    it('should refuse without an admin session: 401, and an app token is no admin token', async () => {
      expect((await t.http.post(`/admin/users/${nobody.id}/star`)).status).toBe(401);
      expect((await t.http.post(`/admin/users/${nobody.id}/star`).set(bearer(fan.token))).status).toBe(401);
      const rows = await t.db.query(`SELECT type FROM users WHERE id = $1`, [nobody.id]);
      expect(rows).toEqual([{ type: 'nobody' }]);
    });
  });
});

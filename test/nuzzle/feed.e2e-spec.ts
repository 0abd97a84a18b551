import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { jpeg, mp4, postFeed, upload, uploadVideo } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const METHODS: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST'];
const FAIL = (errcode: string) => ({ ret: 500, errcode });

describe('nuzzle /feed/*', () => {
  let t: TestApp;
  let alice: NuzzleTestUser;
  let bob: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: `/tmp/concord-feeds-${process.pid}-${Date.now()}` } });
    alice = await registerNuzzleUser(t, { nickname: 'Alice' });
    bob = await registerNuzzleUser(t, { nickname: 'Bob' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Parameters in the query on GET, in an urlencoded body on POST, as legacy clients send them. */
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

  async function publishTimeOf(id: string): Promise<number> {
    const rows = await t.db.query<Array<{ ms: string }>>(
      `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM feeds WHERE id = $1`,
      [id],
    );
    return Number(rows[0].ms);
  }

  /** Feeds written straight to the table, for paging tests (their files are never read). */
  async function seedFeeds(author: NuzzleTestUser, count: number): Promise<string[]> {
    const rows = await t.db.query<Array<{ id: string }>>(
      `INSERT INTO feeds (author_id, type, photo_key, width, height, free, words, created_at)
       SELECT $1::bigint, 'pic', 'u/' || $1::text || '/seed-' || n || '.jpg', 10, 10, true, 'seed ' || n, now()
         FROM generate_series(1, $2) AS n RETURNING id`,
      [author.id, count],
    );
    return rows.map((r) => r.id);
  }

  const lastPage = async (token: string, params: Record<string, unknown> = {}) =>
    (await call('GET', '/feed/list', token, params)).body as {
      ret: number;
      data: Array<Record<string, unknown>>;
    };

  describe('/feed/post', () => {
    it.each(METHODS)('should publish a picture with every documented field on %s', async (method) => {
      const photoUrl = await upload(t, alice);

      const res = await call(method, '/feed/post', alice.token, {
        type: 'pic',
        photoUrl,
        videoUrl: '',
        width: '150',
        height: '100',
        words: '顶顶顶顶顶',
        tag: 'exclusive',
        free: 'true',
        mute: 'false',
        shootingTime: '116464646464',
        tz: 'Asia/Shanghai',
        pf: 'iOS',
        locale: 'zh_CN',
      });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 200, data: true });
      const [feed] = (await lastPage(alice.token, { size: 1 })).data;
      expect(feed).toEqual({
        id: expect.stringMatching(/^\d+$/),
        author: alice.id,
        type: 'pic',
        photoUrl,
        videoUrl: '',
        width: 150,
        height: 100,
        duration: 0,
        words: '顶顶顶顶顶',
        tag: 'exclusive',
        free: true,
        price: 0,
        mute: false,
        shootingTime: 116464646464,
        publishTime: await publishTimeOf(feed.id as string),
        access: true,
        authorUserInfo: { id: alice.id, nickname: 'Alice', avatar: '' },
      });
    });

    it('should publish a free video with its cover, duration, premiere tag and mute, from a JSON body', async () => {
      const photoUrl = await upload(t, alice);
      const videoUrl = await uploadVideo(t, alice);

      const res = await t.http.post('/feed/post').set('Authorization', alice.token).send({
        type: 'video',
        photoUrl,
        videoUrl,
        width: 320,
        height: 240,
        duration: 100,
        tag: 'premiere',
        free: true,
        mute: true,
      });

      expect(res.body).toEqual({ ret: 200, data: true });
      const [feed] = (await lastPage(bob.token, { size: 1 })).data;
      expect(feed).toMatchObject({
        type: 'video',
        photoUrl,
        videoUrl,
        duration: 100,
        tag: 'premiere',
        free: true,
        price: 0,
        mute: true,
        shootingTime: 0,
        access: true,
      });
    });

    it('should publish a paid video at a price in whole coins, "10.0" as the document’s float', async () => {
      const photoUrl = await upload(t, alice);
      const videoUrl = await uploadVideo(t, alice);

      const res = await call('POST', '/feed/post', alice.token, {
        type: 'video',
        photoUrl,
        videoUrl,
        width: 320,
        height: 240,
        free: 'false',
        price: '10.0',
      });

      expect(res.body).toEqual({ ret: 200, data: true });
      const [feed] = (await lastPage(alice.token, { size: 1 })).data;
      expect(feed).toMatchObject({ type: 'video', free: false, price: 10, access: true });
    });

    it('should ignore a price on a free feed', async () => {
      const feed = await postFeed(t, alice, { free: true, price: 25 });
      const rows = await t.db.query(`SELECT free, price FROM feeds WHERE id = $1`, [feed.id]);
      expect(rows).toEqual([{ free: true, price: '0' }]);
    });

    const invalid: Array<[string, Record<string, unknown>]> = [
      ['no type', { type: undefined }],
      ['an unknown type', { type: 'gif' }],
      ['no photoUrl', { photoUrl: undefined }],
      ['no width', { width: undefined }],
      ['a zero width', { width: '0' }],
      ['a fractional width', { width: '1.5' }],
      ['a width of letters', { width: 'wide' }],
      ['a height over 20000', { height: '20001' }],
      ['a negative duration', { duration: '-1' }],
      ['an undocumented tag', { tag: 'starter' }],
      ['no free', { free: undefined }],
      ['free as a word', { free: 'maybe' }],
      ['words over 1000 characters', { words: 'x'.repeat(1001) }],
      ['words with a NUL', { words: 'a\u0000b' }],
      ['a negative shootingTime', { shootingTime: '-5' }],
      ['a paid picture', { free: 'false', price: '10' }],
      ['a photoUrl that is no address of ours', { photoUrl: 'https://evil.example.com/x.jpg' }],
      ['a photoUrl with a path climbing out', { photoUrl: 'http://localhost:3000/media/u/../../etc/passwd' }],
    ];
    it.each(invalid)('should answer PARAM_ERROR for %s', async (_label, change) => {
      const photoUrl = await upload(t, alice);
      const params: Record<string, unknown> = {
        type: 'pic',
        photoUrl,
        width: '10',
        height: '10',
        free: 'true',
      };
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined) delete params[key];
        else params[key] = value;
      }

      const res = await call('POST', '/feed/post', alice.token, params);

      expect(res.status).toBe(200);
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it.each([
      ['no price', {}],
      ['a zero price', { price: '0' }],
      ['a negative price', { price: '-3' }],
      ['a fractional price', { price: '10.5' }],
      ['a price over 1000000', { price: '1000001' }],
    ])('should answer PARAM_ERROR for a paid video with %s', async (_label, price) => {
      const res = await call('POST', '/feed/post', alice.token, {
        type: 'video',
        photoUrl: await upload(t, alice),
        videoUrl: await uploadVideo(t, alice),
        width: '10',
        height: '10',
        free: 'false',
        ...price,
      });
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer PARAM_ERROR for a video without its videoUrl', async () => {
      const res = await call('POST', '/feed/post', alice.token, {
        type: 'video',
        photoUrl: await upload(t, alice),
        width: '10',
        height: '10',
        free: 'true',
      });
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer PARAM_ERROR for an address in the caller’s folder where nothing was uploaded', async () => {
      const photoUrl = `http://localhost:3000/media/u/${alice.id}/never-uploaded.jpg`;
      const res = await call('POST', '/feed/post', alice.token, {
        type: 'pic',
        photoUrl,
        width: '10',
        height: '10',
        free: 'true',
      });
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer PARAM_ERROR for a video where the picture goes, and a picture where the video goes', async () => {
      const video = await uploadVideo(t, alice);
      const picture = await upload(t, alice);
      const base = { width: '10', height: '10', free: 'true' };

      const swappedPhoto = await call('POST', '/feed/post', alice.token, {
        ...base,
        type: 'pic',
        photoUrl: video,
      });
      const swappedVideo = await call('POST', '/feed/post', alice.token, {
        ...base,
        type: 'video',
        photoUrl: picture,
        videoUrl: picture,
      });

      expect(swappedPhoto.body).toEqual(FAIL('PARAM_ERROR'));
      expect(swappedVideo.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer NOT_ALLOWED for someone else’s upload', async () => {
      const bobs = await upload(t, bob);
      const res = await call('POST', '/feed/post', alice.token, {
        type: 'pic',
        photoUrl: bobs,
        width: '10',
        height: '10',
        free: 'true',
      });
      expect(res.body).toEqual(FAIL('NOT_ALLOWED'));
    });

    it('should answer NOT_ALLOWED for a video that already backs a feed', async () => {
      const first = await postFeed(t, alice, { type: 'video' });
      const res = await call('POST', '/feed/post', alice.token, {
        type: 'video',
        photoUrl: await upload(t, alice),
        videoUrl: first.videoUrl,
        width: '10',
        height: '10',
        free: 'true',
      });
      expect(res.body).toEqual(FAIL('NOT_ALLOWED'));
    });

    it.each(METHODS)('should answer USER_NOT_LOGIN without a token on %s', async (method) => {
      const res = await call(method, '/feed/post', undefined, { type: 'pic' });
      expect(res.body).toEqual(FAIL('USER_NOT_LOGIN'));
    });

    it('should answer USER_IS_CANCELED for a banned author', async () => {
      const banned = await registerNuzzleUser(t);
      const photoUrl = await upload(t, banned);
      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
      const res = await call('POST', '/feed/post', banned.token, {
        type: 'pic',
        photoUrl,
        width: '10',
        height: '10',
        free: 'true',
      });
      expect(res.body).toEqual(FAIL('USER_IS_CANCELED'));
    });
  });

  describe('/feed/list', () => {
    let carol: NuzzleTestUser;
    let seeded: string[];

    beforeAll(async () => {
      carol = await registerNuzzleUser(t, { nickname: 'Carol' });
      seeded = await seedFeeds(carol, 60);
    });

    it.each(METHODS)('should answer the newest feeds first, 10 by default, on %s', async (method) => {
      const res = await call(method, '/feed/list', bob.token, { tz: 'Asia/Shanghai' });

      expect(res.status).toBe(200);
      expect(res.body.ret).toBe(200);
      const ids = (res.body.data as Array<{ id: string }>).map((f) => f.id);
      expect(ids).toEqual([...seeded].reverse().slice(0, 10));
      expect(res.body.data[0]).toMatchObject({
        author: carol.id,
        authorUserInfo: { id: carol.id, nickname: 'Carol', avatar: '' },
        access: true,
        tag: '',
      });
    });

    it('should page by maxId without gaps or repeats', async () => {
      const seen: string[] = [];
      let maxId: string | undefined;
      for (let i = 0; i < 6; i++) {
        const page = await lastPage(bob.token, { size: 10, ...(maxId ? { maxId } : {}) });
        seen.push(...page.data.map((f) => f.id as string));
        maxId = page.data[page.data.length - 1].id as string;
      }
      expect(seen).toEqual([...seeded].reverse());
    });

    it('should answer 50 for a size over 50, and the size asked for below', async () => {
      expect((await lastPage(bob.token, { size: 500 })).data).toHaveLength(50);
      expect((await lastPage(bob.token, { size: 3 })).data).toHaveLength(3);
    });

    it('should treat an empty maxId as the first page', async () => {
      const page = await lastPage(bob.token, { maxId: '', size: 1 });
      expect(page.data.map((f) => f.id)).toEqual([seeded[seeded.length - 1]]);
    });

    it('should answer an empty list past the oldest feed', async () => {
      expect((await lastPage(bob.token, { maxId: '1' })).data).toEqual([]);
    });

    it.each([
      ['a maxId of letters', { maxId: 'abc' }],
      ['a maxId beyond bigint', { maxId: '9999999999999999999' }],
      ['a size of 0', { size: '0' }],
      ['a negative size', { size: '-1' }],
      ['a size of letters', { size: 'ten' }],
    ])('should answer PARAM_ERROR for %s', async (_label, params) => {
      const res = await call('GET', '/feed/list', bob.token, params);
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should leave out deleted and hidden feeds and those of closed accounts', async () => {
      const dave = await registerNuzzleUser(t);
      const [kept, deleted, hidden] = await seedFeeds(dave, 3);
      await t.db.query(`UPDATE feeds SET deleted_at = now() WHERE id = $1`, [deleted]);
      await t.db.query(`UPDATE feeds SET hidden_at = now() WHERE id = $1`, [hidden]);
      expect((await lastPage(bob.token, { size: 3 })).data.map((f) => f.id)).toEqual([
        kept,
        ...[...seeded].reverse().slice(0, 2),
      ]);

      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [dave.id]);
      expect((await lastPage(bob.token, { size: 1 })).data.map((f) => f.id)).toEqual([
        seeded[seeded.length - 1],
      ]);
    });

    it('should answer USER_NOT_LOGIN without a token', async () => {
      expect((await call('GET', '/feed/list', undefined)).body).toEqual(FAIL('USER_NOT_LOGIN'));
    });
  });

  describe('/feed/detail', () => {
    it.each(METHODS)('should answer one feed with every field on %s', async (method) => {
      const posted = await postFeed(t, alice, { words: 'detail', tag: 'premiere' });

      const res = await call(method, '/feed/detail', bob.token, { type: 'pic', id: posted.id });

      expect(res.body).toEqual({
        ret: 200,
        data: {
          id: posted.id,
          author: alice.id,
          type: 'pic',
          photoUrl: posted.photoUrl,
          videoUrl: '',
          width: 320,
          height: 240,
          duration: 0,
          words: 'detail',
          tag: 'premiere',
          free: true,
          price: 0,
          mute: false,
          shootingTime: 0,
          publishTime: await publishTimeOf(posted.id),
          access: true,
          authorUserInfo: { id: alice.id, nickname: 'Alice', avatar: '' },
        },
      });
    });

    it.each([
      ['an unknown id', { type: 'pic', id: '987654321' }],
      ['an id of letters', { type: 'pic', id: 'sdf1wef1we1fw5e1f6ewf' }],
      ['the wrong type', { type: 'video' }],
    ])('should answer NOT_ALLOWED for %s', async (_label, params) => {
      const posted = await postFeed(t, alice);
      const res = await call('GET', '/feed/detail', bob.token, { id: posted.id, ...params });
      expect(res.body).toEqual(FAIL('NOT_ALLOWED'));
    });

    it('should answer PARAM_ERROR without a type or an id', async () => {
      expect((await call('GET', '/feed/detail', bob.token, { id: '1' })).body).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('GET', '/feed/detail', bob.token, { type: 'pic' })).body).toEqual(
        FAIL('PARAM_ERROR'),
      );
    });
  });

  describe('/feed/delete', () => {
    it.each(METHODS)(
      'should let the author delete on %s: gone from the list and the detail',
      async (method) => {
        const posted = await postFeed(t, alice);

        const res = await call(method, '/feed/delete', alice.token, { type: 'pic', id: posted.id });

        expect(res.body).toEqual({ ret: 200, data: true });
        expect((await lastPage(alice.token, { size: 50 })).data.map((f) => f.id)).not.toContain(posted.id);
        expect((await call('GET', '/feed/detail', alice.token, { type: 'pic', id: posted.id })).body).toEqual(
          FAIL('NOT_ALLOWED'),
        );
        const rows = await t.db.query(`SELECT deleted_at IS NOT NULL AS deleted FROM feeds WHERE id = $1`, [
          posted.id,
        ]);
        expect(rows).toEqual([{ deleted: true }]);
      },
    );

    it('should answer true when the author deletes it again', async () => {
      const posted = await postFeed(t, alice);
      await call('POST', '/feed/delete', alice.token, { type: 'pic', id: posted.id });
      expect((await call('POST', '/feed/delete', alice.token, { type: 'pic', id: posted.id })).body).toEqual({
        ret: 200,
        data: true,
      });
    });

    it('should answer NOT_ALLOWED to anyone but the author, and keep the feed', async () => {
      const posted = await postFeed(t, alice);
      expect((await call('POST', '/feed/delete', bob.token, { type: 'pic', id: posted.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
      expect((await call('GET', '/feed/detail', bob.token, { type: 'pic', id: posted.id })).body.ret).toBe(
        200,
      );
    });

    it('should answer NOT_ALLOWED for an unknown feed or the wrong type', async () => {
      const posted = await postFeed(t, alice);
      expect((await call('GET', '/feed/delete', alice.token, { type: 'pic', id: '987654321' })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
      expect((await call('GET', '/feed/delete', alice.token, { type: 'video', id: posted.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
    });

    it('should answer USER_BOUGHT for a paid feed someone bought', async () => {
      const posted = await postFeed(t, alice, { type: 'video', free: false, price: 5 });
      const entitlements = t.app.get(FeedEntitlements);
      const spy = jest.spyOn(entitlements, 'hasBuyers').mockResolvedValue(true);
      try {
        const res = await call('POST', '/feed/delete', alice.token, { type: 'video', id: posted.id });
        expect(res.body).toEqual(FAIL('USER_BOUGHT'));
        expect(spy).toHaveBeenCalledWith(posted.id);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('/feed/report', () => {
    const REPORT_TYPES = ['adOrPornographic', 'violenceOrIllegal', 'fraud', 'copyright', 'threats', 'other'];

    it.each(REPORT_TYPES)('should accept the report type %s', async (reportType) => {
      const posted = await postFeed(t, alice);
      const res = await call('GET', '/feed/report', bob.token, {
        type: 'pic',
        id: posted.id,
        reportType,
        reason: '不喜欢这个',
      });
      expect(res.body).toEqual({ ret: 200, data: true });
      const rows = await t.db.query(
        `SELECT reporter_id AS "reporterId", report_type AS "reportType", reason, status FROM feed_reports
          WHERE feed_id = $1`,
        [posted.id],
      );
      expect(rows).toEqual([{ reporterId: bob.id, reportType, reason: '不喜欢这个', status: 'open' }]);
    });

    it('should keep one open report per person and feed, and take a report from someone else', async () => {
      const posted = await postFeed(t, alice);
      const carol = await registerNuzzleUser(t);
      for (const user of [bob, bob, carol]) {
        const res = await call('POST', '/feed/report', user.token, {
          type: 'pic',
          id: posted.id,
          reportType: 'fraud',
        });
        expect(res.body).toEqual({ ret: 200, data: true });
      }
      const rows = await t.db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM feed_reports WHERE feed_id = $1`,
        [posted.id],
      );
      expect(rows[0].n).toBe(2);
    });

    it('should take a new report once the open one was decided', async () => {
      const posted = await postFeed(t, alice);
      await call('POST', '/feed/report', bob.token, { type: 'pic', id: posted.id, reportType: 'other' });
      await t.db.query(`UPDATE feed_reports SET status = 'dismissed' WHERE feed_id = $1`, [posted.id]);
      await call('POST', '/feed/report', bob.token, { type: 'pic', id: posted.id, reportType: 'other' });
      const rows = await t.db.query(`SELECT status FROM feed_reports WHERE feed_id = $1 ORDER BY id`, [
        posted.id,
      ]);
      expect(rows).toEqual([{ status: 'dismissed' }, { status: 'open' }]);
    });

    it('should answer NOT_ALLOWED for one’s own feed and for a deleted one', async () => {
      const posted = await postFeed(t, alice);
      expect(
        (await call('POST', '/feed/report', alice.token, { type: 'pic', id: posted.id, reportType: 'other' }))
          .body,
      ).toEqual(FAIL('NOT_ALLOWED'));
      await call('POST', '/feed/delete', alice.token, { type: 'pic', id: posted.id });
      expect(
        (await call('POST', '/feed/report', bob.token, { type: 'pic', id: posted.id, reportType: 'other' }))
          .body,
      ).toEqual(FAIL('NOT_ALLOWED'));
    });

    it.each([
      ['an undocumented reportType', { reportType: 'spam' }],
      ['no reportType', { reportType: undefined }],
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }],
    ])('should answer PARAM_ERROR for %s', async (_label, change) => {
      const posted = await postFeed(t, alice);
      const params: Record<string, unknown> = { type: 'pic', id: posted.id, reportType: 'other', ...change };
      if (params.reportType === undefined) delete params.reportType;
      expect((await call('POST', '/feed/report', bob.token, params)).body).toEqual(FAIL('PARAM_ERROR'));
    });
  });

  it('should store a video’s bytes as uploaded and read them back at its address', async () => {
    const bytes = mp4(2048);
    const url = await upload(t, alice, { name: 'raw.mp4', contentType: 'video/mp4', bytes });
    const res = await t.http.get(new URL(url).pathname).buffer(true);
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body as Buffer).equals(bytes)).toBe(true);
    expect(await jpeg()).toBeInstanceOf(Buffer);
  });
});

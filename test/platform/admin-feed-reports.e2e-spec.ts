import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { adminToken, postFeed } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

interface QueueItem {
  feed: { id: string; videoUrl: string; photoUrl: string; author: { id: string } };
  openReports: number;
  reportTypes: Record<string, number>;
  latest: Array<{ reporter: { id: string }; reportType: string; reason: string }>;
}

describe('operators’ queue of reported feeds (/admin/feed-reports)', () => {
  let t: TestApp;
  let admin: string;
  let author: NuzzleTestUser;
  let reporters: NuzzleTestUser[];

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        DATA_DIR: `/tmp/concord-reports-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
      },
    });
    admin = await adminToken(t, await registerNuzzleUser(t, { nickname: 'Ops' }));
    author = await registerNuzzleUser(t, { nickname: 'Poster' });
    reporters = await Promise.all(
      Array.from({ length: 7 }, (_, i) => registerNuzzleUser(t, { nickname: `R${i}` })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const asAdmin = () => ({ authorization: `Bearer ${admin}` });
  const report = (
    user: NuzzleTestUser,
    feed: { id: string },
    reportType: string,
    reason = '',
    type = 'pic',
  ) =>
    t.http
      .post('/feed/report')
      .set('Authorization', user.token)
      .type('form')
      .send({ type, id: feed.id, reportType, reason });
  const queue = async (query: Record<string, string> = {}) => {
    const res = await t.http.get('/admin/feed-reports').query(query).set(asAdmin());
    expect(res.status).toBe(200);
    return res.body as { items: QueueItem[]; nextCursor: string | null };
  };
  const itemFor = async (feedId: string) =>
    (await queue({ limit: '200' })).items.find((i) => i.feed.id === feedId);

  it('should gather a feed’s open reports in one item: counts by type and the five newest', async () => {
    const feed = await postFeed(t, author, { words: 'reported' });
    const types = ['fraud', 'fraud', 'threats', 'other', 'copyright', 'fraud', 'adOrPornographic'];
    for (const [i, user] of reporters.entries()) {
      expect((await report(user, feed, types[i], `reason ${i}`)).body).toEqual({ ret: 200, data: true });
    }

    const item = await itemFor(feed.id);

    expect(item).toMatchObject({
      feed: {
        id: feed.id,
        type: 'pic',
        words: 'reported',
        photoUrl: feed.photoUrl,
        videoUrl: '',
        author: { id: author.id, nickname: 'Poster', status: 'active' },
      },
      openReports: 7,
      reportTypes: { adOrPornographic: 1, fraud: 3, copyright: 1, threats: 1, other: 1 },
    });
    expect(item!.latest.map((r) => r.reason)).toEqual([
      'reason 6',
      'reason 5',
      'reason 4',
      'reason 3',
      'reason 2',
    ]);
    expect(item!.latest[0]).toMatchObject({
      reporter: { id: reporters[6].id, nickname: 'R6' },
      reportType: 'adOrPornographic',
    });
    const counts = await t.http.get('/admin/feed-reports/pending-count').set(asAdmin());
    expect(counts.body).toEqual({ feeds: expect.any(Number), reports: expect.any(Number) });
    expect(counts.body.reports).toBeGreaterThanOrEqual(7);
  });

  it('should list the feed reported first on top, and page by cursor', async () => {
    const feeds = [await postFeed(t, author), await postFeed(t, author), await postFeed(t, author)];
    for (const feed of [feeds[2], feeds[0], feeds[1]]) await report(reporters[0], feed, 'other');
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await queue({ limit: '1', ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((i) => i.feed.id));
      cursor = page.nextCursor;
    } while (cursor);
    const mine = ids.filter((id) => feeds.some((f) => f.id === id));
    expect(mine).toEqual([feeds[2].id, feeds[0].id, feeds[1].id]);
  });

  it('should show operators a paid video through a signed address', async () => {
    const feed = await postFeed(t, author, { type: 'video', free: false, price: 8 });
    await report(reporters[1], feed, 'copyright', '', 'video');
    const item = await itemFor(feed.id);
    expect(item?.feed.videoUrl).toMatch(
      /^https:\/\/api\.example\.com\/media\/signed\/u\/\d+\/.+\?expires=\d+&signature=/,
    );
  });

  it('should hide a reported feed everywhere, uphold its reports and audit it', async () => {
    const feed = await postFeed(t, author);
    await report(reporters[2], feed, 'threats');
    await report(reporters[3], feed, 'fraud');

    const res = await t.http
      .post(`/admin/feeds/${feed.id}/hide`)
      .set(asAdmin())
      .send({ note: ' threatening ' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ feedId: feed.id, hidden: true, reportsClosed: 2 });
    const viewer = reporters[4];
    expect(
      (
        await t.http
          .get('/feed/detail')
          .query({ type: 'pic', id: feed.id })
          .set('Authorization', viewer.token)
      ).body,
    ).toEqual({
      ret: 500,
      errcode: 'NOT_ALLOWED',
    });
    const list = await t.http.get('/feed/list').query({ size: 50 }).set('Authorization', viewer.token);
    expect((list.body.data as Array<{ id: string }>).map((f) => f.id)).not.toContain(feed.id);
    expect((await t.http.get('/feed/share').query({ type: 'pic', id: feed.id })).status).toBe(404);
    expect(await itemFor(feed.id)).toBeUndefined();
    const rows = await t.db.query(
      `SELECT status, decision_note AS note, decided_by IS NOT NULL AS decided FROM feed_reports WHERE feed_id = $1`,
      [feed.id],
    );
    expect(rows).toEqual([
      { status: 'upheld', note: 'threatening', decided: true },
      { status: 'upheld', note: 'threatening', decided: true },
    ]);
    const audit = await t.http
      .get('/admin/audit-log')
      .query({ userId: author.id, action: 'feed.hidden' })
      .set(asAdmin());
    expect(audit.body.items[0]).toMatchObject({
      action: 'feed.hidden',
      subjectUserId: author.id,
      detail: { feedId: feed.id, reports: 2, note: 'threatening' },
    });
    // Reporting it again is impossible: it is gone.
    expect((await report(reporters[5], feed, 'other')).body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    expect((await t.http.post(`/admin/feeds/${feed.id}/hide`).set(asAdmin()).send({})).status).toBe(409);
  });

  it('should dismiss the reports and keep the feed, audited; a second dismissal is a conflict', async () => {
    const feed = await postFeed(t, author);
    await report(reporters[5], feed, 'other', 'meh');

    const res = await t.http.post(`/admin/feeds/${feed.id}/dismiss-reports`).set(asAdmin()).send({});

    expect(res.body).toEqual({ feedId: feed.id, hidden: false, reportsClosed: 1 });
    expect(
      (
        await t.http
          .get('/feed/detail')
          .query({ type: 'pic', id: feed.id })
          .set('Authorization', reporters[5].token)
      ).body.ret,
    ).toBe(200);
    expect(await itemFor(feed.id)).toBeUndefined();
    expect(
      (await t.http.post(`/admin/feeds/${feed.id}/dismiss-reports`).set(asAdmin()).send({})).status,
    ).toBe(409);
    const audit = await t.db.query(`SELECT action FROM audit_log WHERE detail->>'feedId' = $1`, [feed.id]);
    expect(audit).toEqual([{ action: 'feed.reports_dismissed' }]);
  });

  it('should hide a feed nobody reported', async () => {
    const feed = await postFeed(t, author);
    const res = await t.http.post(`/admin/feeds/${feed.id}/hide`).set(asAdmin()).send({});
    expect(res.body).toEqual({ feedId: feed.id, hidden: true, reportsClosed: 0 });
  });

  it('should leave out feeds their authors deleted', async () => {
    const feed = await postFeed(t, author);
    await report(reporters[6], feed, 'other');
    await t.http
      .post('/feed/delete')
      .set('Authorization', author.token)
      .type('form')
      .send({ type: 'pic', id: feed.id });
    expect(await itemFor(feed.id)).toBeUndefined();
  });

  it('should answer 404 for an unknown feed, 400 for a malformed id, 401 without an admin session', async () => {
    expect((await t.http.post('/admin/feeds/987654321/hide').set(asAdmin()).send({})).status).toBe(404);
    expect((await t.http.post('/admin/feeds/abc/hide').set(asAdmin()).send({})).status).toBe(400);
    expect((await t.http.get('/admin/feed-reports')).status).toBe(401);
    expect(
      (await t.http.get('/admin/feed-reports').set({ authorization: `Bearer ${author.token}` })).status,
    ).toBe(401);
  });
});

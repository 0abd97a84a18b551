import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { makeStar, mp4, postFeed, type PostedFeed } from '#test/helpers/nuzzle-content.js';
import { grantCoins } from '#test/helpers/coins.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/**
 * A paid video's address reaches nobody who may not watch it: every endpoint that shows feeds is walked as a
 * non-buyer, and its whole answer searched for the file's name.
 */
describe('nuzzle paid videos stay paid', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
  let author: NuzzleTestUser;
  let viewer: NuzzleTestUser;
  let paid: PostedFeed;
  let free: PostedFeed;
  /** The paid video's file name: no answer to a non-buyer may contain it. */
  let secretName: string;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        DATA_DIR: `/tmp/concord-paid-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
        MEDIA_URL_TTL: '10m',
      },
    });
    author = await registerNuzzleUser(t, { nickname: 'Star' });
    viewer = await registerNuzzleUser(t, { nickname: 'Fan' });
    await makeStar(t, author.id);
    free = await postFeed(t, author, { type: 'video', free: true, tag: 'premiere' });
    paid = await postFeed(t, author, {
      type: 'video',
      free: false,
      price: 30,
      tag: 'exclusive',
      words: 'paid',
    });
    secretName = new URL(paid.videoUrl!).pathname.split('/').pop()!;
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, token: string | undefined, query: Record<string, unknown> = {}) => {
    const req = t.http.get(path).query(query);
    return token ? req.set('Authorization', token) : req;
  };
  const post = (path: string, token: string, body: Record<string, unknown> = {}) =>
    t.http.post(path).set('Authorization', token).type('form').send(body);
  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };

  /** Every endpoint that shows feeds, as `token` calls it. */
  async function everyFeedAnswer(
    token: string,
  ): Promise<Array<{ endpoint: string; text: string; feeds: unknown[] }>> {
    const list = await get('/feed/list', token, { size: 50 });
    const detail = await get('/feed/detail', token, { type: 'video', id: paid.id });
    const starFeeds = await post('/star/feed/list', token, { userId: author.id });
    const tagged = await get('/star/feed/tag/list', token, { userId: author.id });
    const stars = await post('/star/list', token);
    const share = await get('/feed/share', undefined, { type: 'video', id: paid.id });
    return [
      { endpoint: '/feed/list', text: list.text, feeds: list.body.data },
      { endpoint: '/feed/detail', text: detail.text, feeds: [detail.body.data] },
      { endpoint: '/star/feed/list', text: starFeeds.text, feeds: starFeeds.body.data },
      { endpoint: '/star/feed/tag/list', text: tagged.text, feeds: tagged.body.data.feeds },
      { endpoint: '/star/list', text: stars.text, feeds: [] },
      { endpoint: '/feed/share', text: share.text, feeds: [] },
    ];
  }

  it('should move the paid video out of public reach when it is posted', async () => {
    expect((await t.http.get(new URL(paid.videoUrl!).pathname)).status).toBe(404);
    // The free one stays where it was uploaded.
    expect((await t.http.get(new URL(free.videoUrl!).pathname)).status).toBe(200);
  });

  it('should never show a non-buyer the paid video’s address, on any endpoint', async () => {
    const answers = await everyFeedAnswer(viewer.token);
    for (const { endpoint, text, feeds } of answers) {
      expect({ endpoint, leaks: text.includes(secretName) }).toEqual({ endpoint, leaks: false });
      expect({ endpoint, signed: text.includes('/media/signed/') }).toEqual({ endpoint, signed: false });
      const shown = (feeds as Array<{ id: string; videoUrl: string; access: boolean }>).find(
        (f) => f.id === paid.id,
      );
      if (endpoint !== '/star/list' && endpoint !== '/feed/share') {
        expect({ endpoint, shown }).toEqual({
          endpoint,
          shown: expect.objectContaining({ videoUrl: '', access: false, free: false, price: 30 }),
        });
      }
    }
    const share = answers[5].text;
    expect(share).toContain('<meta property="og:image"');
    expect(share).not.toContain('og:video');
    // The free video's address is public to everyone.
    const list = answers[0].feeds as Array<{ id: string; videoUrl: string; access: boolean }>;
    expect(list.find((f) => f.id === free.id)).toMatchObject({ videoUrl: free.videoUrl, access: true });
  });

  it('should give the author a signed address that plays, with ranges', async () => {
    const res = await get('/feed/detail', author.token, { type: 'video', id: paid.id });
    const url = res.body.data.videoUrl as string;
    expect(res.body.data.access).toBe(true);
    expect(url).toMatch(
      new RegExp(
        `^https://api\\.example\\.com/media/signed/u/${author.id}/[^?]+\\?expires=\\d+&signature=[\\w-]+$`,
      ),
    );

    const whole = await t.http.get(pathOf(url)).buffer(true);
    expect(whole.status).toBe(200);
    expect(Buffer.from(whole.body as Buffer).equals(mp4())).toBe(true);
    expect(whole.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(whole.headers['x-content-type-options']).toBe('nosniff');

    const part = await t.http.get(pathOf(url)).set('Range', 'bytes=0-7').buffer(true);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-7/${mp4().length}`);
    expect(Buffer.from(part.body as Buffer).equals(mp4().subarray(0, 8))).toBe(true);
  });

  it('should refuse an altered, forged or expired address with 403', async () => {
    const url = (await get('/feed/detail', author.token, { type: 'video', id: paid.id })).body.data
      .videoUrl as string;
    const signed = new URL(url);
    const expires = signed.searchParams.get('expires')!;
    const signature = signed.searchParams.get('signature')!;
    const tries = [
      `${signed.pathname}?expires=${Number(expires) + 3600}&signature=${signature}`,
      // The first character carries six whole bits of the MAC (the last one only four), so this always alters it.
      `${signed.pathname}?expires=${expires}&signature=${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`,
      `${signed.pathname}?expires=${expires}`,
      `${signed.pathname.replace(secretName, `x${secretName}`)}?expires=${expires}&signature=${signature}`,
    ];
    expect(tries[3]).not.toContain(`${signed.pathname}?`);
    for (const path of tries) {
      const res = await t.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: expect.any(Number) });
      expect([403, 404]).toContain(res.status);
    }
    expect((await t.http.get(tries[0])).status).toBe(403);
    expect((await t.http.get(tries[1])).status).toBe(403);

    // MEDIA_URL_TTL is 10 minutes here (expiry rounded up to the minute).
    clock.advance(11 * 60_000);
    try {
      const expired = await t.http.get(pathOf(url));
      expect(expired.status).toBe(403);
      expect(expired.body).toEqual({
        error: { code: 'FORBIDDEN', message: expect.any(String) },
        requestId: expect.any(String),
      });
    } finally {
      clock.advance(-11 * 60_000);
    }
  });

  it('should serve nothing but client uploads at signed addresses', async () => {
    expect((await t.http.get('/media/signed/images/2026/11/x.jpg?expires=1&signature=x')).status).toBe(404);
    expect((await t.http.get('/media/signed/u/../../etc/passwd?expires=1&signature=x')).status).toBe(404);
  });

  it('should let a buyer watch what they bought, and only that, on every list', async () => {
    const buyer = await registerNuzzleUser(t);
    const second = await postFeed(t, author, { type: 'video', free: false, price: 7 });
    await grantCoins(t, buyer.id, 30);
    expect((await post('/pay/view', buyer.token, { type: 'video', id: paid.id })).body.ret).toBe(200);

    const answers = [
      (await get('/feed/list', buyer.token, { size: 50 })).body.data,
      (await post('/star/feed/list', buyer.token, { userId: author.id })).body.data,
      [(await get('/feed/detail', buyer.token, { type: 'video', id: paid.id })).body.data],
    ] as Array<Array<{ id: string; videoUrl: string; access: boolean }>>;
    for (const feeds of answers) {
      expect(feeds.find((f) => f.id === paid.id)).toMatchObject({
        access: true,
        videoUrl: expect.stringContaining('/media/signed/'),
      });
    }
    for (const feeds of answers.slice(0, 2)) {
      expect(feeds.find((f) => f.id === second.id)).toMatchObject({ access: false, videoUrl: '' });
    }
    // Someone else's purchase gives the viewer nothing; the author watches their own.
    const others = (await get('/feed/list', viewer.token, { size: 50 })).body.data as Array<{
      id: string;
      access: boolean;
    }>;
    expect(others.find((f) => f.id === paid.id)?.access).toBe(false);
    const mine = await get('/feed/list', author.token, { size: 50 });
    expect((mine.body.data as Array<{ access: boolean }>).every((f) => f.access)).toBe(true);
  });
});

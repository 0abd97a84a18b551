import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { postFeed, type PostedFeed } from '#test/helpers/nuzzle-content.js';
import { grantCoins } from '#test/helpers/coins.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const METHODS: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST'];
const FAIL = (errcode: string) => ({ ret: 500, errcode });
const OK = (data: unknown) => ({ ret: 200, data });
const SIGNED = expect.stringMatching(
  /^https:\/\/api\.example\.com\/media\/signed\/u\/\d+\/.+\?expires=\d+&signature=/,
);

/** nuzzle `/income/summary` and `/income/detail` over HTTP, from purchases made through `/pay/view`. */
describe('nuzzle /income', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
  let author: NuzzleTestUser;
  let first: PostedFeed;
  let second: PostedFeed;
  let buyers: NuzzleTestUser[];
  /** When each buyer bought `first` (epoch ms), in buying order. */
  const paidAt: number[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        DATA_DIR: `/tmp/concord-income-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
        COIN_PURCHASE_PLATFORM_SHARE: '30',
      },
    });
    author = await registerNuzzleUser(t, { nickname: 'Author' });
    first = await postFeed(t, author, { type: 'video', free: false, price: 10 });
    second = await postFeed(t, author, { type: 'video', free: false, price: 25 });
    await postFeed(t, author, { type: 'video', free: true });
    buyers = [];
    for (let i = 0; i < 5; i++) {
      const buyer = await registerNuzzleUser(t, { nickname: `Fan ${i}` });
      await t.db.query(`UPDATE users SET avatar_url = $2 WHERE id = $1`, [
        buyer.id,
        `https://cdn.example.com/a${i}.jpg`,
      ]);
      await grantCoins(t, buyer.id, 100);
      clock.advance(60_000);
      await buy(buyer, first.id);
      paidAt.push(clock.now().getTime());
      buyers.push(buyer);
    }
    // The last purchase of all is of `second`: it comes first in the summary's list.
    clock.advance(60_000);
    await buy(buyers[0], second.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function buy(buyer: NuzzleTestUser, id: string) {
    const res = await t.http
      .post('/pay/view')
      .set('Authorization', buyer.token)
      .type('form')
      .send({ type: 'video', id });
    if (res.body.ret !== 200) throw new Error(`purchase failed: ${JSON.stringify(res.body)}`);
  }
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

  describe('/income/summary', () => {
    it.each(METHODS)(
      'should total the caller’s income and list it per feed, last bought first (%s)',
      async (method) => {
        const res = await call(method, '/income/summary', author.token, { tz: 'Asia/Shanghai' });
        expect(res.body).toEqual(
          OK({
            // 5 × (10 − 3) + (25 − 7)
            summary: { coins: 53, counts: 6 },
            list: [
              {
                coins: 18,
                counts: 1,
                feed: { id: second.id, photoUrl: second.photoUrl, type: 'video', videoUrl: SIGNED },
              },
              {
                coins: 35,
                counts: 5,
                feed: { id: first.id, photoUrl: first.photoUrl, type: 'video', videoUrl: SIGNED },
              },
            ],
          }),
        );
      },
    );

    it('should answer zeros and an empty list to someone who sold nothing', async () => {
      expect((await call('GET', '/income/summary', buyers[1].token)).body).toEqual(
        OK({ summary: { coins: 0, counts: 0 }, list: [] }),
      );
    });

    it('should keep a feed an operator hid, without its files', async () => {
      const seller = await registerNuzzleUser(t);
      const feed = await postFeed(t, seller, { type: 'video', free: false, price: 10 });
      await buy(buyers[2], feed.id);
      await t.db.query(`UPDATE feeds SET hidden_at = now() WHERE id = $1`, [feed.id]);
      expect((await call('GET', '/income/summary', seller.token)).body).toEqual(
        OK({
          summary: { coins: 7, counts: 1 },
          list: [{ coins: 7, counts: 1, feed: { id: feed.id, photoUrl: '', type: 'video', videoUrl: '' } }],
        }),
      );
      const detail = await call('GET', '/income/detail', seller.token, { type: 'video', id: feed.id });
      expect(detail.body).toMatchObject(
        OK({
          summary: { coins: 7, counts: 1, feed: { id: feed.id, photoUrl: '', type: 'video', videoUrl: '' } },
          list: [{ coins: 7, user: { id: buyers[2].id } }],
        }),
      );
    });

    it('should answer PARAM_ERROR for a malformed common parameter', async () => {
      expect((await call('GET', '/income/summary', author.token, { tz: 'x'.repeat(65) })).body).toEqual(
        FAIL('PARAM_ERROR'),
      );
    });

    it.each(METHODS)('should answer USER_NOT_LOGIN without a token (%s)', async (method) => {
      expect((await call(method, '/income/summary', undefined)).body).toEqual(FAIL('USER_NOT_LOGIN'));
    });

    it('should answer USER_IS_CANCELED to a banned author and USER_NOT_EXIST to a closed one', async () => {
      const [banned, closed] = [await registerNuzzleUser(t), await registerNuzzleUser(t)];
      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
      expect((await call('GET', '/income/summary', banned.token)).body).toEqual(FAIL('USER_IS_CANCELED'));
      expect((await call('GET', '/income/summary', closed.token)).body).toEqual(FAIL('USER_NOT_EXIST'));
    });
  });

  describe('/income/detail', () => {
    it.each(METHODS)('should answer the feed’s figures and its buyers, newest first (%s)', async (method) => {
      const res = await call(method, '/income/detail', author.token, { type: 'video', id: first.id });
      expect(res.body).toEqual(
        OK({
          summary: {
            coins: 35,
            counts: 5,
            feed: { id: first.id, photoUrl: first.photoUrl, type: 'video', videoUrl: SIGNED },
          },
          list: [4, 3, 2, 1, 0].map((i) => ({
            id: expect.stringMatching(/^\d+$/),
            payTime: paidAt[i],
            coins: 7,
            user: { id: buyers[i].id, nickname: `Fan ${i}`, avatar: `https://cdn.example.com/a${i}.jpg` },
          })),
        }),
      );
    });

    it('should page by maxId (the last record’s id) and size', async () => {
      const page = async (params: Record<string, unknown>) =>
        (await call('GET', '/income/detail', author.token, { type: 'video', id: first.id, ...params })).body
          .data.list as Array<{ id: string; user: { id: string } }>;
      const one = await page({ size: 2 });
      const two = await page({ size: '2', maxId: one[1].id });
      const three = await page({ size: 2, maxId: two[1].id });
      expect([...one, ...two, ...three].map((p) => p.user.id)).toEqual(
        [4, 3, 2, 1, 0].map((i) => buyers[i].id),
      );
      expect(three).toHaveLength(1);
      expect(await page({ size: 2, maxId: three[0].id })).toEqual([]);
      // An empty maxId is the first page; a size over 50 answers 50.
      expect(await page({ maxId: '', size: 500 })).toHaveLength(5);
    });

    it('should blank the nickname and avatar of a buyer whose account is closed', async () => {
      const seller = await registerNuzzleUser(t);
      const feed = await postFeed(t, seller, { type: 'video', free: false, price: 10 });
      const gone = await registerNuzzleUser(t, { nickname: 'Gone' });
      await grantCoins(t, gone.id, 10);
      await buy(gone, feed.id);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [gone.id]);
      const res = await call('GET', '/income/detail', seller.token, { type: 'video', id: feed.id });
      expect(res.body.data.list).toEqual([
        {
          id: expect.any(String),
          payTime: expect.any(Number),
          coins: 7,
          user: { id: gone.id, nickname: '', avatar: '' },
        },
      ]);
    });

    it('should answer an own feed nobody bought with zeros', async () => {
      const feed = await postFeed(t, author, { type: 'video', free: false, price: 10 });
      expect(
        (await call('GET', '/income/detail', author.token, { type: 'video', id: feed.id })).body,
      ).toEqual(
        OK({
          summary: {
            coins: 0,
            counts: 0,
            feed: { id: feed.id, photoUrl: feed.photoUrl, type: 'video', videoUrl: SIGNED },
          },
          list: [],
        }),
      );
    });

    it('should answer NOT_ALLOWED for someone else’s feed, an unknown one, or the wrong type', async () => {
      const other = await registerNuzzleUser(t);
      for (const params of [
        { type: 'video', id: first.id },
        { type: 'video', id: '987654321' },
        { type: 'video', id: '99999999999999999999' },
      ]) {
        expect((await call('GET', '/income/detail', other.token, params)).body).toEqual(FAIL('NOT_ALLOWED'));
      }
      expect((await call('GET', '/income/detail', author.token, { type: 'pic', id: first.id })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
    });

    it.each([
      ['no id', { type: 'video' }],
      ['no type', { id: '1' }],
      ['an undocumented type', { type: 'audio', id: '1' }],
      ['a maxId that is not an id', { type: 'video', id: '1', maxId: 'JFOWEJF' }],
      ['a size of 0', { type: 'video', id: '1', size: 0 }],
      ['a size that is not a number', { type: 'video', id: '1', size: 'ten' }],
    ])('should answer PARAM_ERROR for %s', async (_name, params) => {
      expect((await call('POST', '/income/detail', author.token, params)).body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer USER_NOT_LOGIN, USER_IS_CANCELED and USER_NOT_EXIST', async () => {
      const params = { type: 'video', id: first.id };
      expect((await call('POST', '/income/detail', undefined, params)).body).toEqual(FAIL('USER_NOT_LOGIN'));
      const [banned, closed] = [await registerNuzzleUser(t), await registerNuzzleUser(t)];
      await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
      expect((await call('GET', '/income/detail', banned.token, params)).body).toEqual(
        FAIL('USER_IS_CANCELED'),
      );
      expect((await call('GET', '/income/detail', closed.token, params)).body).toEqual(
        FAIL('USER_NOT_EXIST'),
      );
    });
  });
});

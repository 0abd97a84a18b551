import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { makeStar, postFeed, type PostedFeed } from '#test/helpers/nuzzle-content.js';
import { grantCoins } from '#test/helpers/coins.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const METHODS: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST'];
const FAIL = (errcode: string) => ({ ret: 500, errcode });
const OK = (data: unknown) => ({ ret: 200, data });

/** nuzzle `/pay/view` over HTTP against the whole app and the real ledger. */
describe('nuzzle /pay/view', () => {
  let t: TestApp;
  let coins: CoinsService;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
  let author: NuzzleTestUser;
  let paid: PostedFeed;
  let free: PostedFeed;
  let picture: PostedFeed;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        DATA_DIR: `/tmp/concord-pay-view-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
        COIN_PURCHASE_PLATFORM_SHARE: '30',
        // 100 requests at once below: enough connections that they really race in PostgreSQL.
        DATABASE_POOL_SIZE: '20',
      },
    });
    coins = t.app.get(CoinsService);
    author = await registerNuzzleUser(t, { nickname: 'Star' });
    await makeStar(t, author.id);
    paid = await postFeed(t, author, { type: 'video', free: false, price: 30, tag: 'exclusive' });
    free = await postFeed(t, author, { type: 'video', free: true });
    picture = await postFeed(t, author, { type: 'pic' });
  });
  afterAll(async () => {
    if (t) expect(await t.app.get(CoinsAuditService).run()).toMatchObject({ ok: true });
    await t?.close();
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
  const buy = (token: string | undefined, id: string, type = 'video', method: 'GET' | 'POST' = 'POST') =>
    call(method, '/pay/view', token, { type, id, tz: 'Asia/Shanghai' });

  /** Paid videos straight into the table (a purchase never reads their files). */
  async function paidVideos(authorId: string, count: number, price: number): Promise<string[]> {
    const rows = await t.db.query<Array<{ id: string }>>(
      `INSERT INTO feeds (author_id, type, photo_key, video_key, width, height, duration, words, free, price,
                          created_at)
       SELECT $1::bigint, 'video', 'u/' || $1::text || '/c' || g || '.jpg', 'u/' || $1::text || '/v' || g || '.mp4',
              320, 240, 10, '',
              false, $3, now()
         FROM generate_series(1, $2::int) g RETURNING id`,
      [authorId, count, price],
    );
    return rows.map((r) => String(r.id));
  }

  const entitlements = async (buyerId: string) =>
    Number(
      (
        await t.db.query<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM coin_purchases WHERE buyer_id = $1`,
          [buyerId],
        )
      )[0].n,
    );

  it.each(METHODS)(
    'should take the price from the buyer and give the author the rest of the platform’s share (%s)',
    async (method) => {
      const feed = await postFeed(t, author, { type: 'video', free: false, price: 25 });
      const buyer = await registerNuzzleUser(t);
      await grantCoins(t, buyer.id, 100);
      const before = await incomeOf(author.id);

      const res = await buy(buyer.token, feed.id, 'video', method);

      expect(res.body).toEqual(OK({ balance: 75 }));
      expect(await coins.balance(buyer.id)).toBe(75);
      // 30% of 25 is 7.5: the platform takes 7, the author 18.
      expect((await incomeOf(author.id)) - before).toBe(18);
      const [purchase] = await t.db.query<Array<Record<string, string>>>(
        `SELECT p.price, p.seller_amount, p.platform_amount, count(e.id) AS entries
           FROM coin_purchases p JOIN coin_entries e ON e.posting_id = p.posting_id
          WHERE p.buyer_id = $1 GROUP BY p.id`,
        [buyer.id],
      );
      expect(purchase).toEqual({ price: '25', seller_amount: '18', platform_amount: '7', entries: '3' });
    },
  );

  async function incomeOf(userId: string): Promise<number> {
    const rows = await t.db.query<Array<{ total: string | null }>>(
      `SELECT sum(e.amount) AS total FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
        WHERE a.user_id = $1 AND a.kind = 'income'`,
      [userId],
    );
    return Number(rows[0].total ?? 0);
  }

  it('should make access true and a signed videoUrl visible everywhere the feed appears', async () => {
    const buyer = await registerNuzzleUser(t);
    await grantCoins(t, buyer.id, 30);
    const shown = async () => {
      const list = await call('GET', '/feed/list', buyer.token, { size: 50 });
      const detail = await call('GET', '/feed/detail', buyer.token, { type: 'video', id: paid.id });
      const starFeeds = await call('POST', '/star/feed/list', buyer.token, { userId: author.id });
      const tagged = await call('GET', '/star/feed/tag/list', buyer.token, { userId: author.id });
      const find = (feeds: Array<{ id: string }>) => feeds.find((f) => f.id === paid.id);
      return [
        find(list.body.data as Array<{ id: string }>),
        detail.body.data as { id: string },
        find(starFeeds.body.data as Array<{ id: string }>),
        find((tagged.body.data as { feeds: Array<{ id: string }> }).feeds),
      ];
    };
    for (const feed of await shown()) expect(feed).toMatchObject({ access: false, videoUrl: '' });

    expect((await buy(buyer.token, paid.id)).body).toEqual(OK({ balance: 0 }));

    for (const feed of await shown()) {
      expect(feed).toMatchObject({
        access: true,
        videoUrl: expect.stringMatching(
          /^https:\/\/api\.example\.com\/media\/signed\/u\/\d+\/.+\?expires=\d+&signature=/,
        ),
      });
    }
  });

  it('should answer USER_BOUGHT to a second purchase, taking nothing', async () => {
    const buyer = await registerNuzzleUser(t);
    await grantCoins(t, buyer.id, 100);
    expect((await buy(buyer.token, paid.id)).body).toEqual(OK({ balance: 70 }));
    expect((await buy(buyer.token, paid.id)).body).toEqual(FAIL('USER_BOUGHT'));
    expect((await buy(buyer.token, paid.id, 'video', 'GET')).body).toEqual(FAIL('USER_BOUGHT'));
    expect(await coins.balance(buyer.id)).toBe(70);
    expect(await entitlements(buyer.id)).toBe(1);
  });

  it('should answer BALANCE_NOT_ENOUGH without coins, and when the balance is short of the price', async () => {
    const poor = await registerNuzzleUser(t);
    expect((await buy(poor.token, paid.id)).body).toEqual(FAIL('BALANCE_NOT_ENOUGH'));
    await grantCoins(t, poor.id, 29);
    expect((await buy(poor.token, paid.id, 'video', 'GET')).body).toEqual(FAIL('BALANCE_NOT_ENOUGH'));
    expect(await coins.balance(poor.id)).toBe(29);
    expect(await entitlements(poor.id)).toBe(0);
  });

  describe('NOT_ALLOWED', () => {
    let buyer: NuzzleTestUser;
    beforeAll(async () => {
      buyer = await registerNuzzleUser(t);
      await grantCoins(t, buyer.id, 1000);
    });
    afterAll(async () => {
      // Nothing above took a coin.
      expect(await coins.balance(buyer.id)).toBe(1000);
      expect(await entitlements(buyer.id)).toBe(0);
    });

    it('should refuse a free feed', async () => {
      expect((await buy(buyer.token, free.id)).body).toEqual(FAIL('NOT_ALLOWED'));
    });

    it('should refuse a picture, asked for as a picture or as a video', async () => {
      expect((await buy(buyer.token, picture.id, 'pic')).body).toEqual(FAIL('NOT_ALLOWED'));
      expect((await buy(buyer.token, picture.id, 'video')).body).toEqual(FAIL('NOT_ALLOWED'));
      expect((await buy(buyer.token, paid.id, 'pic')).body).toEqual(FAIL('NOT_ALLOWED'));
    });

    it('should refuse the author’s own feed', async () => {
      await grantCoins(t, author.id, 100);
      expect((await buy(author.token, paid.id)).body).toEqual(FAIL('NOT_ALLOWED'));
      expect(await coins.balance(author.id)).toBe(100);
    });

    it('should refuse a deleted, hidden or unknown feed', async () => {
      const deleted = await postFeed(t, author, { type: 'video', free: false, price: 5 });
      expect(
        (await call('POST', '/feed/delete', author.token, { type: 'video', id: deleted.id })).body,
      ).toEqual(OK(true));
      const [hidden] = await paidVideos(author.id, 1, 5);
      await t.db.query(`UPDATE feeds SET hidden_at = now() WHERE id = $1`, [hidden]);
      for (const id of [deleted.id, hidden, '987654321', '99999999999999999999', 'abc']) {
        expect({ id, body: (await buy(buyer.token, id)).body }).toEqual({ id, body: FAIL('NOT_ALLOWED') });
      }
    });

    it('should refuse a feed whose author’s account is closed', async () => {
      const gone = await registerNuzzleUser(t);
      const [feed] = await paidVideos(gone.id, 1, 5);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [gone.id]);
      expect((await buy(buyer.token, feed)).body).toEqual(FAIL('NOT_ALLOWED'));
    });
  });

  it('should keep a bought feed from being deleted (USER_BOUGHT on /feed/delete)', async () => {
    const feed = await postFeed(t, author, { type: 'video', free: false, price: 3 });
    const buyer = await registerNuzzleUser(t);
    await grantCoins(t, buyer.id, 3);
    expect((await buy(buyer.token, feed.id)).body).toEqual(OK({ balance: 0 }));
    expect((await call('POST', '/feed/delete', author.token, { type: 'video', id: feed.id })).body).toEqual(
      FAIL('USER_BOUGHT'),
    );
  });

  it('should show the ledger balance on the caller’s own star page', async () => {
    await grantCoins(t, author.id, 5);
    const balance = await coins.balance(author.id);
    const res = await call('GET', '/star/feed/tag/list', author.token, { userId: author.id });
    expect(res.body.data.userMap.balance).toBe(balance);
    expect(balance).toBeGreaterThan(0);
  });

  it.each([
    ['no type', { id: '1' }],
    ['no id', { type: 'video' }],
    ['a type that is not documented', { type: 'audio', id: '1' }],
    ['an empty id', { type: 'video', id: '' }],
  ])('should answer PARAM_ERROR for %s', async (_name, params) => {
    const buyer = await registerNuzzleUser(t);
    expect((await call('POST', '/pay/view', buyer.token, params)).body).toEqual(FAIL('PARAM_ERROR'));
  });

  it.each(METHODS)('should answer USER_NOT_LOGIN without a token (%s)', async (method) => {
    expect((await buy(undefined, paid.id, 'video', method)).body).toEqual(FAIL('USER_NOT_LOGIN'));
  });

  it('should answer USER_IS_CANCELED for a banned buyer and USER_NOT_EXIST for a closed one', async () => {
    const banned = await registerNuzzleUser(t);
    const closed = await registerNuzzleUser(t);
    await grantCoins(t, banned.id, 100);
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
    expect((await buy(banned.token, paid.id)).body).toEqual(FAIL('USER_IS_CANCELED'));
    expect((await buy(closed.token, paid.id)).body).toEqual(FAIL('USER_NOT_EXIST'));
    expect(await coins.balance(banned.id)).toBe(100);
  });

  describe('under concurrency', () => {
    /** Samples the buyer's wallet from a connection of its own while `work` runs: the lowest balance seen. */
    async function lowestBalanceDuring(userId: string, work: Promise<unknown>): Promise<number> {
      const sql = new pg.Client({ connectionString: t.config.database.url });
      await sql.connect();
      let done = false;
      let lowest = Number.POSITIVE_INFINITY;
      const watching = (async () => {
        while (!done) {
          const { rows } = await sql.query<{ balance: string }>(
            `SELECT balance FROM coin_accounts WHERE user_id = $1 AND kind = 'wallet' AND currency = 'coin'`,
            [userId],
          );
          lowest = Math.min(lowest, Number(rows[0].balance));
        }
      })();
      try {
        await work;
      } finally {
        done = true;
        await watching;
        await sql.end();
      }
      return lowest;
    }

    const tally = (bodies: Array<{ ret: number; errcode?: string }>) => {
      const counts: Record<string, number> = {};
      for (const b of bodies) {
        const name = b.ret === 200 ? 'ok' : (b.errcode ?? 'unknown');
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return counts;
    };

    it('should let exactly one of 100 concurrent purchases through when the balance covers one', async () => {
      const seller = await registerNuzzleUser(t);
      const feeds = await paidVideos(seller.id, 100, 10);
      const buyer = await registerNuzzleUser(t);
      await grantCoins(t, buyer.id, 10);
      let bodies: Array<{ ret: number; errcode?: string }> = [];
      const lowest = await lowestBalanceDuring(
        buyer.id,
        Promise.all(feeds.map((id, i) => buy(buyer.token, id, 'video', i % 2 ? 'GET' : 'POST'))).then(
          (answers) => (bodies = answers.map((a) => a.body as { ret: number; errcode?: string })),
        ),
      );
      const counts = tally(bodies);
      console.log(
        `100 concurrent /pay/view, balance for one: ${JSON.stringify(counts)}, lowest balance ${lowest}`,
      );
      expect(counts).toEqual({ ok: 1, BALANCE_NOT_ENOUGH: 99 });
      expect(lowest).toBeGreaterThanOrEqual(0);
      expect(await coins.balance(buyer.id)).toBe(0);
      expect(await entitlements(buyer.id)).toBe(1);
      expect(await incomeOf(seller.id)).toBe(7);
    });

    it('should let exactly one of 100 concurrent purchases of one feed through, the rest USER_BOUGHT', async () => {
      const seller = await registerNuzzleUser(t);
      const [feed] = await paidVideos(seller.id, 1, 10);
      const buyer = await registerNuzzleUser(t);
      await grantCoins(t, buyer.id, 1000);
      const answers = await Promise.all(Array.from({ length: 100 }, () => buy(buyer.token, feed)));
      const counts = tally(answers.map((a) => a.body as { ret: number; errcode?: string }));
      console.log(`100 concurrent /pay/view of one feed: ${JSON.stringify(counts)}`);
      expect(counts).toEqual({ ok: 1, USER_BOUGHT: 99 });
      expect(await coins.balance(buyer.id)).toBe(990);
      expect(await entitlements(buyer.id)).toBe(1);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import {
  appleTransaction,
  BUNDLE_ID,
  COINS_600,
  newTransactionId,
  startFakeApple,
  type FakeApple,
} from '#test/payments/apple-fixtures.js';
import { signJws } from '#test/payments/apple-pki.js';
import { appReceipt } from '#test/payments/fake-app-store-api.js';

const FAIL = (errcode: string) => ({ ret: 500, errcode });
const OK = (data: unknown) => ({ ret: 200, data });
/** The answer's transaction ids, in a stable order (the answer lists those credited now first). */
const transactionsOf = (body: unknown) =>
  [...(body as { data: { transactions: string[] } }).data.transactions].sort();

/**
 * nuzzle `/pay/verify` over HTTP against the whole app, the real ledger, a test PKI shaped like Apple's and a fake
 * App Store Server API on loopback; refunds through App Store Server Notifications.
 */
describe('nuzzle /pay/verify', () => {
  let fake: FakeApple;
  let t: TestApp;
  let coins: CoinsService;

  beforeAll(async () => {
    fake = await startFakeApple();
    t = await createTestApp({
      env: {
        ...fake.env,
        DATA_DIR: `/tmp/concord-pay-verify-${process.pid}-${Date.now()}`,
        DATABASE_POOL_SIZE: '20',
      },
    });
    coins = t.app.get(CoinsService);
  });
  afterAll(async () => {
    if (t) expect(await t.app.get(CoinsAuditService).run()).toMatchObject({ ok: true });
    await t?.close();
    await fake?.close();
  });

  const verify = (token: string | undefined, body: Record<string, unknown>) => {
    const req = t.http.post('/pay/verify').send(body);
    return token === undefined ? req : req.set('Authorization', token);
  };
  const postings = async (userId: string) =>
    (
      await t.db.query<Array<{ key: string }>>(
        `SELECT idempotency_key AS key FROM coin_postings WHERE user_id = $1 ORDER BY id`,
        [userId],
      )
    ).map((r) => r.key);

  it('should credit a signed transaction (sign) and answer the balance and the transaction', async () => {
    const user = await registerNuzzleUser(t);
    const tx = appleTransaction({ productId: COINS_600 });
    const jws = fake.sign(tx);

    expect((await verify(user.token, { sign: jws, tz: 'Asia/Shanghai' })).body).toEqual(
      OK({ balance: 600, transactions: [tx.transactionId] }),
    );
    // Again (the app did not get to finish the transaction): an answer, not a second credit.
    expect((await verify(user.token, { sign: jws })).body).toEqual(
      OK({ balance: 600, transactions: [tx.transactionId] }),
    );
    expect(await postings(user.id)).toEqual([`top_up:app_store:${tx.transactionId}`]);
  });

  it('should credit the same transaction once when it arrives 20 times at once', async () => {
    const user = await registerNuzzleUser(t);
    const tx = appleTransaction();
    const jws = fake.sign(tx);
    const answers = await Promise.all(Array.from({ length: 20 }, () => verify(user.token, { sign: jws })));
    const bodies = answers.map((a) => a.body as { ret: number; data: { transactions: string[] } });
    console.log(
      `20 concurrent /pay/verify of one transaction: ${bodies.filter((b) => b.ret === 200).length} answered 200`,
    );
    for (const body of bodies)
      expect(body).toMatchObject({ ret: 200, data: { transactions: [tx.transactionId] } });
    expect(await coins.balance(user.id)).toBe(100);
    expect(await postings(user.id)).toHaveLength(1);
  });

  it('should credit a transaction sent by two accounts at once to one of them only (NOT_ALLOWED)', async () => {
    const [alice, bob] = [await registerNuzzleUser(t), await registerNuzzleUser(t)];
    const tx = appleTransaction();
    const jws = fake.sign(tx);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => verify((i % 2 ? alice : bob).token, { sign: jws })),
    );
    const winners = new Set<string>();
    for (const [i, a] of answers.entries()) {
      if ((a.body as { ret: number }).ret === 200) winners.add(i % 2 ? 'alice' : 'bob');
      else expect(a.body).toEqual(FAIL('NOT_ALLOWED'));
    }
    expect(winners.size).toBe(1);
    const [winner, loser] = winners.has('alice') ? [alice, bob] : [bob, alice];
    expect(await coins.balance(winner.id)).toBe(100);
    expect(await coins.balance(loser.id)).toBe(0);
    expect([...(await postings(alice.id)), ...(await postings(bob.id))]).toHaveLength(1);
    // Later, too.
    expect((await verify(loser.token, { sign: jws })).body).toEqual(FAIL('NOT_ALLOWED'));
  });

  it('should take several signed transactions at once, as a JSON array or a repeated form field', async () => {
    const user = await registerNuzzleUser(t);
    const [a, b, c] = [appleTransaction(), appleTransaction({ productId: COINS_600 }), appleTransaction()];
    const json = await verify(user.token, { sign: [fake.sign(a), fake.sign(b)] });
    expect(json.body).toMatchObject({ ret: 200, data: { balance: 700 } });
    expect(transactionsOf(json.body)).toEqual([a.transactionId, b.transactionId].sort());
    const form = await t.http
      .post('/pay/verify')
      .set('Authorization', user.token)
      .type('form')
      .send(`sign=${encodeURIComponent(fake.sign(c))}&sign=${encodeURIComponent(fake.sign(a))}`);
    expect(form.body).toMatchObject({ ret: 200, data: { balance: 800 } });
    // Credited now and credited before alike: the app finishes both.
    expect(transactionsOf(form.body)).toEqual([a.transactionId, c.transactionId].sort());
  });

  it('should turn receipt-data into the customer’s coin purchases through the App Store Server API', async () => {
    const user = await registerNuzzleUser(t);
    const customer = randomUUID();
    const bought = appleTransaction();
    const bigger = appleTransaction({ productId: COINS_600 });
    for (const tx of [bought, bigger]) fake.api.addTransaction(tx.transactionId, fake.sign(tx), customer);
    const res = await verify(user.token, { 'receipt-data': appReceipt(BUNDLE_ID, [bought.transactionId]) });
    expect(res.body).toMatchObject({ ret: 200, data: { balance: 700 } });
    expect(transactionsOf(res.body)).toEqual([bought.transactionId, bigger.transactionId].sort());
  });

  describe('recharge[]', () => {
    let user: NuzzleTestUser;
    beforeAll(async () => {
      user = await registerNuzzleUser(t);
    });

    const known = () => {
      const tx = appleTransaction();
      fake.api.addTransaction(tx.transactionId, fake.sign(tx), randomUUID());
      return tx.transactionId;
    };

    it('should look each transaction up at Apple and credit it to the caller', async () => {
      const id = known();
      const res = await verify(user.token, { recharge: [{ userId: user.id, transactionId: id }] });
      expect(res.body).toMatchObject({ ret: 200, data: { transactions: [id] } });
      const other = known();
      const bare = await verify(user.token, { recharge: [{ transactionId: Number(other) }] });
      expect(bare.body).toMatchObject({ ret: 200, data: { transactions: [other] } });
    });

    it('should read recharge sent as JSON text in a form field or the query string', async () => {
      const id = known();
      const form = await t.http
        .post('/pay/verify')
        .set('Authorization', user.token)
        .type('form')
        .send({ recharge: JSON.stringify([{ userId: user.id, transactionId: id }]) });
      expect(form.body).toMatchObject({ ret: 200, data: { transactions: [id] } });
      const next = known();
      const get = await t.http
        .get('/pay/verify')
        .set('Authorization', user.token)
        .query({ recharge: JSON.stringify({ userId: user.id, transactionId: next }) });
      expect(get.body).toMatchObject({ ret: 200, data: { transactions: [next] } });
    });

    it('should refuse a recharge for another account (NOT_ALLOWED), crediting nothing', async () => {
      const other = await registerNuzzleUser(t);
      const id = known();
      const res = await verify(user.token, { recharge: [{ userId: other.id, transactionId: id }] });
      expect(res.body).toEqual(FAIL('NOT_ALLOWED'));
      expect(await postings(other.id)).toEqual([]);
      expect((await postings(user.id)).some((k) => k.endsWith(id))).toBe(false);
    });

    it.each([
      ['JSON that does not parse', 'not json'],
      ['an entry without transactionId', JSON.stringify([{ userId: '1' }])],
      ['a transactionId that is an object', JSON.stringify([{ transactionId: { $gt: '' } }])],
      ['more than 20 entries', JSON.stringify(Array.from({ length: 21 }, () => ({ transactionId: '1' })))],
    ])('should answer PARAM_ERROR for %s', async (_name, recharge) => {
      const res = await t.http
        .post('/pay/verify')
        .set('Authorization', user.token)
        .type('form')
        .send({ recharge });
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer PARAM_ERROR for a transaction Apple does not know', async () => {
      const res = await verify(user.token, { recharge: [{ transactionId: newTransactionId() }] });
      expect(res.body).toEqual(FAIL('PARAM_ERROR'));
    });

    it('should answer SERVER_ERROR while Apple is unreachable, and credit on the retry', async () => {
      const id = known();
      fake.api.unavailable = true;
      try {
        expect((await verify(user.token, { recharge: [{ transactionId: id }] })).body).toEqual(
          FAIL('SERVER_ERROR'),
        );
      } finally {
        fake.api.unavailable = false;
      }
      expect((await verify(user.token, { recharge: [{ transactionId: id }] })).body).toMatchObject({
        ret: 200,
        data: { transactions: [id] },
      });
    });
  });

  it.each([
    ['no evidence at all', () => ({})],
    ['empty fields', () => ({ 'receipt-data': '', sign: '' })],
    ['something that is not a JWS', () => ({ sign: 'not-a-jws' })],
    ['a transaction signed under another root', () => ({ sign: signJws(appleTransaction(), fake.foreign) })],
    [
      'a transaction of another app',
      () => ({ sign: fake.sign(appleTransaction({ bundleId: 'com.other' })) }),
    ],
    [
      'a product that is not coins',
      () => ({ sign: fake.sign(appleTransaction({ productId: 'com.x.premium' })) }),
    ],
    ['a sign that is an object', () => ({ sign: { a: 1 } })],
    ['a receipt that is not base64', () => ({ 'receipt-data': '%%%' })],
  ])('should answer PARAM_ERROR for %s', async (_name, body) => {
    const user = await registerNuzzleUser(t);
    expect((await verify(user.token, body())).body).toEqual(FAIL('PARAM_ERROR'));
    expect(await coins.balance(user.id)).toBe(0);
  });

  it('should answer NOT_ALLOWED for a purchase Apple already refunded', async () => {
    const user = await registerNuzzleUser(t);
    const jws = fake.sign(appleTransaction({ revocationDate: Date.now() - 1000, revocationReason: 0 }));
    expect((await verify(user.token, { sign: jws })).body).toEqual(FAIL('NOT_ALLOWED'));
  });

  it('should answer USER_NOT_LOGIN, USER_IS_CANCELED and USER_NOT_EXIST before looking at the evidence', async () => {
    const jws = fake.sign(appleTransaction());
    expect((await verify(undefined, { sign: jws })).body).toEqual(FAIL('USER_NOT_LOGIN'));
    expect((await t.http.get('/pay/verify').query({ sign: jws })).body).toEqual(FAIL('USER_NOT_LOGIN'));
    const banned = await registerNuzzleUser(t);
    const closed = await registerNuzzleUser(t);
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
    expect((await verify(banned.token, { sign: jws })).body).toEqual(FAIL('USER_IS_CANCELED'));
    expect((await verify(closed.token, { sign: jws })).body).toEqual(FAIL('USER_NOT_EXIST'));
    expect(await coins.balance(banned.id)).toBe(0);
  });

  it('should take refunded coins back once (App Store notification), leaving a debt the next purchase settles', async () => {
    const user = await registerNuzzleUser(t);
    const tx = appleTransaction({ productId: COINS_600 });
    await verify(user.token, { sign: fake.sign(tx) }).expect(200);
    const refund = fake.refund(tx);
    for (let i = 0; i < 3; i++)
      await t.http.post('/payments/apple/notifications').send({ signedPayload: refund }).expect(200, {});
    expect(await coins.balance(user.id)).toBe(0);
    expect(await coins.debts(user.id)).toMatchObject({ coin: 0 });
    expect(await postings(user.id)).toEqual([
      `top_up:app_store:${tx.transactionId}`,
      `reversal:app_store:${tx.transactionId}`,
    ]);
  });
});

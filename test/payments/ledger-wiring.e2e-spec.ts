import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { LedgerCoinPostings } from '#src/coins/ledger-coin-postings.js';
import { CoinPostings } from '#src/payments/coin-postings.js';
import { RefillService } from '#src/payments/refill.service.js';
import { StorePurchasesService } from '#src/payments/store-purchases.service.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import {
  appleTransaction,
  COINS_600,
  startFakeApple,
  type FakeApple,
} from '#test/payments/apple-fixtures.js';
import { FakeAlipay } from '#test/payments/fake-alipay.js';
import { createPaymentsHarness, type PaymentsHarness } from '#test/payments/payments-harness.js';
import { freePort } from '#test/helpers/processes.js';

const APP_ID = '2021000123456789';
const SELLER_ID = '2088102177000001';

/**
 * The payments module as app.module wires it (LedgerCoinPostings): every verified fact becomes exactly one ledger
 * posting, on the transaction that records the fact, and the audit finds nothing afterwards.
 */
describe(`${LedgerCoinPostings.name} (payments on the real ledger)`, () => {
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let fake: FakeApple;
  let alipay: FakeAlipay;
  let h: PaymentsHarness;
  let purchases: StorePurchasesService;
  let refills: RefillService;
  let coins: CoinsService;

  beforeAll(async () => {
    fake = await startFakeApple();
    alipay = await FakeAlipay.start({ appId: APP_ID, sellerId: SELLER_ID, appPublicKey: appKeys.publicKey });
    const port = await freePort();
    h = await createPaymentsHarness({
      ledger: true,
      port,
      env: {
        ...fake.env,
        PAYMENT_PROVIDER: 'alipay',
        MRPYQ_REFILL_PACKAGES: '10:100,50:550',
        ALIPAY_APP_ID: APP_ID,
        ALIPAY_PRIVATE_KEY: appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        ALIPAY_PUBLIC_KEY: alipay.alipayPublicKeyPem,
        ALIPAY_SELLER_ID: SELLER_ID,
        ALIPAY_NOTIFY_URL: `http://127.0.0.1:${port}/payments/alipay/notify`,
      },
    });
    purchases = h.app.get(StorePurchasesService);
    refills = h.app.get(RefillService);
    coins = h.app.get(CoinsService);
  });
  afterAll(async () => {
    if (h) expect(await h.app.get(CoinsAuditService).run()).toMatchObject({ ok: true });
    await h?.close();
    await alipay?.close();
    await fake?.close();
  });

  const postingsOf = (userId: string) =>
    h.db.query<Array<{ key: string; kind: string }>>(
      `SELECT idempotency_key AS key, kind FROM coin_postings WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
  const notify = (signedPayload: string) =>
    h.http.post('/payments/apple/notifications').send({ signedPayload });

  it('should be the CoinPostings the module runs with', () => {
    expect(h.app.get(CoinPostings)).toBeInstanceOf(LedgerCoinPostings);
  });

  it('should credit an App Store purchase once, however many requests carry it at once', async () => {
    const user = await h.createUser();
    const tx = appleTransaction({ productId: COINS_600, quantity: 2 });
    const jws = fake.sign(tx);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => purchases.verifyAndCredit(user, { signedTransactions: [jws] })),
    );
    expect(results.filter((r) => r.credited.length === 1)).toHaveLength(1);
    expect(await coins.balance(user)).toBe(1200);
    expect(await postingsOf(user)).toEqual([{ key: `top_up:app_store:${tx.transactionId}`, kind: 'top_up' }]);
  });

  it('should credit a transaction to one of two racing accounts only', async () => {
    const [alice, bob] = [await h.createUser(), await h.createUser()];
    const jws = fake.sign(appleTransaction());
    const outcomes = await Promise.all(
      [alice, bob, alice, bob].map((u) =>
        outcomeOf(purchases.verifyAndCredit(u, { signedTransactions: [jws] })),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'FORBIDDEN')).toHaveLength(2);
    expect((await coins.balance(alice)) + (await coins.balance(bob))).toBe(100);
    expect((await postingsOf(alice)).length + (await postingsOf(bob)).length).toBe(1);
  });

  it('should roll a credit back with the request another account’s purchase refuses', async () => {
    const [alice, bob] = [await h.createUser(), await h.createUser()];
    const alices = fake.sign(appleTransaction());
    await purchases.verifyAndCredit(alice, { signedTransactions: [alices] });
    const bobs = fake.sign(appleTransaction());
    expect(await outcomeOf(purchases.verifyAndCredit(bob, { signedTransactions: [bobs, alices] }))).toBe(
      'FORBIDDEN',
    );
    expect(await coins.balance(bob)).toBe(0);
    expect(await postingsOf(bob)).toEqual([]);
  });

  it('should not deadlock requests that share some of their purchases', async () => {
    const user = await h.createUser();
    const [a, b, c] = [appleTransaction(), appleTransaction(), appleTransaction()].map((t) => fake.sign(t));
    const sets = [
      [a, b],
      [b, c],
      [c, a],
      [a, b, c],
    ];
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        outcomeOf(purchases.verifyAndCredit(user, { signedTransactions: sets[i % sets.length] })),
      ),
    );
    expect(outcomes).toEqual(Array(16).fill('ok'));
    expect(await coins.balance(user)).toBe(300);
    expect(await postingsOf(user)).toHaveLength(3);
  });

  it('should reverse a refund once through the ledger, however often Apple notifies it', async () => {
    const user = await h.createUser();
    const tx = appleTransaction({ productId: COINS_600 });
    await purchases.verifyAndCredit(user, { signedTransactions: [fake.sign(tx)] });
    const body = fake.refund(tx);
    const answers = await Promise.all([notify(body), notify(body), notify(fake.refund(tx))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await coins.balance(user)).toBe(0);
    expect(await coins.debts(user)).toMatchObject({ coin: 0 });
    expect(await postingsOf(user)).toEqual([
      { key: `top_up:app_store:${tx.transactionId}`, kind: 'top_up' },
      { key: `reversal:app_store:${tx.transactionId}`, kind: 'reversal' },
    ]);
  });

  it('should record a debt for a refund the wallet no longer covers, settled first by the next purchase', async () => {
    const [user, author] = [await h.createUser(), await h.createUser()];
    const first = appleTransaction({ productId: COINS_600 });
    await purchases.verifyAndCredit(user, { signedTransactions: [fake.sign(first)] });
    await coins.purchase({ buyerId: user, sellerId: author, itemKey: 'feed:debt-test', price: 500 });
    expect((await notify(fake.refund(first))).status).toBe(200);
    expect(await coins.balance(user)).toBe(0);
    expect(await coins.debts(user)).toMatchObject({ coin: 500 });

    await purchases.verifyAndCredit(user, { signedTransactions: [fake.sign(appleTransaction())] });
    expect(await coins.debts(user)).toMatchObject({ coin: 400 });
    expect(await coins.balance(user)).toBe(0);
    await purchases.verifyAndCredit(user, {
      signedTransactions: [fake.sign(appleTransaction({ productId: COINS_600 }))],
    });
    expect(await coins.debts(user)).toMatchObject({ coin: 0 });
    expect(await coins.balance(user)).toBe(200);
  });

  it('should make a purchase refunded before anyone claimed it unclaimable, with no posting', async () => {
    const user = await h.createUser();
    const tx = appleTransaction();
    expect((await notify(fake.refund(tx))).status).toBe(200);
    expect(await outcomeOf(purchases.verifyAndCredit(user, { signedTransactions: [fake.sign(tx)] }))).toBe(
      'FORBIDDEN',
    );
    expect(await postingsOf(user)).toEqual([]);
  });

  it('should credit an Alipay refill once, whatever Alipay repeats', async () => {
    const user = await h.createUser();
    const started = await refills.startRefill(user, '50');
    const { trade, answer } = await alipay.pay(started.payment!.orderString);
    expect(answer).toBe('success');
    const again = await Promise.all(Array.from({ length: 10 }, () => alipay.notify(trade)));
    expect(again).toEqual(Array(10).fill('success'));
    expect(await coins.balance(user)).toBe(550);
    expect(await postingsOf(user)).toEqual([{ key: `top_up:alipay:${started.orderId}`, kind: 'top_up' }]);
  });
});

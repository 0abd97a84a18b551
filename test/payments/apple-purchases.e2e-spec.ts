import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AppleAppStorePurchases } from '#src/payments/apple-app-store-purchases.js';
import { StorePurchasesService } from '#src/payments/store-purchases.service.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { inAppPurchaseKey, signJws, TestPki, type SigningChain } from '#test/payments/apple-pki.js';
import { appReceipt, FakeAppStoreApi, transactionReceipt } from '#test/payments/fake-app-store-api.js';
import {
  appleNotification as notification,
  appleTransaction as transaction,
  BUNDLE_ID,
  COINS_100,
  COINS_600,
  newTransactionId,
} from '#test/payments/apple-fixtures.js';
import { createPaymentsHarness, type PaymentsHarness } from '#test/payments/payments-harness.js';

describe(StorePurchasesService.name, () => {
  let pki: TestPki;
  let apple: SigningChain;
  let foreign: SigningChain;
  let api: FakeAppStoreApi;
  let h: PaymentsHarness;
  let sut: StorePurchasesService;
  const key = inAppPurchaseKey();

  const sign = (payload: object, chain: Pick<SigningChain, 'x5c' | 'leafKey'> = apple) =>
    signJws(payload, chain);

  beforeAll(async () => {
    pki = TestPki.create();
    apple = pki.chain('apple');
    foreign = pki.chain('foreign');
    api = await FakeAppStoreApi.start({
      publicKey: key.publicKey,
      keyId: 'TESTKEY123',
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      bundleId: BUNDLE_ID,
    });
    h = await createPaymentsHarness({
      env: {
        APPLE_BUNDLE_ID: BUNDLE_ID,
        APPLE_ENVIRONMENT: 'Sandbox',
        // Tests only: no OCSP request leaves the machine, and dates are checked against the data's signedDate.
        APPLE_ONLINE_CHECKS: 'false',
        APPLE_ROOT_CERTIFICATES: apple.root.toString(),
        APPLE_PRODUCTS: `${COINS_100}:100,${COINS_600}:600`,
        APPLE_API_KEY: key.privatePem,
        APPLE_API_KEY_ID: api.keyId,
        APPLE_API_ISSUER_ID: api.issuerId,
        APPLE_API_BASE_URL: api.baseUrl,
      },
    });
    sut = h.app.get(StorePurchasesService);
  });
  afterAll(async () => {
    await h?.close();
    await api?.close();
    pki?.dispose();
  });

  describe('signed transactions (sign)', () => {
    it('should credit a transaction Apple signed for this app once, to the account that claims it', async () => {
      const user = await h.createUser();
      const tx = transaction({ productId: COINS_600, quantity: 2 });

      const first = await sut.verifyAndCredit(user, { signedTransactions: [sign(tx)] });

      expect(first.credited).toEqual([
        {
          transactionId: tx.transactionId,
          originalTransactionId: tx.originalTransactionId,
          productId: COINS_600,
          quantity: 2,
          coins: 1200,
          purchaseDate: new Date(tx.purchaseDate),
          environment: 'Sandbox',
          appAccountToken: null,
          revokedAt: null,
        },
      ]);
      expect(await h.postingsOf(user)).toEqual([
        { key: `apple:${tx.transactionId}`, kind: 'apple-credit', coins: 1200 },
      ]);

      const again = await sut.verifyAndCredit(user, { signedTransactions: [sign(tx)] });
      expect(again.credited).toEqual([]);
      expect(again.alreadyCredited.map((t) => t.transactionId)).toEqual([tx.transactionId]);
      expect(await h.postingsOf(user)).toHaveLength(1);
    });

    it('should credit once when the same transaction arrives 20 times at once', async () => {
      const user = await h.createUser();
      const jws = sign(transaction());
      const results = await Promise.all(
        Array.from({ length: 20 }, () => sut.verifyAndCredit(user, { signedTransactions: [jws] })),
      );
      expect(results.filter((r) => r.credited.length === 1)).toHaveLength(1);
      expect(results.filter((r) => r.alreadyCredited.length === 1)).toHaveLength(19);
      expect(await h.postingsOf(user)).toHaveLength(1);
    });

    it('should refuse the transaction to a second account (FORBIDDEN), even racing the first', async () => {
      const [alice, bob] = [await h.createUser(), await h.createUser()];
      const jws = sign(transaction());
      const outcomes = await Promise.all([
        outcomeOf(sut.verifyAndCredit(alice, { signedTransactions: [jws] })),
        outcomeOf(sut.verifyAndCredit(bob, { signedTransactions: [jws] })),
      ]);
      expect(outcomes.sort()).toEqual(['FORBIDDEN', 'ok']);
      const postings = [...(await h.postingsOf(alice)), ...(await h.postingsOf(bob))];
      expect(postings).toHaveLength(1);
    });

    it('should refuse a whole request naming another account’s transaction, crediting nothing', async () => {
      const [alice, bob] = [await h.createUser(), await h.createUser()];
      const alices = sign(transaction());
      await sut.verifyAndCredit(alice, { signedTransactions: [alices] });
      const bobs = sign(transaction());
      expect(await outcomeOf(sut.verifyAndCredit(bob, { signedTransactions: [bobs, alices] }))).toBe(
        'FORBIDDEN',
      );
      expect(await h.postingsOf(bob)).toEqual([]);
    });

    it.each([
      ['a wrong bundle id', () => sign(transaction({ bundleId: 'com.someone.else' }))],
      ['a wrong environment', () => sign(transaction({ environment: 'Production' }))],
      ['a chain from a root that is not configured', () => sign(transaction(), foreign)],
      ['a chain that is not 3 certificates', () => signJws(transaction(), apple, apple.x5c.slice(0, 2))],
      [
        'a leaf without Apple’s marker extension',
        () => {
          const leaf = pki.issue('unmarked-leaf', 'apple-intermediate', 'leaf', { marker: false });
          return signJws(transaction(), {
            x5c: [leaf.certificate.raw.toString('base64'), ...apple.x5c.slice(1)],
            leafKey: leaf.key,
          });
        },
      ],
      [
        'a payload changed after signing',
        () => {
          const [head, , sig] = sign(transaction()).split('.');
          const forged = Buffer.from(JSON.stringify(transaction({ productId: COINS_600 }))).toString(
            'base64url',
          );
          return `${head}.${forged}.${sig}`;
        },
      ],
      [
        'the right chain but signed by another key',
        () => signJws(transaction(), { x5c: apple.x5c, leafKey: foreign.leafKey }),
      ],
      ['a product that is not coins', () => sign(transaction({ productId: 'com.concord.premium' }))],
      ['something that is not a JWS', () => 'not-a-jws'],
    ])('should refuse %s (INVALID_PARAMS) and credit nothing', async (_name, jws) => {
      const user = await h.createUser();
      expect(await outcomeOf(sut.verifyAndCredit(user, { signedTransactions: [jws()] }))).toBe(
        'INVALID_PARAMS',
      );
      expect(await h.postingsOf(user)).toEqual([]);
    });

    it('should refuse a transaction Apple already revoked (FORBIDDEN)', async () => {
      const user = await h.createUser();
      const jws = sign(transaction({ revocationDate: Date.now() - 1000, revocationReason: 0 }));
      expect(await outcomeOf(sut.verifyAndCredit(user, { signedTransactions: [jws] }))).toBe('FORBIDDEN');
    });

    it('should roll the claim back when the ledger fails, so a retry credits', async () => {
      const user = await h.createUser();
      const jws = sign(transaction());
      h.postings.failNext = true;
      await expect(sut.verifyAndCredit(user, { signedTransactions: [jws] })).rejects.toThrow(
        'ledger unavailable',
      );
      expect(await h.postingsOf(user)).toEqual([]);
      const retry = await sut.verifyAndCredit(user, { signedTransactions: [jws] });
      expect(retry.credited).toHaveLength(1);
      expect(await h.postingsOf(user)).toHaveLength(1);
    });

    it('should refuse a request with no evidence', async () => {
      expect(await outcomeOf(sut.verifyAndCredit(await h.createUser(), {}))).toBe('INVALID_PARAMS');
    });
  });

  describe('receipts (receipt-data) and transaction ids (recharge[])', () => {
    it('should turn an app receipt into the customer’s coin transactions through the Server API', async () => {
      const user = await h.createUser();
      const customer = randomUUID();
      const bought = transaction();
      const bigger = transaction({ productId: COINS_600 });
      const premium = transaction({ productId: 'com.concord.premium', type: 'Non-Consumable' });
      const refunded = transaction({ revocationDate: Date.now() - 1000, revocationReason: 1 });
      for (const t of [bought, bigger, premium, refunded])
        api.addTransaction(t.transactionId, sign(t), customer);
      const before = api.requests.length;

      const result = await sut.verifyAndCredit(user, {
        receipt: appReceipt(BUNDLE_ID, [bought.transactionId]),
      });

      expect(result.credited.map((t) => [t.transactionId, t.coins]).sort()).toEqual(
        [
          [bought.transactionId, 100],
          [bigger.transactionId, 600],
        ].sort(),
      );
      expect(result.skipped).toEqual([{ transactionId: refunded.transactionId, reason: 'revoked' }]);
      const asked = api.requests.slice(before);
      expect(asked[0].path).toBe(`/inApps/v2/history/${bought.transactionId}`);
      expect(asked[0].query.getAll('productId').sort()).toEqual([COINS_100, COINS_600]);
      expect(await h.postingsOf(user)).toHaveLength(2);
    });

    it('should read an iOS 6 transaction receipt too', async () => {
      const user = await h.createUser();
      const t = transaction();
      api.addTransaction(t.transactionId, sign(t), randomUUID());
      const result = await sut.verifyAndCredit(user, { receipt: transactionReceipt(t.transactionId) });
      expect(result.credited.map((c) => c.transactionId)).toEqual([t.transactionId]);
    });

    it('should skip receipt transactions another account claimed, and credit the rest', async () => {
      const [alice, bob] = [await h.createUser(), await h.createUser()];
      const customer = randomUUID();
      const alices = transaction();
      api.addTransaction(alices.transactionId, sign(alices), customer);
      await sut.verifyAndCredit(alice, { signedTransactions: [sign(alices)] });
      const bobs = transaction();
      api.addTransaction(bobs.transactionId, sign(bobs), customer);

      const result = await sut.verifyAndCredit(bob, { receipt: appReceipt(BUNDLE_ID, [bobs.transactionId]) });

      expect(result.credited.map((t) => t.transactionId)).toEqual([bobs.transactionId]);
      expect(result.skipped).toEqual([{ transactionId: alices.transactionId, reason: 'other-account' }]);
    });

    it('should page through a long history', async () => {
      const user = await h.createUser();
      const customer = randomUUID();
      const many = Array.from({ length: 25 }, () => transaction());
      for (const t of many) api.addTransaction(t.transactionId, sign(t), customer);
      const result = await sut.verifyAndCredit(user, {
        receipt: appReceipt(BUNDLE_ID, [many[0].transactionId]),
      });
      expect(result.credited).toHaveLength(25);
    });

    it('should answer an empty receipt with nothing credited', async () => {
      const user = await h.createUser();
      const result = await sut.verifyAndCredit(user, { receipt: appReceipt(BUNDLE_ID, []) });
      expect(result).toEqual({ credited: [], alreadyCredited: [], skipped: [] });
    });

    it('should look transaction ids up at Apple instead of trusting them', async () => {
      const user = await h.createUser();
      const t = transaction({ productId: COINS_600 });
      api.addTransaction(t.transactionId, sign(t), randomUUID());
      const result = await sut.verifyAndCredit(user, { transactionIds: [t.transactionId] });
      expect(result.credited.map((c) => [c.transactionId, c.coins])).toEqual([[t.transactionId, 600]]);
      expect(await outcomeOf(sut.verifyAndCredit(user, { transactionIds: [newTransactionId()] }))).toBe(
        'INVALID_PARAMS',
      );
      expect(await outcomeOf(sut.verifyAndCredit(user, { transactionIds: ['../v1/notifications'] }))).toBe(
        'INVALID_PARAMS',
      );
    });

    it('should refuse what the Server API answers with data signed under another root', async () => {
      const user = await h.createUser();
      const t = transaction();
      api.addTransaction(t.transactionId, signJws(t, foreign), randomUUID());
      expect(await outcomeOf(sut.verifyAndCredit(user, { transactionIds: [t.transactionId] }))).toBe(
        'INVALID_PARAMS',
      );
    });

    it('should send a bearer token the fake accepts (ES256, key id, issuer, audience, bundle id)', () => {
      expect(api.refusedTokens).toEqual([]);
      expect(api.requests.length).toBeGreaterThan(0);
    });
  });

  describe('App Store Server Notifications V2 (POST /payments/apple/notifications)', () => {
    const post = (signedPayload: string) =>
      h.http.post('/payments/apple/notifications').send({ signedPayload });

    it('should reverse a refunded purchase once, however often Apple repeats the notification', async () => {
      const user = await h.createUser();
      const t = transaction({ productId: COINS_600 });
      await sut.verifyAndCredit(user, { signedTransactions: [sign(t)] });
      const refunded = sign({
        ...t,
        revocationDate: Date.now(),
        revocationReason: 1,
        signedDate: Date.now(),
      });
      const body = sign(notification('REFUND', refunded));

      await post(body).expect(200, {});
      await post(body).expect(200, {});
      await post(sign(notification('REFUND', refunded))).expect(200, {});

      expect(await h.postingsOf(user)).toEqual([
        { key: `apple:${t.transactionId}`, kind: 'apple-credit', coins: 600 },
        { key: `apple-reversal:${t.transactionId}`, kind: 'apple-refund', coins: -600 },
      ]);
      const [row] = await h.db.query<Array<{ reason: string; revokedAt: Date }>>(
        `SELECT revocation_reason AS reason, revoked_at AS "revokedAt" FROM store_purchases WHERE transaction_id = $1`,
        [t.transactionId],
      );
      expect(row.reason).toBe('refund');
    });

    it('should record a revocation nobody claimed yet, so a later claim is refused', async () => {
      const user = await h.createUser();
      const t = transaction({ inAppOwnershipType: 'FAMILY_SHARED' });
      const revoked = sign({ ...t, revocationDate: Date.now(), revocationReason: 0 });
      await post(sign(notification('REVOKE', revoked))).expect(200, {});
      // The client still holds the transaction as it was before the revocation.
      expect(await outcomeOf(sut.verifyAndCredit(user, { signedTransactions: [sign(t)] }))).toBe('FORBIDDEN');
      expect(await h.postingsOf(user)).toEqual([]);
    });

    it('should acknowledge notifications that do not concern coins', async () => {
      const other = sign(transaction({ productId: 'com.concord.premium', type: 'Non-Consumable' }));
      await post(sign(notification('REFUND', other))).expect(200, {});
      await post(sign(notification('TEST', sign(transaction())))).expect(200, {});
      await post(sign(notification('CONSUMPTION_REQUEST', sign(transaction())))).expect(200, {});
    });

    it.each([
      ['signed under another root', () => signJws(notification('REFUND', 'x'), foreign)],
      [
        'for another bundle',
        () =>
          signJws(
            notification('TEST', 'x', { data: { bundleId: 'com.other', environment: 'Sandbox' } }),
            apple,
          ),
      ],
      [
        'for another environment',
        () =>
          signJws(
            notification('TEST', 'x', { data: { bundleId: BUNDLE_ID, environment: 'Production' } }),
            apple,
          ),
      ],
    ])('should answer 400 to a notification %s, changing nothing', async (_name, payload) => {
      const res = await post(payload()).expect(400);
      expect(res.body.error.code).toBe('INVALID_PARAMS');
    });

    it('should refuse a refund whose transaction is signed under another root', async () => {
      const user = await h.createUser();
      const t = transaction();
      await sut.verifyAndCredit(user, { signedTransactions: [sign(t)] });
      await post(sign(notification('REFUND', signJws({ ...t, revocationDate: Date.now() }, foreign)))).expect(
        400,
      );
      expect(await h.postingsOf(user)).toHaveLength(1);
    });

    it('should answer 500 when the ledger fails, so Apple retries, and apply the retry', async () => {
      const user = await h.createUser();
      const t = transaction();
      await sut.verifyAndCredit(user, { signedTransactions: [sign(t)] });
      const body = sign(
        notification('REFUND', sign({ ...t, revocationDate: Date.now(), revocationReason: 0 })),
      );
      h.postings.failNext = true;
      await post(body).expect(500);
      expect(await h.postingsOf(user)).toHaveLength(1);
      await post(body).expect(200);
      expect((await h.postingsOf(user)).map((p) => p.kind)).toEqual(['apple-credit', 'apple-refund']);
    });

    it('should answer 400 to a body without signedPayload', async () => {
      await h.http.post('/payments/apple/notifications').send({}).expect(400);
    });
  });

  describe('with online checks on (the production setting)', () => {
    it('should refuse a chain whose certificates name no OCSP responder, without any network call', async () => {
      const online = new AppleAppStorePurchases(
        { ...h.config.payments.apple!, onlineChecks: true },
        pino({ level: 'silent' }),
      );
      // The test chain names no OCSP responder: the revocation check fails before any request could be made.
      expect(await outcomeOf(online.verifySignedTransaction(sign(transaction())))).toBe('INVALID_PARAMS');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsService } from '#src/coins/coins.service.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { createLedgerHarness, type LedgerHarness } from '#test/coins/ledger-harness.js';

/** A Postgres error's SQLSTATE and message, for the database's own refusals. */
async function sqlFailure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('the statement was accepted');
}

describe(CoinsService.name, () => {
  let h: LedgerHarness;
  let sut: CoinsService;

  beforeAll(async () => {
    h = await createLedgerHarness({
      env: { COIN_PURCHASE_PLATFORM_SHARE: '30', COIN_GIFT_PLATFORM_SHARE: '50' },
    });
    sut = h.coins;
  });
  afterAll(async () => {
    await h.close();
  });

  describe('topUp', () => {
    it('should credit the wallet once per store transaction and answer a retry with the first posting', async () => {
      const user = await h.createUser();
      const first = await sut.topUp({ userId: user, source: 'app_store', transactionId: 't-1', amount: 600 });
      expect(first).toMatchObject({ replayed: false, amount: 600, credited: 600, balance: 600, debt: 0 });
      const again = await sut.topUp({ userId: user, source: 'app_store', transactionId: 't-1', amount: 600 });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await sut.balance(user)).toBe(600);
    });

    it('should refuse a transaction another account already claimed (FORBIDDEN)', async () => {
      const [a, b] = await h.createUsers(2);
      await sut.topUp({ userId: a, source: 'app_store', transactionId: 't-claim', amount: 60 });
      expect(
        await outcomeOf(sut.topUp({ userId: b, source: 'app_store', transactionId: 't-claim', amount: 60 })),
      ).toBe('FORBIDDEN');
      // Transaction ids are per store: the same id at Alipay is another purchase.
      expect(
        await sut.topUp({ userId: b, source: 'alipay', transactionId: 't-claim', amount: 10 }),
      ).toMatchObject({ replayed: false, balance: 10 });
      expect([await sut.balance(a), await sut.balance(b)]).toEqual([60, 10]);
    });

    it('should refuse unknown users and malformed amounts before anything moves', async () => {
      expect(
        await outcomeOf(sut.topUp({ userId: '999999', source: 'app_store', transactionId: 'x', amount: 1 })),
      ).toBe('USER_NOT_FOUND');
      const user = await h.createUser();
      for (const amount of [0, -5, 1.5, Number.MAX_SAFE_INTEGER]) {
        expect(
          await outcomeOf(sut.topUp({ userId: user, source: 'app_store', transactionId: 'y', amount })),
        ).toBe('INVALID_PARAMS');
      }
      expect(
        await outcomeOf(sut.topUp({ userId: '007', source: 'app_store', transactionId: 'z', amount: 1 })),
      ).toBe('INVALID_PARAMS');
    });

    it("should keep xiaoma's currencies apart from coins", async () => {
      const user = await h.createUser();
      await sut.topUp({
        userId: user,
        source: 'alipay',
        transactionId: 'x-1',
        amount: 5,
        currency: 'integral',
      });
      await sut.topUp({
        userId: user,
        source: 'alipay',
        transactionId: 'x-2',
        amount: 7,
        currency: 'currency',
      });
      await sut.topUp({
        userId: user,
        source: 'alipay',
        transactionId: 'x-3',
        amount: 9,
        currency: 'virtual_currency',
      });
      expect(await sut.balances(user)).toEqual({ coin: 0, integral: 5, currency: 7, virtual_currency: 9 });
    });
  });

  describe('reverseTopUp', () => {
    it('should take a refund from the wallet, and record what it no longer covers as debt', async () => {
      const user = await h.createUser();
      await sut.topUp({ userId: user, source: 'app_store', transactionId: 'r-1', amount: 100 });
      await sut.adjust({
        userId: user,
        amount: -70,
        reason: 'spent',
        operationKey: 'r-spend',
        actor: 'test',
      });
      const refund = await sut.reverseTopUp({ source: 'app_store', transactionId: 'r-1', reason: 'refund' });
      expect(refund).toMatchObject({
        replayed: false,
        userId: user,
        reversed: 100,
        debited: 30,
        debtAdded: 70,
        balance: 0,
        debt: 70,
      });
      // REVOKE after REFUND for the same transaction reverses nothing more.
      expect(
        await sut.reverseTopUp({ source: 'app_store', transactionId: 'r-1', reason: 'revoke' }),
      ).toMatchObject({ replayed: true, reversed: 100, debited: 30, debtAdded: 70, debt: 70 });

      // Later top-ups settle the debt first.
      expect(
        await sut.topUp({ userId: user, source: 'app_store', transactionId: 'r-2', amount: 50 }),
      ).toMatchObject({ credited: 0, settledDebt: 50, balance: 0, debt: 20 });
      expect(
        await sut.topUp({ userId: user, source: 'app_store', transactionId: 'r-3', amount: 50 }),
      ).toMatchObject({ credited: 30, settledDebt: 20, balance: 30, debt: 0 });
      expect(await sut.debts(user)).toEqual({ coin: 0, integral: 0, currency: 0, virtual_currency: 0 });
    });

    it('should answer NOT_FOUND for a transaction that was never credited', async () => {
      expect(
        await outcomeOf(sut.reverseTopUp({ source: 'app_store', transactionId: 'never', reason: 'refund' })),
      ).toBe('NOT_FOUND');
    });
  });

  describe('purchase', () => {
    it("should pay the author less the platform's share in one posting, and entitle the buyer once", async () => {
      const [buyer, author] = await h.createUsers(2);
      await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'p-1', amount: 100 });
      const bought = await sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:1', price: 33 });
      // 30% of 33 is 9.9: the platform takes 9, the author 24.
      expect(bought).toMatchObject({
        replayed: false,
        itemKey: 'feed:1',
        price: 33,
        sellerAmount: 24,
        platformAmount: 9,
        balance: 67,
      });
      const entries = await h.sql.query<{ kind: string; amount: string }>(
        `SELECT a.kind, e.amount FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
          WHERE e.posting_id = $1 ORDER BY e.id`,
        [bought.postingId],
      );
      expect(entries.rows).toEqual([
        { kind: 'wallet', amount: '-33' },
        { kind: 'income', amount: '24' },
        { kind: 'system', amount: '9' },
      ]);
      // The same purchase key again (a client's retry) is the first answer; another key is ALREADY_PURCHASED.
      expect(
        await sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:1', price: 33 }),
      ).toMatchObject({ replayed: true, postingId: bought.postingId, balance: 67 });
      expect(
        await outcomeOf(
          sut.purchase({
            buyerId: buyer,
            sellerId: author,
            itemKey: 'feed:1',
            price: 33,
            purchaseKey: 'other',
          }),
        ),
      ).toBe('ALREADY_PURCHASED');
      expect(await sut.balance(buyer)).toBe(67);
      expect(await sut.findPurchase(buyer, 'feed:1')).toMatchObject({ price: 33, sellerId: author });
      expect(await h.income.incomeBalance(author)).toBe(24);
    });

    it('should refuse a price the balance does not cover, and an own item', async () => {
      const [buyer, author, poor] = await h.createUsers(3);
      await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'p-2', amount: 10 });
      expect(
        await outcomeOf(sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:9', price: 11 })),
      ).toBe('INSUFFICIENT_COINS');
      expect(
        await outcomeOf(sut.purchase({ buyerId: poor, sellerId: author, itemKey: 'feed:9', price: 1 })),
      ).toBe('INSUFFICIENT_COINS');
      expect(
        await outcomeOf(sut.purchase({ buyerId: buyer, sellerId: buyer, itemKey: 'feed:9', price: 1 })),
      ).toBe('FORBIDDEN');
      // A failed purchase leaves no trace: no posting, no entitlement.
      expect(await sut.findPurchase(buyer, 'feed:9')).toBeUndefined();
      expect(
        (
          await h.sql.query(`SELECT 1 FROM coin_postings WHERE idempotency_key = $1`, [
            `purchase:${buyer}:feed:9`,
          ])
        ).rowCount,
      ).toBe(0);
      expect(await sut.balance(buyer)).toBe(10);
    });

    it('should refuse a purchase key reused for another item (CONFLICT)', async () => {
      const [buyer, author] = await h.createUsers(2);
      await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'p-3', amount: 10 });
      await sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:a', price: 1, purchaseKey: 'k' });
      expect(
        await outcomeOf(
          sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:b', price: 1, purchaseKey: 'k' }),
        ),
      ).toBe('CONFLICT');
    });
  });

  describe('gift', () => {
    it("should move the sender's coins to the anchor's income less the platform's share", async () => {
      const [sender, anchor] = await h.createUsers(2);
      await sut.topUp({ userId: sender, source: 'alipay', transactionId: 'g-1', amount: 100 });
      const gift = await sut.gift({
        senderId: sender,
        anchorId: anchor,
        value: 15,
        giftKey: 'g1',
        description: '🌹',
      });
      expect(gift).toMatchObject({
        replayed: false,
        value: 15,
        anchorAmount: 8,
        platformAmount: 7,
        balance: 85,
      });
      expect(await sut.gift({ senderId: sender, anchorId: anchor, value: 15, giftKey: 'g1' })).toMatchObject({
        replayed: true,
        postingId: gift.postingId,
        balance: 85,
      });
      expect(
        await outcomeOf(sut.gift({ senderId: sender, anchorId: anchor, value: 16, giftKey: 'g1' })),
      ).toBe('CONFLICT');
      expect(
        await outcomeOf(sut.gift({ senderId: sender, anchorId: anchor, value: 86, giftKey: 'g2' })),
      ).toBe('INSUFFICIENT_COINS');
      expect(await outcomeOf(sut.gift({ senderId: sender, anchorId: sender, value: 1, giftKey: 'g3' }))).toBe(
        'FORBIDDEN',
      );
      expect(await h.income.incomeBalance(anchor)).toBe(8);
    });
  });

  describe('adjust', () => {
    it('should grant from and claw back to the promotions account, never below zero', async () => {
      const user = await h.createUser();
      expect(
        await sut.adjust({ userId: user, amount: 40, reason: 'apology', operationKey: 'a-1', actor: 'ops' }),
      ).toMatchObject({ replayed: false, amount: 40, balance: 40 });
      expect(
        await outcomeOf(
          sut.adjust({ userId: user, amount: -41, reason: 'oops', operationKey: 'a-2', actor: 'ops' }),
        ),
      ).toBe('INSUFFICIENT_COINS');
      expect(
        await sut.adjust({ userId: user, amount: -40, reason: 'oops', operationKey: 'a-3', actor: 'ops' }),
      ).toMatchObject({ amount: -40, balance: 0 });
      expect(
        await sut.adjust({ userId: user, amount: 40, reason: 'apology', operationKey: 'a-1', actor: 'ops' }),
      ).toMatchObject({ replayed: true, amount: 40, balance: 0 });
    });
  });

  describe('income', () => {
    it('should total per item and page the purchases of one item by maxId, newest first', async () => {
      const [author, ...buyers] = await h.createUsers(6);
      for (const [i, buyer] of buyers.entries()) {
        await sut.topUp({ userId: buyer, source: 'app_store', transactionId: `i-${i}`, amount: 100 });
        await sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:v1', price: 10 });
        if (i < 2) await sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:v2', price: 20 });
      }
      expect(await h.income.summary(author)).toEqual({
        coins: 5 * 7 + 2 * 14,
        counts: 7,
        items: [
          { itemKey: 'feed:v1', coins: 35, counts: 5 },
          { itemKey: 'feed:v2', coins: 28, counts: 2 },
        ],
      });
      const first = await h.income.detail(author, 'feed:v1', { size: 2 });
      expect(first).toMatchObject({ itemKey: 'feed:v1', coins: 35, counts: 5 });
      expect(first.purchases.map((p) => p.buyerId)).toEqual([buyers[4], buyers[3]]);
      expect(first.purchases[0]).toMatchObject({ coins: 7, price: 10, paidAt: expect.any(Date) });
      const second = await h.income.detail(author, 'feed:v1', { size: 2, maxId: first.nextMaxId! });
      const third = await h.income.detail(author, 'feed:v1', { size: 2, maxId: second.nextMaxId! });
      expect([...second.purchases, ...third.purchases].map((p) => p.buyerId)).toEqual([
        buyers[2],
        buyers[1],
        buyers[0],
      ]);
      expect(third.nextMaxId).toBeNull();
      expect(await outcomeOf(h.income.detail(author, 'feed:v1', { size: 2, maxId: 'abc' }))).toBe(
        'INVALID_PARAMS',
      );
      expect(await outcomeOf(h.income.detail(author, 'feed:v1', { size: 0 }))).toBe('INVALID_PARAMS');
      expect(await h.income.summary('999999')).toEqual({ coins: 0, counts: 0, items: [] });
    });
  });

  describe('the database', () => {
    it('should refuse to update or delete entries, postings and purchases (append-only)', async () => {
      for (const statement of [
        `UPDATE coin_entries SET amount = amount + 1`,
        `DELETE FROM coin_entries`,
        `UPDATE coin_postings SET kind = 'grant'`,
        `DELETE FROM coin_postings`,
        `UPDATE coin_purchases SET price = 1`,
        `DELETE FROM coin_purchases`,
        `TRUNCATE coin_entries CASCADE`,
      ]) {
        expect(await sqlFailure(h.sql.query(statement))).toMatchObject({
          message: expect.stringMatching(/append-only/),
        });
      }
      expect(await sqlFailure(h.sql.query(`DELETE FROM coin_accounts`))).toMatchObject({
        message: expect.stringMatching(/never deleted/),
      });
      expect(await sqlFailure(h.sql.query(`UPDATE coin_accounts SET user_id = NULL`))).toMatchObject({
        message: expect.stringMatching(/only the balance/),
      });
    });

    it('should refuse a wallet below zero (CHECK), even from a statement that skips the guard', async () => {
      const user = await h.createUser();
      await sut.topUp({ userId: user, source: 'app_store', transactionId: 'c-1', amount: 5 });
      expect(
        await sqlFailure(
          h.sql.query(
            `UPDATE coin_accounts SET balance = balance - 6 WHERE user_id = $1 AND kind = 'wallet'`,
            [user],
          ),
        ),
      ).toMatchObject({
        code: '23514',
        message: expect.stringContaining('coin_accounts_wallet_not_negative'),
      });
      expect(await sut.balance(user)).toBe(5);
    });

    it('should refuse entries that do not sum to zero', async () => {
      const user = await h.createUser();
      await sut.topUp({ userId: user, source: 'app_store', transactionId: 'z-1', amount: 5 });
      const { rows } = await h.sql.query<{ id: string }>(
        `SELECT id FROM coin_accounts WHERE user_id = $1 AND kind = 'wallet'`,
        [user],
      );
      await h.sql.query('BEGIN');
      try {
        const posting = await h.sql.query<{ id: string }>(
          `INSERT INTO coin_postings (idempotency_key, kind, user_id, at) VALUES ('forged', 'grant', $1, now())
           RETURNING id`,
          [user],
        );
        expect(
          await sqlFailure(
            h.sql.query(`INSERT INTO coin_entries (posting_id, account_id, amount) VALUES ($1, $2, 1000)`, [
              posting.rows[0].id,
              rows[0].id,
            ]),
          ),
        ).toMatchObject({ code: '23514', message: expect.stringContaining('does not balance') });
      } finally {
        await h.sql.query('ROLLBACK');
      }
    });
  });

  describe('audit', () => {
    it('should find no difference in a consistent ledger, and report a tampered balance', async () => {
      const clean = await h.audit.run();
      expect(clean).toMatchObject({
        ok: true,
        balanceDifferences: { count: 0 },
        unbalancedPostings: { count: 0 },
        emptyPostings: { count: 0 },
        orphanEntries: { count: 0 },
        purchaseMismatches: { count: 0 },
      });
      expect(clean.counts.postings).toBeGreaterThan(10);
      // Every currency sums to zero across all accounts.
      const byCurrency = new Map<string, number>();
      for (const t of clean.totals) byCurrency.set(t.currency, (byCurrency.get(t.currency) ?? 0) + t.balance);
      expect([...byCurrency.values()].every((v) => v === 0)).toBe(true);

      const user = await h.createUser();
      await sut.topUp({ userId: user, source: 'app_store', transactionId: 'tamper', amount: 5 });
      await h.sql.query(
        `UPDATE coin_accounts SET balance = balance + 1000 WHERE user_id = $1 AND kind = 'wallet'`,
        [user],
      );
      const tampered = await h.audit.run();
      expect(tampered.ok).toBe(false);
      expect(tampered.balanceDifferences).toEqual({
        count: 1,
        items: [expect.objectContaining({ userId: user, kind: 'wallet', cached: 1005, fromEntries: 5 })],
      });
      await h.sql.query(
        `UPDATE coin_accounts SET balance = balance - 1000 WHERE user_id = $1 AND kind = 'wallet'`,
        [user],
      );
      expect((await h.audit.run()).ok).toBe(true);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsService } from '#src/coins/coins.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { createLedgerHarness, type LedgerHarness } from '#test/coins/ledger-harness.js';

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

async function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code };
    throw error;
  }
}

function tally(outcomes: Array<Outcome<{ replayed: boolean }>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const name = o.ok ? (o.value.replayed ? 'replayed' : 'ok') : o.code;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/**
 * Many calls at once against the real database, then the invariants. The pool has 20 connections, so up to 20
 * transactions really race in PostgreSQL while the rest queue for a connection and race right after.
 */
describe(`${CoinsService.name} under concurrency`, () => {
  let h: LedgerHarness;
  let sut: CoinsService;

  beforeAll(async () => {
    h = await createLedgerHarness({ poolSize: 20, env: { COIN_PURCHASE_PLATFORM_SHARE: '30' } });
    sut = h.coins;
  });
  afterAll(async () => {
    await h.close();
  });

  /** Samples the wallet's balance from another connection while `work` runs: the lowest one seen. */
  async function lowestBalanceDuring(userId: string, work: Promise<unknown>): Promise<number> {
    let done = false;
    let lowest = Number.POSITIVE_INFINITY;
    const watching = (async () => {
      while (!done) {
        const { rows } = await h.sql.query<{ balance: string }>(
          `SELECT balance FROM coin_accounts WHERE user_id = $1 AND kind = 'wallet' AND currency = 'coin'`,
          [userId],
        );
        lowest = Math.min(lowest, Number(rows[0].balance));
      }
    })();
    await work;
    done = true;
    await watching;
    return lowest;
  }

  async function entitlements(buyerId: string): Promise<number> {
    const { rows } = await h.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM coin_purchases WHERE buyer_id = $1`,
      [buyerId],
    );
    return Number(rows[0].n);
  }

  it('should let exactly one of 100 concurrent purchases of different items through when the balance covers one', async () => {
    const [buyer, author] = await h.createUsers(2);
    await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'c100', amount: 10 });
    let outcomes: Array<Outcome<{ replayed: boolean }>> = [];
    const lowest = await lowestBalanceDuring(
      buyer,
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          settle(sut.purchase({ buyerId: buyer, sellerId: author, itemKey: `feed:${i}`, price: 10 })),
        ),
      ).then((o) => (outcomes = o)),
    );
    expect(tally(outcomes)).toEqual({ ok: 1, INSUFFICIENT_COINS: 99 });
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(await sut.balance(buyer)).toBe(0);
    expect(await entitlements(buyer)).toBe(1);
    expect(await h.income.summary(author)).toMatchObject({ coins: 7, counts: 1 });
  });

  it('should sell one item once to 100 concurrent purchases of it under different purchase keys', async () => {
    const [buyer, author] = await h.createUsers(2);
    await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'same-item', amount: 1000 });
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        settle(
          sut.purchase({
            buyerId: buyer,
            sellerId: author,
            itemKey: 'feed:hot',
            price: 10,
            purchaseKey: `k${i}`,
          }),
        ),
      ),
    );
    expect(tally(outcomes)).toEqual({ ok: 1, ALREADY_PURCHASED: 99 });
    expect(await sut.balance(buyer)).toBe(990);
    expect(await entitlements(buyer)).toBe(1);
  });

  it('should post once for 100 concurrent retries of the same purchase, answering the others as replays', async () => {
    const [buyer, author] = await h.createUsers(2);
    await sut.topUp({ userId: buyer, source: 'app_store', transactionId: 'retries', amount: 15 });
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        settle(sut.purchase({ buyerId: buyer, sellerId: author, itemKey: 'feed:r', price: 10 })),
      ),
    );
    expect(tally(outcomes)).toEqual({ ok: 1, replayed: 99 });
    const postings = new Set(outcomes.map((o) => (o.ok ? o.value.postingId : '')));
    expect(postings.size).toBe(1);
    expect(await sut.balance(buyer)).toBe(5);
    expect(await entitlements(buyer)).toBe(1);
  });

  it('should credit a store transaction sent 20 times at once exactly once', async () => {
    const user = await h.createUser();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        settle(
          sut.topUp({ userId: user, source: 'app_store', transactionId: '2000000123456789', amount: 60 }),
        ),
      ),
    );
    expect(tally(outcomes)).toEqual({ ok: 1, replayed: 19 });
    for (const o of outcomes) expect(o).toMatchObject({ ok: true, value: { balance: 60, amount: 60 } });
    expect(await sut.balance(user)).toBe(60);
  });

  it('should credit a transaction claimed at once by two accounts to one of them, and refuse the other (FORBIDDEN)', async () => {
    const [a, b] = await h.createUsers(2);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const userId = i % 2 ? a : b;
        return settle(
          sut.topUp({ userId, source: 'app_store', transactionId: 'contested', amount: 60 }),
        ).then((outcome) => ({ userId, outcome }));
      }),
    );
    const balances = [await sut.balance(a), await sut.balance(b)];
    expect(balances.sort()).toEqual([0, 60]);
    const winner = (await sut.balance(a)) === 60 ? a : b;
    expect(tally(outcomes.filter((o) => o.userId === winner).map((o) => o.outcome))).toEqual({
      ok: 1,
      replayed: 9,
    });
    expect(tally(outcomes.filter((o) => o.userId !== winner).map((o) => o.outcome))).toEqual({
      FORBIDDEN: 10,
    });
  });

  it('should let exactly 10 of 50 concurrent gifts through when the balance covers 10', async () => {
    const [sender, anchor] = await h.createUsers(2);
    await sut.topUp({ userId: sender, source: 'alipay', transactionId: 'gifts', amount: 100 });
    let outcomes: Array<Outcome<{ replayed: boolean; balance: number }>> = [];
    const lowest = await lowestBalanceDuring(
      sender,
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          settle(sut.gift({ senderId: sender, anchorId: anchor, value: 10, giftKey: `gift-${i}` })),
        ),
      ).then((o) => (outcomes = o)),
    );
    expect(tally(outcomes)).toEqual({ ok: 10, INSUFFICIENT_COINS: 40 });
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(await sut.balance(sender)).toBe(0);
    // Each successful gift's answer is a distinct balance on the way down.
    const answered = outcomes.flatMap((o) => (o.ok ? [o.value.balance] : []));
    expect(answered.sort((x, y) => x - y)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(await h.income.incomeBalance(anchor)).toBe(10 * 7);
  });

  it('should leave a ledger the audit finds consistent', async () => {
    const report = await h.audit.run();
    expect(report).toMatchObject({
      ok: true,
      balanceDifferences: { count: 0 },
      unbalancedPostings: { count: 0 },
    });
  });
});

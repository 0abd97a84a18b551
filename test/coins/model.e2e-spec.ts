import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { EntityManager } from 'typeorm';
import { CoinsService } from '#src/coins/coins.service.js';
import { platformShare } from '#src/coins/ledger-types.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { createLedgerHarness, type LedgerHarness } from '#test/coins/ledger-harness.js';

const BUYERS = 6;
const AUTHORS = 3;
const PURCHASE_SHARE = 30;
const GIFT_SHARE = 20;

type Command =
  | { t: 'topUp'; amount: number }
  | { t: 'refund'; pick: number }
  | { t: 'purchase'; author: number; item: number; price: number }
  | { t: 'gift'; author: number; value: number }
  | { t: 'retry' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('topUp' as const), amount: fc.integer({ min: 1, max: 100 }) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('refund' as const), pick: fc.nat({ max: 20 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('purchase' as const),
      author: fc.nat({ max: AUTHORS - 1 }),
      item: fc.nat({ max: 5 }),
      price: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('gift' as const),
      author: fc.nat({ max: AUTHORS - 1 }),
      value: fc.integer({ min: 1, max: 30 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'retry' as const }) },
);

/** Each buyer's commands run in order; the buyers run at once. Income accounts are shared by all of them. */
const scenario = (maxCommands: number) =>
  fc.array(fc.array(command, { maxLength: maxCommands }), { minLength: BUYERS, maxLength: BUYERS });

/** A call as the client sends it: every key fixed, so sending it again is a retry of the same operation. */
type Call =
  | { t: 'topUp'; transactionId: string; amount: number }
  | { t: 'refund'; transactionId: string }
  | { t: 'purchase'; author: number; itemKey: string; price: number }
  | { t: 'gift'; author: number; giftKey: string; value: number };

/** What the model expects: a fresh posting, a replay of an earlier one, or a refusal. */
type Expected = 'ok' | 'replayed' | 'INSUFFICIENT_COINS' | 'NOT_FOUND';

/**
 * The ledger as it should be. A user's wallet moves only by their own calls (income goes to income accounts), so
 * with each buyer's calls in order the model predicts every answer exactly, however the buyers interleave.
 */
class Model {
  readonly wallet = new Map<number, number>();
  readonly debt = new Map<number, number>();
  readonly income = new Map<number, number>();
  readonly purchaseIncome = new Map<number, number>();
  private readonly credited = new Map<string, { buyer: number; amount: number }>();
  private readonly reversed = new Set<string>();
  private readonly bought = new Set<string>();
  private readonly gifts = new Set<string>();

  apply(buyer: number, call: Call): Expected {
    const wallet = this.wallet.get(buyer) ?? 0;
    const debt = this.debt.get(buyer) ?? 0;
    switch (call.t) {
      case 'topUp': {
        if (this.credited.has(call.transactionId)) return 'replayed';
        const settled = Math.min(call.amount, debt);
        this.debt.set(buyer, debt - settled);
        this.wallet.set(buyer, wallet + call.amount - settled);
        this.credited.set(call.transactionId, { buyer, amount: call.amount });
        return 'ok';
      }
      case 'refund': {
        const credit = this.credited.get(call.transactionId);
        if (!credit) return 'NOT_FOUND';
        if (this.reversed.has(call.transactionId)) return 'replayed';
        const taken = Math.min(wallet, credit.amount);
        this.wallet.set(buyer, wallet - taken);
        this.debt.set(buyer, debt + credit.amount - taken);
        this.reversed.add(call.transactionId);
        return 'ok';
      }
      case 'purchase': {
        const key = `${buyer}/${call.itemKey}`;
        if (this.bought.has(key)) return 'replayed';
        if (wallet < call.price) return 'INSUFFICIENT_COINS';
        const earned = call.price - platformShare(call.price, PURCHASE_SHARE);
        this.wallet.set(buyer, wallet - call.price);
        this.income.set(call.author, (this.income.get(call.author) ?? 0) + earned);
        this.purchaseIncome.set(call.author, (this.purchaseIncome.get(call.author) ?? 0) + earned);
        this.bought.add(key);
        return 'ok';
      }
      case 'gift': {
        if (this.gifts.has(call.giftKey)) return 'replayed';
        if (wallet < call.value) return 'INSUFFICIENT_COINS';
        this.wallet.set(buyer, wallet - call.value);
        const earned = call.value - platformShare(call.value, GIFT_SHARE);
        this.income.set(call.author, (this.income.get(call.author) ?? 0) + earned);
        this.gifts.add(call.giftKey);
        return 'ok';
      }
    }
  }
}

/** A dropped or killed connection: the operation's outcome is unknown to the client, which sends it again. */
function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string; name?: string };
  const code = e.driverError?.code ?? e.code ?? '';
  return (
    // TypeORM's transaction whose connection died between two of its statements (PostgreSQL rolled it back).
    e.name === 'QueryRunnerAlreadyReleasedError' ||
    /^(57P0[123]|08\d{3})$/.test(code) ||
    /terminat|connection|ECONNRESET|EPIPE|not queryable|Client was closed/i.test(e.message ?? '')
  );
}

interface RunFigures {
  calls: number;
  attempts: number;
  lostConnections: number;
  lossMessages: Set<string>;
}

describe(`${CoinsService.name} against a model`, () => {
  let h: LedgerHarness;
  let sut: CoinsService;
  let run = 0;

  beforeAll(async () => {
    h = await createLedgerHarness({
      poolSize: 12,
      tolerateKilledConnections: true,
      env: {
        COIN_PURCHASE_PLATFORM_SHARE: String(PURCHASE_SHARE),
        COIN_GIFT_PLATFORM_SHARE: String(GIFT_SHARE),
      },
    });
    sut = h.coins;
  });
  afterAll(async () => {
    await h.close();
  });

  /**
   * Every other store transaction is posted the way the payments area posts it (LedgerCoinPostings): inside a
   * transaction the caller opened, as StorePurchasesService does around its claim; the rest in the ledger's own.
   */
  function storeCall<R>(transactionId: string, post: (em?: EntityManager) => Promise<R>): Promise<R> {
    return Number(transactionId.split('-').pop()) % 2 === 0
      ? h.dataSource.transaction((em) => post(em))
      : post();
  }

  function send(call: Call, buyerId: string, authorIds: string[]): Promise<{ replayed: boolean }> {
    switch (call.t) {
      case 'topUp': {
        const input = {
          userId: buyerId,
          source: 'app_store' as const,
          transactionId: call.transactionId,
          amount: call.amount,
        };
        return storeCall(call.transactionId, (em) => sut.topUp(input, em));
      }
      case 'refund': {
        const input = {
          source: 'app_store' as const,
          transactionId: call.transactionId,
          reason: 'refund' as const,
        };
        return storeCall(call.transactionId, (em) => sut.reverseTopUp(input, em));
      }
      case 'purchase':
        return sut.purchase({
          buyerId,
          sellerId: authorIds[call.author],
          itemKey: call.itemKey,
          price: call.price,
        });
      case 'gift':
        return sut.gift({
          senderId: buyerId,
          anchorId: authorIds[call.author],
          value: call.value,
          giftKey: call.giftKey,
        });
    }
  }

  /**
   * Runs one scenario and checks every answer, every balance, every income and the audit against the model.
   * `retryLostConnections`: a call whose connection died is sent again (same keys) until it gets an answer; then
   * a fresh success may come back as a replay (the first attempt committed before the connection died).
   */
  async function runScenario(
    commands: Command[][],
    chaos?: { start(): void; stop(): Promise<void> },
  ): Promise<RunFigures> {
    const retryLostConnections = chaos !== undefined;
    run++;
    const ids = await h.createUsers(BUYERS + AUTHORS);
    const buyerIds = ids.slice(0, BUYERS);
    const authorIds = ids.slice(BUYERS);
    const model = new Model();
    const figures: RunFigures = { calls: 0, attempts: 0, lostConnections: 0, lossMessages: new Set() };
    const mismatches: string[] = [];

    chaos?.start();
    const calling = Promise.all(
      buyerIds.map(async (buyerId, buyer) => {
        const topUps: string[] = [];
        let last: Call | undefined;
        let serial = 0;
        for (const c of commands[buyer]) {
          let call: Call | undefined;
          switch (c.t) {
            case 'topUp':
              call = { t: 'topUp', transactionId: `m${run}-b${buyer}-t${serial++}`, amount: c.amount };
              topUps.push(call.transactionId);
              break;
            case 'refund':
              call = {
                t: 'refund',
                transactionId: topUps.length ? topUps[c.pick % topUps.length] : `m${run}-b${buyer}-none`,
              };
              break;
            case 'purchase':
              call = {
                t: 'purchase',
                author: c.author,
                itemKey: `item:${c.author}:${c.item}`,
                price: c.price,
              };
              break;
            case 'gift':
              call = {
                t: 'gift',
                author: c.author,
                giftKey: `m${run}-b${buyer}-g${serial++}`,
                value: c.value,
              };
              break;
            case 'retry':
              call = last;
              break;
          }
          if (!call) continue;
          last = call;
          const expected = model.apply(buyer, call);
          figures.calls++;
          let actual: string | undefined;
          let lost = false;
          for (let attempt = 0; actual === undefined; attempt++) {
            figures.attempts++;
            try {
              const result = await send(call, buyerId, authorIds);
              actual = result.replayed ? 'replayed' : 'ok';
            } catch (error) {
              if (error instanceof DomainError) {
                actual = error.code;
              } else if (retryLostConnections && isConnectionLoss(error) && attempt < 200) {
                lost = true;
                figures.lostConnections++;
                figures.lossMessages.add((error as Error).message.slice(0, 80));
                // Backing off: near the end of a run one buyer may hold the pool's only connection, the one the
                // killer keeps picking.
                await new Promise((r) => setTimeout(r, Math.min(50, 5 * (attempt + 1))));
              } else {
                throw error;
              }
            }
          }
          const acceptable = lost && expected === 'ok' ? ['ok', 'replayed'] : [expected];
          if (!acceptable.includes(actual)) {
            mismatches.push(`buyer ${buyer} ${JSON.stringify(call)}: expected ${expected}, got ${actual}`);
          }
        }
      }),
    );
    try {
      await calling;
    } finally {
      await chaos?.stop();
    }
    expect(mismatches).toEqual([]);

    for (const [buyer, buyerId] of buyerIds.entries()) {
      expect({ buyer, balance: await sut.balance(buyerId), debt: (await sut.debts(buyerId)).coin }).toEqual({
        buyer,
        balance: model.wallet.get(buyer) ?? 0,
        debt: model.debt.get(buyer) ?? 0,
      });
    }
    for (const [author, authorId] of authorIds.entries()) {
      expect({
        author,
        income: await h.income.incomeBalance(authorId),
        fromPurchases: (await h.income.summary(authorId)).coins,
      }).toEqual({
        author,
        income: model.income.get(author) ?? 0,
        fromPurchases: model.purchaseIncome.get(author) ?? 0,
      });
    }
    const report = await h.audit.run();
    expect(report).toMatchObject({
      ok: true,
      balanceDifferences: { count: 0 },
      unbalancedPostings: { count: 0 },
      emptyPostings: { count: 0 },
      orphanEntries: { count: 0 },
      purchaseMismatches: { count: 0 },
    });
    return figures;
  }

  it('should answer every call as the model does and keep every balance equal to it, buyers in parallel', async () => {
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(scenario(30), async (commands) => {
        calls += (await runScenario(commands)).calls;
      }),
      { numRuns: 15 },
    );
    console.log(
      `coins model: ${calls} calls in 15 runs of ${BUYERS} buyers at once, every answer as modelled`,
    );
  });

  it('should keep no partial posting and answer every call while connections are killed mid-run', async () => {
    const totals = { calls: 0, attempts: 0, lostConnections: 0, kills: 0, messages: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(scenario(60), async (commands) => {
        let running = false;
        let killer: Promise<void> = Promise.resolve();
        const chaos = {
          start() {
            running = true;
            killer = (async () => {
              while (running) {
                await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
                // One of the pools' backends (TypeORM's, and the hot statements' where the spend runs), never the
                // assertion connection; a busy one when there is one, since only a kill mid-statement makes a call
                // lose its connection (a pool drops a killed idle client before lending it again).
                const { rows } = await h.sql.query<{ killed: boolean }>(
                  `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name IN ('concord', 'concord-hot')
                      AND pid <> pg_backend_pid()
                    ORDER BY state = 'idle', random() LIMIT 1`,
                );
                if (rows[0]?.killed) totals.kills++;
              }
            })();
          },
          async stop() {
            running = false;
            await killer;
            // An idle pooled connection killed last learns of it when its socket is next read: let that happen
            // before the checks borrow one.
            await new Promise((r) => setTimeout(r, 200));
          },
        };
        const figures = await runScenario(commands, chaos);
        totals.calls += figures.calls;
        totals.attempts += figures.attempts;
        totals.lostConnections += figures.lostConnections;
        for (const m of figures.lossMessages) totals.messages.add(m);
      }),
      { numRuns: 5, endOnFailure: true },
    );
    console.log(
      `coins model with killed connections: ${totals.calls} calls, ${totals.attempts} attempts, ` +
        `${totals.kills} backends killed, ${totals.lostConnections} calls lost their connection and were sent again; ` +
        `errors seen: ${[...totals.messages].join(' | ')}`,
    );
    expect(totals.kills).toBeGreaterThan(0);
    expect(totals.lostConnections).toBeGreaterThan(0);
  });
});

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import {
  CURRENCIES,
  platformShare,
  type AccountKey,
  requireAmount,
  requireKey,
  requireUserId,
  type Currency,
  type TopUpSource,
} from '#src/coins/ledger-types.js';
import {
  LedgerRepository,
  type Leg,
  type NewPosting,
  type PostedEntry,
  type PostingRow,
  type PurchaseRow,
} from '#src/coins/ledger.repository.js';

export interface TopUpInput {
  userId: string;
  /** The store the coins were bought in; its transaction ids are one namespace. */
  source: TopUpSource;
  /** The store's id of the transaction (Apple: `transactionId`), the idempotency key. */
  transactionId: string;
  amount: number;
  currency?: Currency;
  /** Kept on the posting (product id, environment…); never secrets. */
  detail?: Record<string, unknown>;
}

export interface TopUpResult {
  postingId: string;
  /** The transaction had been credited before (to this same user): nothing moved now. */
  replayed: boolean;
  userId: string;
  currency: Currency;
  /** What the store transaction was worth. */
  amount: number;
  /** How much of it went to the wallet… */
  credited: number;
  /** …and how much paid off a debt left by an earlier refund (settled first). */
  settledDebt: number;
  /** The wallet's balance now (on a replay: now, not then). */
  balance: number;
  /** What the user still owes after this (0 without a debt). */
  debt: number;
}

export interface ReversalInput {
  source: TopUpSource;
  transactionId: string;
  reason: 'refund' | 'revoke';
  detail?: Record<string, unknown>;
}

export interface ReversalResult {
  postingId: string;
  replayed: boolean;
  userId: string;
  currency: Currency;
  /** The original top-up's amount, all of it reversed… */
  reversed: number;
  /** …taken from the wallet as far as it covered… */
  debited: number;
  /** …and the rest recorded as debt, which later top-ups settle first. */
  debtAdded: number;
  balance: number;
  debt: number;
}

export interface PurchaseInput {
  buyerId: string;
  /** The author: their income account receives the price less the platform's share. */
  sellerId: string;
  /** What is bought, e.g. `feed:123`; one entitlement per buyer and item. */
  itemKey: string;
  price: number;
  /** The idempotency key within this buyer's purchases; default: the item key (one purchase per item). */
  purchaseKey?: string;
}

export interface PurchaseResult {
  postingId: string;
  purchaseId: string;
  /** This purchase key had already bought the item: nothing moved now. */
  replayed: boolean;
  itemKey: string;
  price: number;
  sellerAmount: number;
  platformAmount: number;
  paidAt: Date;
  /** The buyer's coin balance now. */
  balance: number;
}

export interface GiftInput {
  senderId: string;
  anchorId: string;
  value: number;
  /** Unique per gift within this sender's gifts (a client request id); a repeat is a replay. */
  giftKey: string;
  description?: string;
}

export interface GiftResult {
  postingId: string;
  replayed: boolean;
  value: number;
  anchorAmount: number;
  platformAmount: number;
  /** The sender's coin balance now. */
  balance: number;
}

export interface AdjustmentInput {
  userId: string;
  currency?: Currency;
  /** Positive: a grant from the promotions account. Negative: a clawback to it (never below zero). */
  amount: number;
  reason: string;
  /** Makes a retried request a replay; a fresh random key when the operator's client sent none. */
  operationKey: string;
  /** Who decided it, for the posting's detail (the audit log records the operator separately). */
  actor: string;
}

export interface AdjustmentResult {
  postingId: string;
  replayed: boolean;
  userId: string;
  currency: Currency;
  amount: number;
  balance: number;
}

/** Negation without a negative zero (which `toEqual(0)` and some JSON consumers tell apart). */
function neg(n: number): number {
  return n === 0 ? 0 : -n;
}

/**
 * Every coin movement, each one posting of the double-entry ledger, all or nothing. Accounts are created before
 * (idempotent, moves nothing); then the idempotency key is claimed first, so a retry or a concurrent duplicate
 * gets the first posting's answer; then the cached balances move under guarded updates. Purchases and gifts, the
 * hot paths, are one statement each (LedgerRepository.spend); the rest one transaction (writeEntries). No
 * network call happens inside either.
 */
@Injectable()
export class CoinsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The idempotency key is claimed before anything moves; a taken key answers `replay` with the first posting.
   * `within`: the caller's open transaction (CoinPostings), which the posting joins instead of opening its own.
   */
  private post<R>(
    posting: NewPosting,
    fresh: (em: EntityManager, postingId: string) => Promise<R>,
    replay: (em: EntityManager, first: PostingRow) => Promise<R>,
    within?: EntityManager,
  ): Promise<R> {
    const run = async (em: EntityManager) => {
      const postingId = await this.ledger.claimPosting(em, posting);
      if (postingId) return fresh(em, postingId);
      const first = await this.ledger.findPosting(em, posting.key);
      if (!first) throw new Error(`coin posting ${posting.key} was claimed but cannot be read`);
      return replay(em, first);
    };
    return within ? run(within) : this.dataSource.transaction(run);
  }

  /**
   * Outside a transaction, accounts are created (or found) on their own connection and remembered; inside the
   * caller's, on its connection and not remembered (see LedgerRepository.ensureAccountWithin).
   */
  private ensureAccounts(keys: AccountKey[], within?: EntityManager): Promise<string[]> {
    if (!within) return Promise.all(keys.map((key) => this.ledger.ensureAccount(key)));
    // One connection runs one statement at a time: in sequence.
    return keys.reduce<Promise<string[]>>(
      async (ids, key) => [...(await ids), await this.ledger.ensureAccountWithin(within, key)],
      Promise.resolve([]),
    );
  }

  private async currentBalances(
    em: EntityManager,
    userId: string,
    currency: Currency,
  ): Promise<{ balance: number; debt: number }> {
    const [wallets, debts] = await Promise.all([
      this.ledger.userBalances(userId, 'wallet', em),
      this.ledger.userBalances(userId, 'debt', em),
    ]);
    return { balance: wallets.get(currency) ?? 0, debt: neg(debts.get(currency) ?? 0) };
  }

  /**
   * Credits a store purchase to the user who claims its transaction first. A debt left by an earlier refund is
   * settled first. The same transaction again: a replay for the same user; FORBIDDEN for another (nuzzle
   * NOT_ALLOWED). USER_NOT_FOUND for an unknown user.
   *
   * `within`: run on the caller's open transaction (a payment fact and its posting commit together, see
   * CoinPostings), which must make no network call either.
   */
  async topUp(input: TopUpInput, within?: EntityManager): Promise<TopUpResult> {
    const userId = requireUserId(input.userId, 'userId');
    const transactionId = requireKey(input.transactionId, 'transactionId');
    const amount = requireAmount(input.amount, 'amount');
    const currency = input.currency ?? 'coin';
    const [walletId, storeId] = await this.ensureAccounts(
      [
        { kind: 'wallet', userId, currency },
        { kind: 'system', name: input.source, currency },
      ],
      within,
    );
    return this.post<TopUpResult>(
      {
        key: `top_up:${input.source}:${transactionId}`,
        kind: 'top_up',
        userId,
        at: this.clock.now(),
        detail: { ...input.detail, source: input.source, transactionId },
      },
      async (em, postingId) => {
        const locked = await this.ledger.lockUserAccounts(em, userId, currency);
        const debt = locked.find((a) => a.kind === 'debt');
        const settledDebt = debt ? Math.min(amount, neg(debt.balance)) : 0;
        const legs: Leg[] = [{ accountId: storeId, kind: 'system', amount: -amount }];
        if (amount > settledDebt)
          legs.push({ accountId: walletId, kind: 'wallet', amount: amount - settledDebt });
        if (debt && settledDebt > 0) legs.push({ accountId: debt.id, kind: 'debt', amount: settledDebt });
        await this.ledger.writeEntries(em, postingId, legs);
        return {
          postingId,
          replayed: false,
          userId,
          currency,
          amount,
          credited: amount - settledDebt,
          settledDebt,
          ...(await this.currentBalances(em, userId, currency)),
        };
      },
      async (em, first) => {
        if (first.userId !== userId) {
          throw new DomainError('FORBIDDEN', 'this store transaction was credited to another account');
        }
        const entries = await this.ledger.postingEntries(em, first.id);
        const sum = (kind: PostedEntry['kind']) =>
          entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.amount, 0);
        const firstCurrency = entries[0]?.currency ?? currency;
        return {
          postingId: first.id,
          replayed: true,
          userId,
          currency: firstCurrency,
          amount: neg(sum('system')),
          credited: sum('wallet'),
          settledDebt: sum('debt'),
          ...(await this.currentBalances(em, userId, firstCurrency)),
        };
      },
      within,
    );
  }

  /**
   * Reverses a store top-up (App Store REFUND or REVOKE): the whole amount goes back to the store, taken from the
   * wallet as far as it covers and recorded as debt beyond that (never a negative balance). Once per transaction,
   * whatever the reason: a second notification is a replay. NOT_FOUND when the transaction was never credited.
   * `within`: as for topUp.
   */
  async reverseTopUp(input: ReversalInput, within?: EntityManager): Promise<ReversalResult> {
    const transactionId = requireKey(input.transactionId, 'transactionId');
    const reader = within ?? this.dataSource.manager;
    const original = await this.ledger.findPosting(reader, `top_up:${input.source}:${transactionId}`);
    if (!original) throw new DomainError('NOT_FOUND', 'no top-up with this store transaction');
    const originalEntries = await this.ledger.postingEntries(reader, original.id);
    const store = originalEntries.find((e) => e.kind === 'system');
    if (!store) throw new Error(`top-up posting ${original.id} has no store entry`);
    const { userId } = original;
    const { currency } = store;
    const amount = -store.amount;
    const [walletId, debtId] = await this.ensureAccounts(
      [
        { kind: 'wallet', userId, currency },
        { kind: 'debt', userId, currency },
      ],
      within,
    );
    return this.post<ReversalResult>(
      {
        key: `reversal:${input.source}:${transactionId}`,
        kind: 'reversal',
        userId,
        reversesId: original.id,
        at: this.clock.now(),
        detail: { ...input.detail, source: input.source, transactionId, reason: input.reason },
      },
      async (em, postingId) => {
        const locked = await this.ledger.lockUserAccounts(em, userId, currency);
        const wallet = locked.find((a) => a.id === walletId);
        const debited = Math.min(wallet?.balance ?? 0, amount);
        const legs: Leg[] = [{ accountId: store.accountId, kind: 'system', amount }];
        if (debited > 0) legs.push({ accountId: walletId, kind: 'wallet', amount: -debited });
        if (amount > debited) legs.push({ accountId: debtId, kind: 'debt', amount: -(amount - debited) });
        await this.ledger.writeEntries(em, postingId, legs);
        return {
          postingId,
          replayed: false,
          userId,
          currency,
          reversed: amount,
          debited,
          debtAdded: amount - debited,
          ...(await this.currentBalances(em, userId, currency)),
        };
      },
      async (em, first) => {
        const entries = await this.ledger.postingEntries(em, first.id);
        const sum = (kind: PostedEntry['kind']) =>
          entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.amount, 0);
        return {
          postingId: first.id,
          replayed: true,
          userId,
          currency,
          reversed: sum('system'),
          debited: neg(sum('wallet')),
          debtAdded: neg(sum('debt')),
          ...(await this.currentBalances(em, userId, currency)),
        };
      },
      within,
    );
  }

  /**
   * The buyer pays `price` coins; in the same posting the seller's income account receives it less the platform's
   * share (COIN_PURCHASE_PLATFORM_SHARE) and the platform's revenue account the share. One entitlement per buyer
   * and item: a second purchase of the item under another purchase key is ALREADY_PURCHASED, also when both race.
   * INSUFFICIENT_COINS when the balance does not cover the price; FORBIDDEN when buyer and seller are one user;
   * CONFLICT when the purchase key already bought a different item. Whether the item may be bought at all (free,
   * deleted, own) is the caller's rule.
   */
  async purchase(input: PurchaseInput): Promise<PurchaseResult> {
    const buyerId = requireUserId(input.buyerId, 'buyerId');
    const sellerId = requireUserId(input.sellerId, 'sellerId');
    const itemKey = requireKey(input.itemKey, 'itemKey');
    const purchaseKey = requireKey(input.purchaseKey ?? itemKey, 'purchaseKey');
    const price = requireAmount(input.price, 'price');
    if (buyerId === sellerId) throw new DomainError('FORBIDDEN', 'an author cannot buy their own item');
    const walletId = await this.ledger.findAccountId({ kind: 'wallet', userId: buyerId, currency: 'coin' });
    // No wallet: never topped up, so nothing to pay with (and no earlier purchase to replay).
    if (!walletId) throw new DomainError('INSUFFICIENT_COINS', 'the balance does not cover the price');
    const [incomeId, revenueId] = await Promise.all([
      this.ledger.ensureAccount({ kind: 'income', userId: sellerId, currency: 'coin' }),
      this.ledger.ensureAccount({ kind: 'system', name: 'platform_revenue', currency: 'coin' }),
    ]);
    const platformAmount = platformShare(price, this.config.coins.purchasePlatformSharePercent);
    const sellerAmount = price - platformAmount;
    const at = this.clock.now();
    const key = `purchase:${buyerId}:${purchaseKey}`;
    const posted = await this.ledger.spend({
      posting: { key, kind: 'purchase', userId: buyerId, at, detail: { itemKey, sellerId } },
      walletId,
      amount: price,
      credits: [
        { accountId: incomeId, amount: sellerAmount },
        { accountId: revenueId, amount: platformAmount },
      ],
      purchase: { sellerId, itemKey, sellerAmount, platformAmount },
    });
    if (posted) {
      return {
        postingId: posted.postingId,
        purchaseId: posted.purchaseId ?? '',
        replayed: false,
        itemKey,
        price,
        sellerAmount,
        platformAmount,
        paidAt: at,
        balance: posted.balance,
      };
    }
    const em = this.dataSource.manager;
    const first = await this.ledger.findPosting(em, key);
    const purchase = first && (await this.ledger.findPurchaseByPosting(em, first.id));
    if (!first || !purchase) throw new Error(`purchase posting ${key} was claimed but cannot be read`);
    if (purchase.itemKey !== itemKey) {
      throw new DomainError('CONFLICT', 'this purchase key already bought another item');
    }
    return {
      postingId: first.id,
      purchaseId: purchase.id,
      replayed: true,
      itemKey: purchase.itemKey,
      price: purchase.price,
      sellerAmount: purchase.sellerAmount,
      platformAmount: purchase.platformAmount,
      paidAt: purchase.at,
      balance: await this.balance(buyerId),
    };
  }

  /**
   * The sender's coins to the anchor's income account, less the platform's share (COIN_GIFT_PLATFORM_SHARE), in
   * one posting. INSUFFICIENT_COINS when the balance does not cover the value; FORBIDDEN to oneself; CONFLICT when
   * the gift key was already used for a different gift.
   */
  async gift(input: GiftInput): Promise<GiftResult> {
    const senderId = requireUserId(input.senderId, 'senderId');
    const anchorId = requireUserId(input.anchorId, 'anchorId');
    const giftKey = requireKey(input.giftKey, 'giftKey');
    const value = requireAmount(input.value, 'value');
    if (senderId === anchorId) throw new DomainError('FORBIDDEN', 'a gift to oneself');
    const walletId = await this.ledger.findAccountId({ kind: 'wallet', userId: senderId, currency: 'coin' });
    if (!walletId) throw new DomainError('INSUFFICIENT_COINS', 'the balance does not cover the gift');
    const [incomeId, revenueId] = await Promise.all([
      this.ledger.ensureAccount({ kind: 'income', userId: anchorId, currency: 'coin' }),
      this.ledger.ensureAccount({ kind: 'system', name: 'platform_revenue', currency: 'coin' }),
    ]);
    const platformAmount = platformShare(value, this.config.coins.giftPlatformSharePercent);
    const anchorAmount = value - platformAmount;
    const key = `gift:${senderId}:${giftKey}`;
    const posted = await this.ledger.spend({
      posting: {
        key,
        kind: 'gift',
        userId: senderId,
        at: this.clock.now(),
        detail: { anchorId, value, description: input.description?.slice(0, 500) ?? '' },
      },
      walletId,
      amount: value,
      credits: [
        { accountId: incomeId, amount: anchorAmount },
        { accountId: revenueId, amount: platformAmount },
      ],
    });
    if (posted) {
      return {
        postingId: posted.postingId,
        replayed: false,
        value,
        anchorAmount,
        platformAmount,
        balance: posted.balance,
      };
    }
    const em = this.dataSource.manager;
    const first = await this.ledger.findPosting(em, key);
    if (!first) throw new Error(`gift posting ${key} was claimed but cannot be read`);
    if (first.detail.anchorId !== anchorId || first.detail.value !== value) {
      throw new DomainError('CONFLICT', 'this gift key was used for another gift');
    }
    const entries = await this.ledger.postingEntries(em, first.id);
    return {
      postingId: first.id,
      replayed: true,
      value,
      anchorAmount: entries.find((e) => e.kind === 'income')?.amount ?? 0,
      platformAmount: entries.find((e) => e.kind === 'system')?.amount ?? 0,
      balance: await this.balance(senderId),
    };
  }

  /**
   * An operator's grant (positive) or clawback (negative) against the promotions account. A clawback never takes
   * a balance below zero: INSUFFICIENT_COINS instead. `within` runs inside the posting's transaction on a fresh
   * posting only (the audit log entry), so the movement and its record commit together.
   */
  async adjust(
    input: AdjustmentInput,
    within?: (em: EntityManager, result: AdjustmentResult) => Promise<void>,
  ): Promise<AdjustmentResult> {
    const userId = requireUserId(input.userId, 'userId');
    const operationKey = requireKey(input.operationKey, 'operationKey', 100);
    const currency = input.currency ?? 'coin';
    if (input.amount === 0 || !Number.isSafeInteger(input.amount)) {
      throw new DomainError('INVALID_PARAMS', 'amount must be a non-zero whole number of coins');
    }
    const amount = Math.sign(input.amount) * requireAmount(Math.abs(input.amount), 'amount');
    const [walletId, promotionsId] = await Promise.all([
      this.ledger.ensureAccount({ kind: 'wallet', userId, currency }),
      this.ledger.ensureAccount({ kind: 'system', name: 'promotions', currency }),
    ]);
    return this.post<AdjustmentResult>(
      {
        key: `operator:${operationKey}`,
        kind: amount > 0 ? 'grant' : 'clawback',
        userId,
        at: this.clock.now(),
        detail: { reason: input.reason, actor: input.actor },
      },
      async (em, postingId) => {
        const balances = await this.ledger.writeEntries(em, postingId, [
          { accountId: promotionsId, kind: 'system', amount: -amount },
          { accountId: walletId, kind: 'wallet', amount },
        ]);
        const result = {
          postingId,
          replayed: false,
          userId,
          currency,
          amount,
          balance: balances.get(walletId) ?? 0,
        };
        await within?.(em, result);
        return result;
      },
      async (em, first) => {
        if (first.userId !== userId)
          throw new DomainError('CONFLICT', 'this operation key was used for another user');
        const entries = await this.ledger.postingEntries(em, first.id);
        const wallet = entries.find((e) => e.kind === 'wallet');
        const firstCurrency = wallet?.currency ?? currency;
        return {
          postingId: first.id,
          replayed: true,
          userId,
          currency: firstCurrency,
          amount: wallet?.amount ?? 0,
          balance: (await this.currentBalances(em, userId, firstCurrency)).balance,
        };
      },
    );
  }

  /** A user's wallet balance in one currency (0 without a wallet, or for an id that names no user). */
  async balance(userId: string, currency: Currency = 'coin'): Promise<number> {
    return (await this.balances(userId))[currency];
  }

  /** Every currency's wallet balance (xiaoma's `integral`, `currency`, `virtual_currency`, and `coin`). */
  async balances(userId: string): Promise<Record<Currency, number>> {
    const found = isBigintId(userId)
      ? await this.ledger.userBalances(userId, 'wallet')
      : new Map<Currency, number>();
    return Object.fromEntries(CURRENCIES.map((c) => [c, found.get(c) ?? 0])) as Record<Currency, number>;
  }

  /** What a user owes after refunds their wallet did not cover, per currency (positive numbers). */
  async debts(userId: string): Promise<Record<Currency, number>> {
    const found = isBigintId(userId)
      ? await this.ledger.userBalances(userId, 'debt')
      : new Map<Currency, number>();
    return Object.fromEntries(CURRENCIES.map((c) => [c, neg(found.get(c) ?? 0)])) as Record<Currency, number>;
  }

  /** The buyer's entitlement to an item, if any (`access` in the feeds). */
  findPurchase(buyerId: string, itemKey: string): Promise<PurchaseRow | undefined> {
    if (!isBigintId(buyerId)) return Promise.resolve(undefined);
    return this.ledger.findPurchase(buyerId, itemKey);
  }

  /** Whether anyone bought this item of this seller (an author may not delete a feed someone paid for). */
  hasBuyers(sellerId: string, itemKey: string): Promise<boolean> {
    if (!isBigintId(sellerId)) return Promise.resolve(false);
    return this.ledger.hasBuyers(sellerId, itemKey);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';

import { DataSource, type EntityManager } from 'typeorm';

import { DomainError } from '#src/common/errors/domain-error.js';
import {
  coinsFromDb,
  type AccountKey,
  type AccountKind,
  type Currency,
  type PostingKind,
} from '#src/coins/ledger-types.js';
import { HotStatements } from '#src/database/hot-statements.js';

/** One side of a posting. `kind` says whether the account keeps a cached balance (wallet, debt) or is folded. */
export interface Leg {
  accountId: string;
  kind: AccountKind;
  amount: number;
}

export interface NewPosting {
  key: string;
  kind: PostingKind;
  userId: string;
  at: Date;
  reversesId?: string;
  detail?: Record<string, unknown>;
}

export interface PostingRow {
  id: string;
  kind: PostingKind;
  userId: string;
  reversesId: string | null;
  at: Date;
  detail: Record<string, unknown>;
}

export interface PostedEntry {
  accountId: string;
  kind: AccountKind;
  userId: string | null;
  systemName: string | null;
  currency: Currency;
  amount: number;
  balanceAfter: number | null;
}

export interface LockedAccount {
  id: string;
  kind: 'wallet' | 'debt';
  balance: number;
}

/** A gift as the anchor's income shows it. */
export interface GiftRow {
  /** The posting id: the `maxId` cursor of the next page. */
  id: string;
  senderId: string;
  /** What the sender gave… */
  value: number;
  /** …and what reached the anchor (the rest is the platform's share). */
  anchorAmount: number;
  description: string;
  at: Date;
}

export interface PurchaseRow {
  id: string;
  postingId: string;
  buyerId: string;
  sellerId: string;
  itemKey: string;
  price: number;
  sellerAmount: number;
  platformAmount: number;
  at: Date;
}

/** What an author sees of a buyer in their income. */
export interface PublicBuyer {
  id: string;
  nickname: string;
  avatarUrl: string;
}

const PURCHASE_COLUMNS = `id, posting_id AS "postingId", buyer_id AS "buyerId", seller_id AS "sellerId",
  item_key AS "itemKey", price, seller_amount AS "sellerAmount", platform_amount AS "platformAmount", at`;

function toPurchase(row: Record<string, unknown>): PurchaseRow {
  return {
    id: String(row.id),
    postingId: String(row.postingId),
    buyerId: String(row.buyerId),
    sellerId: String(row.sellerId),
    itemKey: String(row.itemKey),
    price: coinsFromDb(row.price as string),
    sellerAmount: coinsFromDb(row.sellerAmount as string),
    platformAmount: coinsFromDb(row.platformAmount as string),
    at: new Date(row.at as string),
  };
}

/**
 * SQL condition for a statement of another area that reads entitlements beside its own rows (a page of feeds and
 * whether the viewer bought each, in one round trip): whether `buyer` holds `itemKey`, both SQL expressions (a NULL
 * buyer holds nothing). One probe of the entitlement index; the ledger's table is named here, not by its readers.
 */
export function holdsItemSql(buyer: string, itemKey: string): string {
  return `EXISTS (SELECT 1 FROM coin_purchases p WHERE p.buyer_id = ${buyer} AND p.item_key = ${itemKey})`;
}

/**
 * A spend (a purchase or a gift) as one statement, so one implicit transaction and one round trip: claim the
 * idempotency key, claim the entitlement (purchases), debit the wallet by the guarded update, write every entry.
 * Each step runs only if the one before it took effect; when the entitlement or the debit matches nothing,
 * `coin_refuse` aborts the statement and with it the posting already inserted. A taken key writes nothing and
 * answers no posting id (the caller reads the first posting). Values, in order: key, kind, user, at, detail,
 * seller, item (NULL for a gift), amount, seller amount, platform amount, wallet, entry accounts, entry amounts.
 * Named: each pooled connection parses and plans it once (planning this statement cost about as much as running it).
 */
const SPEND = {
  name: 'concord_coin_spend',
  text: `
    WITH posting AS (
      INSERT INTO coin_postings (idempotency_key, kind, user_id, at, detail)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT ON CONSTRAINT coin_postings_idempotency_key DO NOTHING
      RETURNING id
    ), purchase AS (
      INSERT INTO coin_purchases (posting_id, buyer_id, seller_id, item_key, price, seller_amount, platform_amount, at)
      SELECT id, $3, $6, $7, $8, $9, $10, $4 FROM posting WHERE $7::text IS NOT NULL
      ON CONFLICT ON CONSTRAINT coin_purchases_entitlement DO NOTHING
      RETURNING id
    ), debit AS (
      UPDATE coin_accounts SET balance = balance - $8
       WHERE id = $11 AND balance >= $8
         AND EXISTS (SELECT 1 FROM posting)
         AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM purchase))
      RETURNING balance
    ), entries AS (
      INSERT INTO coin_entries (posting_id, account_id, amount, balance_after)
      SELECT posting.id, e.account_id, e.amount, CASE WHEN e.account_id = $11 THEN debit.balance END
        FROM posting, debit, unnest($12::bigint[], $13::bigint[]) AS e (account_id, amount)
      RETURNING 1
    )
    SELECT posting.id AS "postingId", purchase.id AS "purchaseId", debit.balance,
           CASE WHEN posting.id IS NULL THEN 0
                WHEN $7::text IS NOT NULL AND purchase.id IS NULL THEN coin_refuse('CN002', 'already purchased')
                WHEN debit.balance IS NULL THEN coin_refuse('CN001', 'insufficient coins')
                ELSE (SELECT count(*) FROM entries) END AS entries
      FROM (VALUES (1)) AS one (x)
      LEFT JOIN posting ON true LEFT JOIN purchase ON true LEFT JOIN debit ON true`,
};

export interface Spend {
  posting: NewPosting;
  walletId: string;
  amount: number;
  /** The folded accounts credited (income, platform revenue), each with its share of `amount`. */
  credits: Array<{ accountId: string; amount: number }>;
  purchase?: { sellerId: string; itemKey: string; sellerAmount: number; platformAmount: number };
}

/** TypeORM answers an UPDATE … RETURNING as `[rows, affected]` (a SELECT or INSERT as the rows alone). */
async function updateReturning<R>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const [rows] = await em.query<[R[], number]>(sql, params);
  return rows;
}

/** Account ids never change and accounts are never deleted (database triggers), so a found id can be remembered. */
const ACCOUNT_ID_CACHE_SIZE = 50_000;

function cacheKey(key: AccountKey): string {
  return key.kind === 'system'
    ? `system:${key.name}:${key.currency}`
    : `${key.kind}:${key.userId}:${key.currency}`;
}

/** The ledger's tables. Methods that take an EntityManager run in the caller's transaction. */
@Injectable()
export class LedgerRepository {
  private readonly accountIds = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hot: HotStatements,
  ) {}

  private remember(key: AccountKey, id: string): string {
    const k = cacheKey(key);
    if (!this.accountIds.has(k)) {
      if (this.accountIds.size >= ACCOUNT_ID_CACHE_SIZE) {
        const oldest = this.accountIds.keys().next().value;
        if (oldest !== undefined) this.accountIds.delete(oldest);
      }
      this.accountIds.set(k, id);
    }
    return id;
  }

  async findAccountId(
    key: AccountKey,
    em: EntityManager = this.dataSource.manager,
  ): Promise<string | undefined> {
    const known = this.accountIds.get(cacheKey(key));
    if (known) return known;
    const rows =
      key.kind === 'system'
        ? await em.query<Array<{ id: string }>>(
            `SELECT id FROM coin_accounts WHERE system_name = $1 AND currency = $2`,
            [key.name, key.currency],
          )
        : await em.query<Array<{ id: string }>>(
            `SELECT id FROM coin_accounts WHERE user_id = $1 AND kind = $2 AND currency = $3`,
            [key.userId, key.kind, key.currency],
          );
    return rows[0] ? this.remember(key, String(rows[0].id)) : undefined;
  }

  /**
   * The account's id, creating it on first use. Called before a posting's transaction, never inside one: creating
   * an account is idempotent and moves nothing, and waiting here on another creator holds no lock of a posting.
   * A user account for a user that does not exist is USER_NOT_FOUND.
   */
  async ensureAccount(key: AccountKey): Promise<string> {
    const found = await this.findAccountId(key);
    if (found) return found;
    const cached = key.kind === 'wallet' || key.kind === 'debt' ? 0 : null;
    try {
      const rows =
        key.kind === 'system'
          ? await this.dataSource.query<Array<{ id: string }>>(
              `INSERT INTO coin_accounts (kind, system_name, currency) VALUES ('system', $1, $2)
               ON CONFLICT (system_name, currency) WHERE system_name IS NOT NULL DO NOTHING RETURNING id`,
              [key.name, key.currency],
            )
          : await this.dataSource.query<Array<{ id: string }>>(
              `INSERT INTO coin_accounts (kind, user_id, currency, balance) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, kind, currency) WHERE user_id IS NOT NULL DO NOTHING RETURNING id`,
              [key.kind, key.userId, key.currency, cached],
            );
      if (rows[0]) return this.remember(key, String(rows[0].id));
    } catch (error) {
      const e = error as { code?: string; driverError?: { code?: string } };
      if ((e.driverError?.code ?? e.code) === '23503') {
        throw new DomainError('USER_NOT_FOUND', 'no such user');
      }
      throw error;
    }
    const created = await this.findAccountId(key);
    if (!created) throw new Error(`coin account ${cacheKey(key)} vanished`);
    return created;
  }

  /**
   * The account's id inside the caller's transaction (CoinPostings runs there), creating it on first use. Nothing
   * found or created here is remembered: the transaction may still roll back and take a new account with it. A
   * concurrent creator of the same account makes this wait for its commit (the unique index), then the SELECT
   * after the skipped insert reads its row. USER_NOT_FOUND for a user account of no user (which aborts the
   * caller's transaction, as any failure of a posting does).
   */
  async ensureAccountWithin(em: EntityManager, key: AccountKey): Promise<string> {
    const known = this.accountIds.get(cacheKey(key));
    if (known) return known;
    const select = () =>
      key.kind === 'system'
        ? em.query<Array<{ id: string }>>(
            `SELECT id FROM coin_accounts WHERE system_name = $1 AND currency = $2`,
            [key.name, key.currency],
          )
        : em.query<Array<{ id: string }>>(
            `SELECT id FROM coin_accounts WHERE user_id = $1 AND kind = $2 AND currency = $3`,
            [key.userId, key.kind, key.currency],
          );
    const found = await select();
    if (found[0]) return String(found[0].id);
    const cached = key.kind === 'wallet' || key.kind === 'debt' ? 0 : null;
    let rows: Array<{ id: string }>;
    try {
      rows =
        key.kind === 'system'
          ? await em.query<Array<{ id: string }>>(
              `INSERT INTO coin_accounts (kind, system_name, currency) VALUES ('system', $1, $2)
               ON CONFLICT (system_name, currency) WHERE system_name IS NOT NULL DO NOTHING RETURNING id`,
              [key.name, key.currency],
            )
          : await em.query<Array<{ id: string }>>(
              `INSERT INTO coin_accounts (kind, user_id, currency, balance) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, kind, currency) WHERE user_id IS NOT NULL DO NOTHING RETURNING id`,
              [key.kind, key.userId, key.currency, cached],
            );
    } catch (error) {
      const e = error as { code?: string; driverError?: { code?: string } };
      if ((e.driverError?.code ?? e.code) === '23503')
        throw new DomainError('USER_NOT_FOUND', 'no such user');
      throw error;
    }
    if (rows[0]) return String(rows[0].id);
    const created = await select();
    if (!created[0]) throw new Error(`coin account ${cacheKey(key)} vanished`);
    return String(created[0].id);
  }

  /**
   * Claims the idempotency key: the posting's row, or undefined when the key is taken (by a committed posting: a
   * concurrent claimer of the same key waits here until the first commits or rolls back).
   */
  async claimPosting(em: EntityManager, posting: NewPosting): Promise<string | undefined> {
    const rows = await em.query<Array<{ id: string }>>(
      `INSERT INTO coin_postings (idempotency_key, kind, user_id, reverses_id, at, detail)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT coin_postings_idempotency_key DO NOTHING RETURNING id`,
      [
        posting.key,
        posting.kind,
        posting.userId,
        posting.reversesId ?? null,
        posting.at,
        JSON.stringify(posting.detail ?? {}),
      ],
    );
    return rows[0] ? String(rows[0].id) : undefined;
  }

  async findPosting(em: EntityManager, key: string): Promise<PostingRow | undefined> {
    const rows = await em.query<PostingRow[]>(
      `SELECT id, kind, user_id AS "userId", reverses_id AS "reversesId", at, detail
         FROM coin_postings WHERE idempotency_key = $1`,
      [key],
    );
    return rows[0];
  }

  async postingEntries(em: EntityManager, postingId: string): Promise<PostedEntry[]> {
    const rows = await em.query<Array<Record<string, unknown>>>(
      `SELECT e.account_id AS "accountId", a.kind, a.user_id AS "userId", a.system_name AS "systemName",
              a.currency, e.amount, e.balance_after AS "balanceAfter"
         FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
        WHERE e.posting_id = $1 ORDER BY e.id`,
      [postingId],
    );
    return rows.map((r) => ({
      accountId: String(r.accountId),
      kind: r.kind as AccountKind,
      userId: r.userId === null ? null : String(r.userId as string),
      systemName: r.systemName as string | null,
      currency: r.currency as Currency,
      amount: coinsFromDb(r.amount as string),
      balanceAfter: r.balanceAfter === null ? null : coinsFromDb(r.balanceAfter as string),
    }));
  }

  /**
   * Locks a user's wallet and debt accounts of one currency, in id order and with no join, so every posting that
   * locks more than one user account takes them in the same order (no deadlock).
   */
  async lockUserAccounts(em: EntityManager, userId: string, currency: Currency): Promise<LockedAccount[]> {
    const rows = await em.query<Array<{ id: string; kind: 'wallet' | 'debt'; balance: string }>>(
      `SELECT id, kind, balance FROM coin_accounts
        WHERE user_id = $1 AND currency = $2 AND kind IN ('wallet', 'debt')
        ORDER BY id FOR UPDATE`,
      [userId, currency],
    );
    return rows.map((r) => ({ id: String(r.id), kind: r.kind, balance: coinsFromDb(r.balance) }));
  }

  /**
   * Writes a posting's entries. Cached balances move first, in account id order: a wallet debit is the guarded
   * `UPDATE … WHERE balance >= n` (INSUFFICIENT_COINS when it matches nothing; the row lock it takes makes a
   * concurrent debit wait and re-check), a debt is never settled past zero. Folded accounts (income, system) are
   * not touched: their entries are their balance. Then every entry, in one statement (the balance trigger checks
   * the posting sums to zero per currency). Answers each cached account's balance after the posting.
   */
  async writeEntries(em: EntityManager, postingId: string, legs: Leg[]): Promise<Map<string, number>> {
    const balances = new Map<string, number>();
    const cached = legs
      .filter((l) => l.kind === 'wallet' || l.kind === 'debt')
      .sort((a, b) => (BigInt(a.accountId) < BigInt(b.accountId) ? -1 : 1));
    for (const leg of cached) {
      let rows: Array<{ balance: string }>;
      if (leg.kind === 'wallet' && leg.amount < 0) {
        rows = await updateReturning(
          em,
          `UPDATE coin_accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance`,
          [leg.accountId, -leg.amount],
        );
        if (!rows[0]) throw new DomainError('INSUFFICIENT_COINS', 'the balance does not cover this');
      } else if (leg.kind === 'debt' && leg.amount > 0) {
        rows = await updateReturning(
          em,
          `UPDATE coin_accounts SET balance = balance + $2 WHERE id = $1 AND balance + $2 <= 0 RETURNING balance`,
          [leg.accountId, leg.amount],
        );
        if (!rows[0]) throw new Error(`settling more than debt account ${leg.accountId} owes`);
      } else {
        rows = await updateReturning(
          em,
          `UPDATE coin_accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance`,
          [leg.accountId, leg.amount],
        );
        if (!rows[0]) throw new Error(`no coin account ${leg.accountId}`);
      }
      balances.set(leg.accountId, coinsFromDb(rows[0].balance));
    }
    await em.query(
      `INSERT INTO coin_entries (posting_id, account_id, amount, balance_after)
       SELECT $1, account_id, amount, balance_after
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[]) AS t (account_id, amount, balance_after)`,
      [
        postingId,
        legs.map((l) => l.accountId),
        legs.map((l) => String(l.amount)),
        legs.map((l) => (balances.has(l.accountId) ? String(balances.get(l.accountId)) : null)),
      ],
    );
    return balances;
  }

  /**
   * Posts a spend in one statement (see SPEND). Undefined when the idempotency key is taken; INSUFFICIENT_COINS
   * or ALREADY_PURCHASED when it refused, having written nothing.
   */
  async spend(
    spend: Spend,
  ): Promise<{ postingId: string; purchaseId?: string; balance: number } | undefined> {
    const legs = [
      { accountId: spend.walletId, amount: -spend.amount },
      ...spend.credits.filter((c) => c.amount !== 0),
    ];
    let rows: Array<{ postingId: string | null; purchaseId: string | null; balance: string | null }>;
    try {
      rows = await this.hot.query<{
        postingId: string | null;
        purchaseId: string | null;
        balance: string | null;
      }>(SPEND, [
        spend.posting.key,
        spend.posting.kind,
        spend.posting.userId,
        spend.posting.at,
        JSON.stringify(spend.posting.detail ?? {}),
        spend.purchase?.sellerId ?? null,
        spend.purchase?.itemKey ?? null,
        spend.amount,
        spend.purchase?.sellerAmount ?? null,
        spend.purchase?.platformAmount ?? null,
        spend.walletId,
        legs.map((l) => l.accountId),
        legs.map((l) => String(l.amount)),
      ]);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'CN001') throw new DomainError('INSUFFICIENT_COINS', 'the balance does not cover this');
      if (code === 'CN002') throw new DomainError('ALREADY_PURCHASED', 'this user already bought this item');
      throw error;
    }
    const row = rows[0];
    if (!row?.postingId) return undefined;
    return {
      postingId: String(row.postingId),
      purchaseId: row.purchaseId === null ? undefined : String(row.purchaseId),
      balance: coinsFromDb(row.balance),
    };
  }

  async findPurchaseByPosting(em: EntityManager, postingId: string): Promise<PurchaseRow | undefined> {
    const rows = await em.query<Array<Record<string, unknown>>>(
      `SELECT ${PURCHASE_COLUMNS} FROM coin_purchases WHERE posting_id = $1`,
      [postingId],
    );
    return rows[0] ? toPurchase(rows[0]) : undefined;
  }

  async findPurchase(buyerId: string, itemKey: string): Promise<PurchaseRow | undefined> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT ${PURCHASE_COLUMNS} FROM coin_purchases WHERE buyer_id = $1 AND item_key = $2`,
      [buyerId, itemKey],
    );
    return rows[0] ? toPurchase(rows[0]) : undefined;
  }

  /** Whether anyone bought this item of this seller (index-only over coin_purchases_seller_idx). */
  async hasBuyers(sellerId: string, itemKey: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM coin_purchases WHERE seller_id = $1 AND item_key = $2 LIMIT 1`,
      [sellerId, itemKey],
    );
    return rows.length > 0;
  }

  /** A user's cached balances of one kind (wallet or debt), by currency; absent accounts are absent. */
  async userBalances(
    userId: string,
    kind: 'wallet' | 'debt',
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<Currency, number>> {
    const rows = await em.query<Array<{ currency: Currency; balance: string }>>(
      `SELECT currency, balance FROM coin_accounts WHERE user_id = $1 AND kind = $2`,
      [userId, kind],
    );
    return new Map(rows.map((r) => [r.currency, coinsFromDb(r.balance)]));
  }

  /** A folded account's balance: the sum of its entries (index-only over coin_entries_account_idx). */
  async foldedBalance(accountId: string): Promise<number> {
    const rows = await this.dataSource.query<Array<{ total: string | null }>>(
      `SELECT sum(amount) AS total FROM coin_entries WHERE account_id = $1`,
      [accountId],
    );
    return coinsFromDb(rows[0]?.total);
  }

  async incomeByItem(
    sellerId: string,
  ): Promise<Array<{ itemKey: string; coins: number; counts: number; lastPurchaseId: string }>> {
    const rows = await this.dataSource.query<
      Array<{ itemKey: string; coins: string; counts: string; last: string }>
    >(
      `SELECT item_key AS "itemKey", sum(seller_amount) AS coins, count(*) AS counts, max(id) AS last
         FROM coin_purchases WHERE seller_id = $1
        GROUP BY item_key ORDER BY max(id) DESC`,
      [sellerId],
    );
    return rows.map((r) => ({
      itemKey: r.itemKey,
      coins: coinsFromDb(r.coins),
      counts: coinsFromDb(r.counts),
      lastPurchaseId: String(r.last),
    }));
  }

  async incomeOfItem(sellerId: string, itemKey: string): Promise<{ coins: number; counts: number }> {
    const rows = await this.dataSource.query<Array<{ coins: string | null; counts: string }>>(
      `SELECT sum(seller_amount) AS coins, count(*) AS counts
         FROM coin_purchases WHERE seller_id = $1 AND item_key = $2`,
      [sellerId, itemKey],
    );
    return { coins: coinsFromDb(rows[0]?.coins), counts: coinsFromDb(rows[0]?.counts) };
  }

  /**
   * Newest first; `maxId` is the last id of the previous page (exclusive). Each with what an author may see of
   * the buyer: nickname and avatar, blank once the buyer's account is closed (closed accounts are gone for every
   * client).
   */
  async purchasesOfItem(
    sellerId: string,
    itemKey: string,
    page: { maxId?: string; size: number },
  ): Promise<Array<PurchaseRow & { buyer: PublicBuyer }>> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT p.id, p.posting_id AS "postingId", p.buyer_id AS "buyerId", p.seller_id AS "sellerId",
              p.item_key AS "itemKey", p.price, p.seller_amount AS "sellerAmount",
              p.platform_amount AS "platformAmount", p.at,
              CASE WHEN u.status = 'closed' THEN '' ELSE coalesce(u.nickname, '') END AS "buyerNickname",
              CASE WHEN u.status = 'closed' THEN '' ELSE coalesce(u.avatar_url, '') END AS "buyerAvatar"
         FROM coin_purchases p LEFT JOIN users u ON u.id = p.buyer_id
        WHERE p.seller_id = $1 AND p.item_key = $2 AND ($3::bigint IS NULL OR p.id < $3::bigint)
        ORDER BY p.id DESC LIMIT $4`,
      [sellerId, itemKey, page.maxId ?? null, page.size],
    );
    return rows.map((row) => ({
      ...toPurchase(row),
      buyer: {
        id: String(row.buyerId),
        nickname: String(row.buyerNickname),
        avatarUrl: String(row.buyerAvatar),
      },
    }));
  }

  /**
   * Gifts the anchor received, newest first, keyset-paged by posting id, optionally within [from, to): what each
   * sender gave and what reached the anchor's income account.
   */
  async giftsReceived(
    anchorId: string,
    page: { from?: Date; to?: Date; maxId?: string; size: number },
  ): Promise<GiftRow[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT p.id, p.user_id AS "senderId", p.at, p.detail ->> 'value' AS value,
              p.detail ->> 'description' AS description,
              (SELECT sum(e.amount) FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
                WHERE e.posting_id = p.id AND a.kind = 'income') AS "anchorAmount"
         FROM coin_postings p
        WHERE p.kind = 'gift' AND p.detail ->> 'anchorId' = $1
          AND ($2::timestamptz IS NULL OR p.at >= $2) AND ($3::timestamptz IS NULL OR p.at < $3)
          AND ($4::bigint IS NULL OR p.id < $4::bigint)
        ORDER BY p.id DESC LIMIT $5`,
      [anchorId, page.from ?? null, page.to ?? null, page.maxId ?? null, page.size],
    );
    return rows.map((r) => ({
      id: String(r.id),
      senderId: String(r.senderId),
      value: coinsFromDb(r.value as string),
      anchorAmount: coinsFromDb(r.anchorAmount as string | null),
      description: typeof r.description === 'string' ? r.description : '',
      at: new Date(r.at as string),
    }));
  }
}

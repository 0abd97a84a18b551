import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coin ledger (src/coins): accounts, postings with a unique idempotency key, append-only entries that sum to
 * zero per currency, and purchases (one entitlement per buyer and item).
 *
 * Only wallets and debts keep a cached balance, guarded by CHECKs (a wallet never below zero, a debt never above).
 * Income and system accounts have none: their balance is the sum of their entries, so a purchase never updates
 * the platform's or a popular author's row (docs/performance.md, "Coins: hot accounts").
 *
 * No foreign key from entries (or purchases) to accounts or users: checking one takes a KEY SHARE lock on the
 * referenced row, and on the platform's revenue account that would be every purchase at once, piling share lockers
 * into a MultiXact per insert. Accounts cannot be deleted nor re-keyed (triggers below), entries must balance
 * against existing accounts (the statement trigger), and the audit reports any orphan.
 */
export class CoinLedger1764100000000 implements MigrationInterface {
  name = 'CoinLedger1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE coin_accounts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('wallet', 'debt', 'income', 'system')),
        user_id bigint REFERENCES users (id),
        system_name text CHECK (system_name IN ('app_store', 'alipay', 'platform_revenue', 'promotions')),
        currency text NOT NULL CHECK (currency IN ('coin', 'integral', 'currency', 'virtual_currency')),
        balance bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT coin_accounts_owner CHECK (
          CASE WHEN kind = 'system' THEN system_name IS NOT NULL AND user_id IS NULL
               ELSE user_id IS NOT NULL AND system_name IS NULL END),
        CONSTRAINT coin_accounts_cached_balance CHECK ((kind IN ('wallet', 'debt')) = (balance IS NOT NULL)),
        CONSTRAINT coin_accounts_wallet_not_negative CHECK (kind <> 'wallet' OR balance >= 0),
        CONSTRAINT coin_accounts_debt_not_positive CHECK (kind <> 'debt' OR balance <= 0)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX coin_accounts_user_key ON coin_accounts (user_id, kind, currency) WHERE user_id IS NOT NULL`,
    );
    await db.query(
      `CREATE UNIQUE INDEX coin_accounts_system_key ON coin_accounts (system_name, currency) WHERE system_name IS NOT NULL`,
    );
    await db.query(`
      CREATE FUNCTION coin_accounts_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'coin_accounts: only the balance of an account may change, and accounts are never deleted';
      END $$`);
    // Column-specific: a balance update (every purchase) does not fire it.
    await db.query(`
      CREATE TRIGGER coin_accounts_fixed BEFORE UPDATE OF id, kind, user_id, system_name, currency OR DELETE
        ON coin_accounts FOR EACH ROW EXECUTE FUNCTION coin_accounts_fixed()`);
    await db.query(`
      CREATE TRIGGER coin_accounts_no_truncate BEFORE TRUNCATE ON coin_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION coin_accounts_fixed()`);

    await db.query(`
      CREATE TABLE coin_postings (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
        kind text NOT NULL CHECK (kind IN ('top_up', 'reversal', 'purchase', 'gift', 'grant', 'clawback')),
        user_id bigint NOT NULL,
        reverses_id bigint REFERENCES coin_postings (id),
        at timestamptz NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        CONSTRAINT coin_postings_idempotency_key UNIQUE (idempotency_key)
      )`);
    await db.query(`CREATE INDEX coin_postings_user_idx ON coin_postings (user_id, id DESC)`);

    await db.query(`
      CREATE TABLE coin_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        posting_id bigint NOT NULL REFERENCES coin_postings (id),
        account_id bigint NOT NULL,
        amount bigint NOT NULL CHECK (amount <> 0),
        balance_after bigint
      )`);
    await db.query(`CREATE INDEX coin_entries_posting_idx ON coin_entries (posting_id)`);
    // Folded balances (income, system accounts) are an index-only sum over this.
    await db.query(`CREATE INDEX coin_entries_account_idx ON coin_entries (account_id, id) INCLUDE (amount)`);

    // A posting's entries are written by one statement; after it, every posting it touched must sum to zero per
    // currency, against accounts that exist. Statement-level, so a three-entry purchase pays for one check.
    await db.query(`
      CREATE FUNCTION coin_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT e.posting_id, a.currency, sum(e.amount) AS total INTO bad
          FROM coin_entries e LEFT JOIN coin_accounts a ON a.id = e.account_id
         WHERE e.posting_id IN (SELECT DISTINCT posting_id FROM new_entries)
         GROUP BY e.posting_id, a.currency
        HAVING a.currency IS NULL OR sum(e.amount) <> 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'coin posting % does not balance (currency %, sum %)', bad.posting_id, bad.currency, bad.total
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coin_entries_balanced AFTER INSERT ON coin_entries
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION coin_entries_balanced()`);

    await db.query(`
      CREATE TABLE coin_purchases (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        posting_id bigint NOT NULL REFERENCES coin_postings (id),
        buyer_id bigint NOT NULL,
        seller_id bigint NOT NULL,
        item_key text NOT NULL CHECK (length(item_key) BETWEEN 1 AND 200),
        price bigint NOT NULL CHECK (price > 0),
        seller_amount bigint NOT NULL CHECK (seller_amount >= 0),
        platform_amount bigint NOT NULL CHECK (platform_amount >= 0),
        at timestamptz NOT NULL,
        CHECK (seller_amount + platform_amount = price),
        CONSTRAINT coin_purchases_posting_key UNIQUE (posting_id),
        CONSTRAINT coin_purchases_entitlement UNIQUE (buyer_id, item_key)
      )`);
    await db.query(
      `CREATE INDEX coin_purchases_seller_idx ON coin_purchases (seller_id, item_key, id DESC)
         INCLUDE (seller_amount, buyer_id, price, at)`,
    );

    // A purchase or a gift is one statement (src/coins/ledger.repository.ts, SPEND): when its guarded debit or its
    // entitlement matches nothing, this aborts the statement, so the posting it inserted goes with it.
    await db.query(`
      CREATE FUNCTION coin_refuse(code text, reason text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RAISE EXCEPTION '%', reason USING ERRCODE = code;
      END $$`);
    await db.query(`
      CREATE FUNCTION coin_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    for (const table of ['coin_postings', 'coin_entries', 'coin_purchases']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION coin_ledger_append_only()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION coin_ledger_append_only()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS coin_purchases`);
    await db.query(`DROP TABLE IF EXISTS coin_entries`);
    await db.query(`DROP TABLE IF EXISTS coin_postings`);
    await db.query(`DROP TABLE IF EXISTS coin_accounts`);
    await db.query(`DROP FUNCTION IF EXISTS coin_ledger_append_only()`);
    await db.query(`DROP FUNCTION IF EXISTS coin_refuse(text, text)`);
    await db.query(`DROP FUNCTION IF EXISTS coin_entries_balanced()`);
    await db.query(`DROP FUNCTION IF EXISTS coin_accounts_fixed()`);
  }
}

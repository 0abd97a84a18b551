import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments from outside: App Store coin purchases (who claimed each transaction, and whether Apple took it back)
 * and refill orders paid through a payment provider (Alipay). Coins themselves live in the ledger (src/coins);
 * these rows are the facts its postings are keyed by, written in the same transaction as the posting.
 */
export class Payments1764300000000 implements MigrationInterface {
  name = 'Payments1764300000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per App Store transaction ever claimed or revoked. The primary key is what makes a transaction
    // credit once, to the account that claimed it first. A row revoked before anyone claimed it has no user, and
    // stays, so a later claim of a refunded transaction is refused.
    await db.query(`
      CREATE TABLE store_purchases (
        transaction_id text PRIMARY KEY,
        original_transaction_id text NOT NULL,
        product_id text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        coins bigint NOT NULL CHECK (coins > 0),
        environment text NOT NULL CHECK (environment IN ('Production', 'Sandbox', 'Xcode', 'LocalTesting')),
        purchased_at timestamptz NOT NULL,
        user_id bigint REFERENCES users (id),
        claimed_at timestamptz,
        revoked_at timestamptz,
        revocation_reason text CHECK (revocation_reason IN ('refund', 'revoke')),
        revocation_notification_id text,
        CHECK ((user_id IS NULL) = (claimed_at IS NULL)),
        CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)),
        CHECK (user_id IS NOT NULL OR revoked_at IS NOT NULL)
      )`);
    await db.query(
      `CREATE INDEX store_purchases_user_idx ON store_purchases (user_id, claimed_at) WHERE user_id IS NOT NULL`,
    );

    // created -> paid is the one transition that credits (guarded UPDATE ... WHERE status <> 'paid'); closed is an
    // unpaid order Alipay gave up on. Amounts in fen.
    await db.query(`
      CREATE TABLE refill_orders (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        out_trade_no text NOT NULL UNIQUE,
        user_id bigint NOT NULL REFERENCES users (id),
        provider text NOT NULL CHECK (provider IN ('local', 'alipay')),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        coins bigint NOT NULL CHECK (coins > 0),
        status text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'paid', 'closed')),
        trade_no text,
        created_at timestamptz NOT NULL,
        paid_at timestamptz,
        closed_at timestamptz,
        CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
        CHECK (status <> 'paid' OR trade_no IS NOT NULL),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    // The provider's trade id names at most one order: a notification for a trade is applied to one order only.
    await db.query(
      `CREATE UNIQUE INDEX refill_orders_trade_key ON refill_orders (provider, trade_no) WHERE trade_no IS NOT NULL`,
    );
    await db.query(`CREATE INDEX refill_orders_user_idx ON refill_orders (user_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS refill_orders`);
    await db.query(`DROP TABLE IF EXISTS store_purchases`);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VerifiedStoreTransaction } from '#src/payments/app-store-purchases.js';
import type { StoreReversalReason } from '#src/payments/coin-postings.js';

export interface StorePurchaseOwner {
  userId: string | null;
  revokedAt: Date | null;
}

export interface RevokedStorePurchase {
  userId: string | null;
  coins: number;
}

/** Every statement runs on the caller's transaction: a claim or revocation commits with its ledger posting. */
@Injectable()
export class StorePurchasesRepository {
  /**
   * Claims a transaction for an account; false when a row for it exists already. Concurrent claims of one
   * transaction queue on the primary key: the second sees the first's committed row, never a second insert.
   */
  async insertClaim(
    em: EntityManager,
    userId: string,
    transaction: VerifiedStoreTransaction,
    now: Date,
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO store_purchases
         (transaction_id, original_transaction_id, product_id, quantity, coins, environment, purchased_at,
          user_id, claimed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (transaction_id) DO NOTHING
       RETURNING transaction_id`,
      [
        transaction.transactionId,
        transaction.originalTransactionId,
        transaction.productId,
        transaction.quantity,
        String(transaction.coins),
        transaction.environment,
        transaction.purchaseDate,
        userId,
        now,
      ],
    );
    return rows.length === 1;
  }

  async findOwner(em: EntityManager, transactionId: string): Promise<StorePurchaseOwner | null> {
    const rows = await em.query<Array<{ userId: string | null; revokedAt: Date | null }>>(
      `SELECT user_id AS "userId", revoked_at AS "revokedAt" FROM store_purchases WHERE transaction_id = $1`,
      [transactionId],
    );
    return rows[0] ?? null;
  }

  /** A revocation of a transaction nobody claimed yet: recorded so that it is never credited. */
  async insertUnclaimedRevocation(
    em: EntityManager,
    transaction: VerifiedStoreTransaction,
    reason: StoreReversalReason,
    revokedAt: Date,
    notificationId: string,
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO store_purchases
         (transaction_id, original_transaction_id, product_id, quantity, coins, environment, purchased_at,
          revoked_at, revocation_reason, revocation_notification_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (transaction_id) DO NOTHING
       RETURNING transaction_id`,
      [
        transaction.transactionId,
        transaction.originalTransactionId,
        transaction.productId,
        transaction.quantity,
        String(transaction.coins),
        transaction.environment,
        transaction.purchaseDate,
        revokedAt,
        reason,
        notificationId,
      ],
    );
    return rows.length === 1;
  }

  /** Marks a claimed purchase revoked, once: null when it already was. */
  async revoke(
    em: EntityManager,
    transactionId: string,
    reason: StoreReversalReason,
    revokedAt: Date,
    notificationId: string,
  ): Promise<RevokedStorePurchase | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = await em.query<[Array<{ userId: string | null; coins: string }>, number]>(
      `UPDATE store_purchases
          SET revoked_at = $2, revocation_reason = $3, revocation_notification_id = $4
        WHERE transaction_id = $1 AND revoked_at IS NULL
        RETURNING user_id AS "userId", coins`,
      [transactionId, revokedAt, reason, notificationId],
    );
    const row = rows[0];
    return row ? { userId: row.userId, coins: Number(row.coins) } : null;
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '#src/payments/bigint-number.transformer.js';
import type { AppleEnvironmentName, StoreReversalReason } from '#src/payments/coin-postings.js';

/**
 * An App Store transaction claimed by an account (credited once, to the first claimant) or revoked by Apple. A
 * row revoked before anyone claimed it has no user: it keeps the transaction from being credited later.
 */
@Entity({ name: 'store_purchases' })
export class StorePurchaseEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'text' })
  transactionId: string;

  @Column({ name: 'original_transaction_id', type: 'text' })
  originalTransactionId: string;

  @Column({ name: 'product_id', type: 'text' })
  productId: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  coins: number;

  @Column({ type: 'text' })
  environment: AppleEnvironmentName;

  @Column({ name: 'purchased_at', type: 'timestamptz' })
  purchasedAt: Date;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason: StoreReversalReason | null;

  @Column({ name: 'revocation_notification_id', type: 'text', nullable: true })
  revocationNotificationId: string | null;
}

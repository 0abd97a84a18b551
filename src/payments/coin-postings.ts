import type { EntityManager } from 'typeorm';

export type AppleEnvironmentName = 'Production' | 'Sandbox' | 'Xcode' | 'LocalTesting';

/** An App Store purchase of coins, verified as signed by Apple for this app, and claimed by one account. */
export interface StorePurchaseCredit {
  store: 'apple';
  /** Apple's transaction id: the ledger posting's idempotency key (`top_up:app_store:<transactionId>`). */
  transactionId: string;
  originalTransactionId: string;
  productId: string;
  /** Coins for the whole purchase (per-unit coins from APPLE_PRODUCTS × quantity). */
  coins: number;
  purchaseDate: Date;
  environment: AppleEnvironmentName;
  /** The account that claimed the transaction first; the only one it is ever credited to. */
  userId: string;
}

export type StoreReversalReason = 'refund' | 'revoke';

/** Apple refunded (REFUND) or revoked (REVOKE, Family Sharing) a coin purchase: take its coins back. */
export interface StorePurchaseReversal {
  store: 'apple';
  /** The purchase to reverse; the reversal's idempotency key is `reversal:app_store:<transactionId>`. */
  transactionId: string;
  originalTransactionId: string;
  productId: string;
  /** The coins the purchase credited. */
  coins: number;
  reason: StoreReversalReason;
  /** Apple's revocationReason (0 other, 1 app issue), when given. */
  revocationReason: number | null;
  revokedAt: Date;
  environment: AppleEnvironmentName;
  /** Who was credited. */
  userId: string;
  /** Apple's notificationUUID, for the audit trail. */
  notificationId: string;
}

/** A refill order that its payment provider reported paid (Alipay's verified notification, or the local adapter). */
export interface PaidRefill {
  /** The order's id: the posting's idempotency key (`top_up:alipay:<orderId>`). */
  orderId: string;
  /** The order number the provider knows (Alipay's `out_trade_no`). */
  outTradeNo: string;
  provider: 'local' | 'alipay';
  /** The provider's trade id (Alipay's `trade_no`). */
  tradeNo: string;
  userId: string;
  amountFen: number;
  coins: number;
  paidAt: Date;
}

/**
 * Where verified payment facts become ledger postings. Every method runs inside the database transaction that
 * records the fact (a claimed purchase, a revocation, an order turned paid), on `em`: the posting commits with
 * it or neither does, so a crash between the two can neither lose a credit nor make a second one. Implementations
 * must still be idempotent by the key each fact names, and must make no network call (a transaction is open).
 * Throwing rolls the fact back: the client or the provider gets a failure and may retry.
 *
 * The ledger's implementation is LedgerCoinPostings (src/coins), given to PaymentsModule.forRoot in app.module.
 */
export abstract class CoinPostings {
  abstract creditStorePurchase(fact: StorePurchaseCredit, em: EntityManager): Promise<void>;
  /**
   * A refund the balance no longer covers is the ledger's business (a recorded debt, never a negative balance):
   * this must not fail for lack of coins.
   */
  abstract reverseStorePurchase(fact: StorePurchaseReversal, em: EntityManager): Promise<void>;
  abstract creditPaidRefill(fact: PaidRefill, em: EntityManager): Promise<void>;
}

/**
 * What PaymentsModule uses when it is given no ledger (a module test that forgets one): every posting fails, which
 * rolls the fact back: no purchase is marked credited and no order paid without coins, Alipay keeps retrying its
 * notification (answered `fail`) and Apple its (answered 500), so nothing is lost.
 */
export class UnwiredCoinPostings extends CoinPostings {
  creditStorePurchase(): Promise<void> {
    return Promise.reject(new Error('CoinPostings is not connected to the ledger (src/coins) yet'));
  }
  reverseStorePurchase(): Promise<void> {
    return Promise.reject(new Error('CoinPostings is not connected to the ledger (src/coins) yet'));
  }
  creditPaidRefill(): Promise<void> {
    return Promise.reject(new Error('CoinPostings is not connected to the ledger (src/coins) yet'));
  }
}

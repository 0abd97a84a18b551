import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppleEnvironmentName, StoreReversalReason } from '#src/payments/coin-postings.js';

/** A transaction Apple signed for this app (bundle id, environment), of a product that buys coins. */
export interface VerifiedStoreTransaction {
  transactionId: string;
  originalTransactionId: string;
  productId: string;
  quantity: number;
  /** Per-unit coins from APPLE_PRODUCTS × quantity. */
  coins: number;
  purchaseDate: Date;
  environment: AppleEnvironmentName;
  /** The UUID the app attached at purchase (StoreKit's appAccountToken), when it did. */
  appAccountToken: string | null;
  /** Set when Apple already refunded or revoked it: such a transaction is never credited. */
  revokedAt: Date | null;
}

/** What an App Store Server Notification (V2) means for coins. */
export type StoreNotification =
  | {
      kind: 'reversal';
      notificationId: string;
      reason: StoreReversalReason;
      transaction: VerifiedStoreTransaction;
      revocationReason: number | null;
      revokedAt: Date;
    }
  /** A notification that does not concern coins (TEST, subscriptions, products not in APPLE_PRODUCTS…). */
  | { kind: 'ignored'; notificationId: string; notificationType: string; subtype: string | null };

/**
 * The App Store, seen from the server: signed data verified against Apple's root certificates, and transactions
 * fetched from the App Store Server API. Nothing here touches the database; the facts it returns are safe to
 * credit. Failures are DomainErrors: INVALID_PARAMS (not signed by Apple for this app, wrong environment, unknown
 * transaction, not a coin product), UPSTREAM_FAILED (Apple unreachable, a revocation check that could not be made;
 * worth a retry), FORBIDDEN (App Store purchases or the Server API are not configured).
 */
export abstract class AppStorePurchases {
  /** False when APPLE_BUNDLE_ID is unset: every method throws FORBIDDEN. */
  abstract readonly configured: boolean;

  /** A StoreKit 2 signed transaction (`Transaction.jwsRepresentation`). */
  abstract verifySignedTransaction(jws: string): Promise<VerifiedStoreTransaction>;

  /**
   * A legacy base64 receipt (the app receipt, or an iOS 6 transaction receipt): its transaction id (ReceiptUtility)
   * leads to the customer's history in the App Store Server API. Only coin products come back, revoked ones
   * included (with `revokedAt`); an empty list when the receipt holds no in-app purchase.
   */
  abstract transactionsFromReceipt(receipt: string): Promise<VerifiedStoreTransaction[]>;

  /** One transaction by id, from the App Store Server API (never from what the client says about it). */
  abstract lookUpTransaction(transactionId: string): Promise<VerifiedStoreTransaction>;

  /** The body's `signedPayload` of an App Store Server Notification V2. */
  abstract verifyNotification(signedPayload: string): Promise<StoreNotification>;
}

/** APPLE_BUNDLE_ID unset: the server sells no coins through the App Store. */
export class UnconfiguredAppStorePurchases extends AppStorePurchases {
  readonly configured = false;

  private refuse(): Promise<never> {
    return Promise.reject(new DomainError('FORBIDDEN', 'App Store purchases are not configured'));
  }
  verifySignedTransaction(): Promise<VerifiedStoreTransaction> {
    return this.refuse();
  }
  transactionsFromReceipt(): Promise<VerifiedStoreTransaction[]> {
    return this.refuse();
  }
  lookUpTransaction(): Promise<VerifiedStoreTransaction> {
    return this.refuse();
  }
  verifyNotification(): Promise<StoreNotification> {
    return this.refuse();
  }
}

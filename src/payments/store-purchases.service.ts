import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import {
  AppStorePurchases,
  type StoreNotification,
  type VerifiedStoreTransaction,
} from '#src/payments/app-store-purchases.js';
import { CoinPostings } from '#src/payments/coin-postings.js';
import { StorePurchasesRepository } from '#src/payments/store-purchases.repository.js';

/** What a client offers as proof of App Store purchases (nuzzle's `/pay/verify`, see docs/dialects/nuzzle.md). */
export interface StorePurchaseEvidence {
  /** A legacy base64 receipt (`receipt-data`). */
  receipt?: string;
  /** StoreKit 2 signed transactions (`sign`). */
  signedTransactions?: string[];
  /** Transaction ids to look up at Apple (`recharge[].transactionId`). */
  transactionIds?: string[];
}

export type SkippedStorePurchase = { transactionId: string; reason: 'other-account' | 'revoked' };

export interface StorePurchaseClaims {
  /** Credited to the caller by this call. */
  credited: VerifiedStoreTransaction[];
  /** Credited to the caller before (a retry, or a receipt that still lists it). */
  alreadyCredited: VerifiedStoreTransaction[];
  /** Receipt transactions left alone: another account's, or refunded/revoked by Apple. */
  skipped: SkippedStorePurchase[];
}

export type StoreNotificationOutcome =
  /** A claimed purchase was revoked now and its reversal posted. */
  | { kind: 'reversed'; transactionId: string; userId: string; coins: number }
  /** Revoked before anyone claimed it: recorded, so it is never credited. */
  | { kind: 'revoked-unclaimed'; transactionId: string }
  /** Already revoked (Apple retries notifications): nothing more happened. */
  | { kind: 'duplicate'; transactionId: string }
  | { kind: 'ignored'; notificationType: string };

/** A request names a handful of purchases; more is not a client, and each one costs a call to Apple. */
const MAX_NAMED_TRANSACTIONS = 20;

/**
 * App Store coin purchases: verified facts from AppStorePurchases, claimed for one account and credited through
 * CoinPostings in the same transaction, and taken back when Apple notifies a refund or revocation.
 */
@Injectable()
export class StorePurchasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appStore: AppStorePurchases,
    private readonly purchases: StorePurchasesRepository,
    private readonly coins: CoinPostings,
    private readonly clock: Clock,
  ) {}

  /**
   * Verifies the evidence with Apple (before any transaction opens), then claims every coin transaction for
   * `userId` and credits the ones nobody claimed before, all in one transaction. A transaction named explicitly
   * (`signedTransactions`, `transactionIds`) that belongs to another account or was refunded refuses the whole
   * call with FORBIDDEN and credits nothing; receipt transactions in that state are skipped (a receipt lists every
   * purchase made on the device, whoever's account they went to).
   *
   * Throws INVALID_PARAMS (no evidence, too much, not signed by Apple, not a coin product), UPSTREAM_FAILED,
   * FORBIDDEN; and whatever CoinPostings throws.
   */
  async verifyAndCredit(userId: string, evidence: StorePurchaseEvidence): Promise<StorePurchaseClaims> {
    const signed = evidence.signedTransactions ?? [];
    const ids = evidence.transactionIds ?? [];
    if (!evidence.receipt && signed.length === 0 && ids.length === 0) {
      throw new DomainError('INVALID_PARAMS', 'no receipt, signed transaction or transaction id');
    }
    if (signed.length + ids.length > MAX_NAMED_TRANSACTIONS) {
      throw new DomainError('INVALID_PARAMS', 'too many transactions in one request');
    }

    const claims = new Map<string, { transaction: VerifiedStoreTransaction; explicit: boolean }>();
    if (evidence.receipt) {
      for (const transaction of await this.appStore.transactionsFromReceipt(evidence.receipt)) {
        claims.set(transaction.transactionId, { transaction, explicit: false });
      }
    }
    const named = [
      ...(await Promise.all(signed.map((jws) => this.appStore.verifySignedTransaction(jws)))),
      ...(await Promise.all([...new Set(ids)].map((id) => this.appStore.lookUpTransaction(id)))),
    ];
    for (const transaction of named) claims.set(transaction.transactionId, { transaction, explicit: true });

    const result: StorePurchaseClaims = { credited: [], alreadyCredited: [], skipped: [] };
    const pending: Array<{ transaction: VerifiedStoreTransaction; explicit: boolean }> = [];
    for (const claim of claims.values()) {
      if (claim.transaction.revokedAt === null) pending.push(claim);
      else if (claim.explicit) throw new DomainError('FORBIDDEN', 'the purchase was refunded or revoked');
      else result.skipped.push({ transactionId: claim.transaction.transactionId, reason: 'revoked' });
    }
    if (pending.length === 0) return result;

    // Claims insert in transaction-id order, so two requests sharing purchases queue instead of deadlocking.
    pending.sort((a, b) => (a.transaction.transactionId < b.transaction.transactionId ? -1 : 1));
    const now = this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const claimed: VerifiedStoreTransaction[] = [];
      for (const { transaction, explicit } of pending) {
        if (await this.purchases.insertClaim(em, userId, transaction, now)) {
          claimed.push(transaction);
          continue;
        }
        const owner = await this.purchases.findOwner(em, transaction.transactionId);
        const reason = owner?.revokedAt ? 'revoked' : owner?.userId === userId ? null : 'other-account';
        if (reason === null) {
          result.alreadyCredited.push(transaction);
        } else if (explicit) {
          throw new DomainError(
            'FORBIDDEN',
            reason === 'revoked'
              ? 'the purchase was refunded or revoked'
              : 'the purchase belongs to another account',
          );
        } else {
          result.skipped.push({ transactionId: transaction.transactionId, reason });
        }
      }
      // Every claim before the first credit: a request holds its purchases' rows before it locks the wallet, as a
      // refund notification does, so two requests sharing some purchases queue on those rows instead of each
      // holding what the other waits for.
      for (const transaction of claimed) {
        await this.coins.creditStorePurchase(
          {
            store: 'apple',
            transactionId: transaction.transactionId,
            originalTransactionId: transaction.originalTransactionId,
            productId: transaction.productId,
            coins: transaction.coins,
            purchaseDate: transaction.purchaseDate,
            environment: transaction.environment,
            userId,
          },
          em,
        );
        result.credited.push(transaction);
      }
    });
    return result;
  }

  /**
   * An App Store Server Notification V2 (`signedPayload`): REFUND and REVOKE of a coin purchase are recorded once
   * and, if someone was credited, reversed through CoinPostings in the same transaction; anything else is
   * acknowledged and ignored. Throws INVALID_PARAMS for a payload Apple did not sign for this app, UPSTREAM_FAILED
   * when a revocation check could not be made (Apple retries what is not answered 200).
   */
  async handleNotification(signedPayload: string): Promise<StoreNotificationOutcome> {
    const notification: StoreNotification = await this.appStore.verifyNotification(signedPayload);
    if (notification.kind === 'ignored')
      return { kind: 'ignored', notificationType: notification.notificationType };
    const { transaction, reason, revokedAt, notificationId } = notification;
    return this.dataSource.transaction(async (em): Promise<StoreNotificationOutcome> => {
      // Insert-first: if a claim is racing this, the insert waits for it and then the UPDATE below sees its row.
      if (
        await this.purchases.insertUnclaimedRevocation(em, transaction, reason, revokedAt, notificationId)
      ) {
        return { kind: 'revoked-unclaimed', transactionId: transaction.transactionId };
      }
      const revoked = await this.purchases.revoke(
        em,
        transaction.transactionId,
        reason,
        revokedAt,
        notificationId,
      );
      if (!revoked?.userId) return { kind: 'duplicate', transactionId: transaction.transactionId };
      await this.coins.reverseStorePurchase(
        {
          store: 'apple',
          transactionId: transaction.transactionId,
          originalTransactionId: transaction.originalTransactionId,
          productId: transaction.productId,
          // What was credited, even if APPLE_PRODUCTS changed since.
          coins: revoked.coins,
          reason,
          revocationReason: notification.revocationReason,
          revokedAt,
          environment: transaction.environment,
          userId: revoked.userId,
          notificationId,
        },
        em,
      );
      return {
        kind: 'reversed',
        transactionId: transaction.transactionId,
        userId: revoked.userId,
        coins: revoked.coins,
      };
    });
  }
}

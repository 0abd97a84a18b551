import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CoinsService } from '#src/coins/coins.service.js';
import {
  CoinPostings,
  type PaidRefill,
  type StorePurchaseCredit,
  type StorePurchaseReversal,
} from '#src/payments/coin-postings.js';

/**
 * The payments area's facts as ledger postings, on the transaction that records each fact (so the fact and its
 * posting commit together or not at all). One posting per fact, idempotent by the store's own id:
 * `top_up:app_store:<Apple transactionId>`, `reversal:app_store:<Apple transactionId>`,
 * `top_up:alipay:<refill order id>` (or `top_up:promotions:<order id>` for the local provider). No network call
 * happens here.
 */
@Injectable()
export class LedgerCoinPostings extends CoinPostings {
  constructor(private readonly coins: CoinsService) {
    super();
  }

  async creditStorePurchase(fact: StorePurchaseCredit, em: EntityManager): Promise<void> {
    await this.coins.topUp(
      {
        userId: fact.userId,
        source: 'app_store',
        transactionId: fact.transactionId,
        amount: fact.coins,
        detail: {
          productId: fact.productId,
          originalTransactionId: fact.originalTransactionId,
          environment: fact.environment,
          purchaseDate: fact.purchaseDate.toISOString(),
        },
      },
      em,
    );
  }

  /** Reverses what the top-up credited (its own amount); a debt records what the wallet no longer covers. */
  async reverseStorePurchase(fact: StorePurchaseReversal, em: EntityManager): Promise<void> {
    await this.coins.reverseTopUp(
      {
        source: 'app_store',
        transactionId: fact.transactionId,
        reason: fact.reason,
        detail: {
          productId: fact.productId,
          notificationId: fact.notificationId,
          revocationReason: fact.revocationReason,
          revokedAt: fact.revokedAt.toISOString(),
          environment: fact.environment,
        },
      },
      em,
    );
  }

  async creditPaidRefill(fact: PaidRefill, em: EntityManager): Promise<void> {
    await this.coins.topUp(
      {
        userId: fact.userId,
        source: fact.provider === 'alipay' ? 'alipay' : 'promotions',
        transactionId: fact.orderId,
        amount: fact.coins,
        detail: {
          provider: fact.provider,
          outTradeNo: fact.outTradeNo,
          tradeNo: fact.tradeNo,
          amountFen: fact.amountFen,
        },
      },
      em,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { StorePurchasesService } from '#src/payments/store-purchases.service.js';

export interface AppleTopUpRequest {
  /** A legacy base64 receipt. */
  receipt?: string;
  /** StoreKit 2 signed transactions. */
  signedTransactions?: string[];
  /** Transactions the app asks to have credited, each for the account it names (if it names one). */
  recharge?: Array<{ transactionId: string; userId?: string }>;
}

export interface AppleTopUpResult {
  /** The caller's coin balance after crediting. */
  balance: number;
  /** The transactions of this request now credited to the caller (now or before), for the app to finish. */
  transactionIds: string[];
}

/** App Store coins for the signed-in account (nuzzle `/pay/verify`): verified, credited once, then the balance. */
@Injectable()
export class AppleTopUpsService {
  constructor(
    private readonly purchases: StorePurchasesService,
    private readonly coins: CoinsService,
  ) {}

  /**
   * Credits every coin purchase the evidence proves to `userId`, at most once each (see
   * StorePurchasesService.verifyAndCredit for what is refused). FORBIDDEN also when a recharge entry names
   * another account: coins only ever go to the signed-in one.
   */
  async verify(userId: string, request: AppleTopUpRequest): Promise<AppleTopUpResult> {
    const recharge = request.recharge ?? [];
    if (recharge.some((r) => r.userId !== undefined && r.userId !== userId)) {
      throw new DomainError('FORBIDDEN', 'coins can only be credited to the signed-in account');
    }
    const claims = await this.purchases.verifyAndCredit(userId, {
      receipt: request.receipt,
      signedTransactions: request.signedTransactions,
      transactionIds: recharge.map((r) => r.transactionId),
    });
    const transactionIds = [...claims.credited, ...claims.alreadyCredited].map((t) => t.transactionId);
    return { balance: await this.coins.balance(userId), transactionIds: [...new Set(transactionIds)] };
  }
}

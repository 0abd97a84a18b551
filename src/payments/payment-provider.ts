import { DomainError } from '#src/common/errors/domain-error.js';

export type PaymentProviderName = 'none' | 'local' | 'alipay';

export interface RefillPaymentRequest {
  /** Our order number, as the provider will quote it back. */
  outTradeNo: string;
  amountFen: number;
  subject: string;
}

/** How a payment starts: paid at once (local), or waiting for the user to pay in the provider's app. */
export type PaymentStart =
  | { status: 'paid'; tradeNo: string }
  | { status: 'pending'; payment: { provider: 'alipay'; orderString: string } };

/** A provider's asynchronous notification, once its signature and merchant are checked. */
export interface PaymentNotice {
  outTradeNo: string;
  tradeNo: string;
  totalAmountFen: number;
  /** paid: TRADE_SUCCESS / TRADE_FINISHED; closed: TRADE_CLOSED; waiting: WAIT_BUYER_PAY. */
  status: 'paid' | 'closed' | 'waiting';
}

export type NoticeRefusal =
  'signature' | 'sign_type' | 'app_id' | 'seller_id' | 'malformed' | 'trade_status' | 'not_supported';

export type NoticeVerdict = { ok: true; notice: PaymentNotice } | { ok: false; reason: NoticeRefusal };

/** Takes money for coin refills (mrpyq `refill=1`); chosen by PAYMENT_PROVIDER. */
export abstract class PaymentProvider {
  abstract readonly name: PaymentProviderName;
  /** False: refill is refused (PAYMENT_PROVIDER=none, the production default without a real provider). */
  abstract readonly available: boolean;
  /** No network call happens in a transaction: callers commit the order first. */
  abstract startPayment(request: RefillPaymentRequest): Promise<PaymentStart>;
  /** Checks an asynchronous notification (form fields as received). */
  abstract verifyNotification(params: Record<string, string>): NoticeVerdict;
}

/**
 * Development and tests: the order is paid the moment it is created. Config refuses PAYMENT_PROVIDER=local in
 * production, and PaymentsModule never builds it there.
 */
export class LocalPaymentProvider extends PaymentProvider {
  readonly name = 'local';
  readonly available = true;

  startPayment(request: RefillPaymentRequest): Promise<PaymentStart> {
    return Promise.resolve({ status: 'paid', tradeNo: `local-${request.outTradeNo}` });
  }

  verifyNotification(): NoticeVerdict {
    return { ok: false, reason: 'not_supported' };
  }
}

/** No provider: every refill is refused with FORBIDDEN. */
export class DisabledPaymentProvider extends PaymentProvider {
  readonly name = 'none';
  readonly available = false;

  startPayment(): Promise<PaymentStart> {
    return Promise.reject(new DomainError('FORBIDDEN', 'refill is not available on this server'));
  }

  verifyNotification(): NoticeVerdict {
    return { ok: false, reason: 'not_supported' };
  }
}

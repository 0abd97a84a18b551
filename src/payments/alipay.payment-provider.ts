import { AlipaySdk } from 'alipay-sdk';
import type { AppConfig } from '#src/config/app-config.js';
import {
  type NoticeVerdict,
  PaymentProvider,
  type PaymentStart,
  type RefillPaymentRequest,
} from '#src/payments/payment-provider.js';
import { fenToYuan, yuanToFen } from '#src/payments/payments-config.js';

type AlipayConfig = NonNullable<AppConfig['payments']['refill']['alipay']>;

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * Alipay app payment (`alipay.trade.app.pay`, OpenAPI v2 with RSA2) through `alipay-sdk` v4, in public-key mode
 * (not certificate mode). Creating a payment is local work: the SDK signs an order string with the app's private
 * key, which the mobile app hands to Alipay's SDK; Alipay then reports the result to the notify URL, signed with
 * Alipay's key. Only that notification marks an order paid.
 */
export class AlipayPaymentProvider extends PaymentProvider {
  readonly name = 'alipay';
  readonly available = true;
  private readonly sdk: AlipaySdk;

  constructor(private readonly config: AlipayConfig) {
    super();
    this.sdk = new AlipaySdk({
      appId: config.appId,
      // Normalized to PKCS#8 PEM by the config, whatever form it was given in.
      privateKey: config.privateKey,
      keyType: 'PKCS8',
      alipayPublicKey: config.alipayPublicKey,
      signType: 'RSA2',
    });
  }

  startPayment(request: RefillPaymentRequest): Promise<PaymentStart> {
    const orderString = this.sdk.sdkExecute('alipay.trade.app.pay', {
      notify_url: this.config.notifyUrl,
      bizContent: {
        out_trade_no: request.outTradeNo,
        total_amount: fenToYuan(request.amountFen),
        subject: request.subject,
        product_code: 'QUICK_MSECURITY_PAY',
        // Alipay closes an unpaid trade after this long (whole minutes, at least one).
        timeout_express: `${Math.max(1, Math.round(this.config.orderTimeoutMs / 60_000))}m`,
      },
    });
    return Promise.resolve({ status: 'pending', payment: { provider: 'alipay', orderString } });
  }

  /**
   * The notification's RSA2 signature over every other field (checkNotifySignV2: the values as received, since
   * the body parser already URL-decoded them once), then the fields that tie it to this merchant. The amount and
   * order are checked against the stored order by the caller.
   */
  verifyNotification(params: Record<string, string>): NoticeVerdict {
    // RSA (SHA-1) is legacy and this app signs with RSA2; Alipay signs notifications with the app's sign type.
    if (params.sign_type !== undefined && params.sign_type !== 'RSA2')
      return { ok: false, reason: 'sign_type' };
    if (!params.sign || !this.sdk.checkNotifySignV2(params)) return { ok: false, reason: 'signature' };
    if (params.app_id !== this.config.appId) return { ok: false, reason: 'app_id' };
    if (this.config.sellerId && params.seller_id !== this.config.sellerId)
      return { ok: false, reason: 'seller_id' };
    const totalAmountFen = yuanToFen(params.total_amount ?? '');
    if (!params.out_trade_no || !params.trade_no || totalAmountFen === undefined) {
      return { ok: false, reason: 'malformed' };
    }
    const tradeStatus = params.trade_status ?? '';
    const status = PAID.has(tradeStatus)
      ? 'paid'
      : tradeStatus === 'TRADE_CLOSED'
        ? 'closed'
        : tradeStatus === 'WAIT_BUYER_PAY'
          ? 'waiting'
          : null;
    if (status === null) return { ok: false, reason: 'trade_status' };
    return {
      ok: true,
      notice: { outTradeNo: params.out_trade_no, tradeNo: params.trade_no, totalAmountFen, status },
    };
  }
}

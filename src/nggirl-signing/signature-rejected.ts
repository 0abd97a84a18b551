import { TransportFailure } from '#src/common/errors/transport-failure.js';
import type { LocalizedText } from '#src/dialects/dialect.js';

/** Why a request's signature was refused. Each is nggirl code 8, with a message that says which. */
export const SIGNATURE_REJECTION_REASONS = [
  /** `app_id` names no configured app. */
  'unknown_app',
  /** `app_id`, `timestamp`, `nonce` or `sign` is absent or empty. */
  'missing_parameter',
  /** One of them is given twice, or `timestamp` is not Unix seconds, or `nonce` is not 1–64 printable characters. */
  'invalid_parameter',
  /** `sign` is not the HMAC of the request under the app's secret. */
  'bad_signature',
  /** `timestamp` is more than the window behind the server's clock. */
  'stale_timestamp',
  /** `timestamp` is more than the window ahead of the server's clock. */
  'future_timestamp',
  /** This app already used this `nonce` within the window: a replay. */
  'reused_nonce',
] as const;

export type SignatureRejectionReason = (typeof SIGNATURE_REJECTION_REASONS)[number];

/** Readable explanations, for the failure's message in the client's language. Never the expected signature. */
export const SIGNATURE_REJECTION_TEXT: Record<SignatureRejectionReason, LocalizedText> = {
  unknown_app: { zh: '未知的应用 app_id', en: 'unknown app_id' },
  missing_parameter: { zh: '缺少签名参数', en: 'a signing parameter is missing' },
  invalid_parameter: { zh: '签名参数格式错误', en: 'a signing parameter is malformed' },
  bad_signature: { zh: '签名错误', en: 'the signature does not match' },
  stale_timestamp: { zh: '请求时间戳已过期', en: 'the timestamp is too old' },
  future_timestamp: { zh: '请求时间戳超前于服务器时间', en: 'the timestamp is ahead of the server clock' },
  reused_nonce: { zh: '请求已被使用（nonce 重复）', en: 'this nonce was already used' },
};

/**
 * A request whose signature is refused. Not a DomainError: signing belongs to the transport, and the pipeline maps
 * this to nggirl code 8 itself. `parameter` names the parameter at fault where there is one.
 */
export class SignatureRejected extends Error {
  override name = 'SignatureRejected';

  constructor(
    readonly reason: SignatureRejectionReason,
    readonly parameter?: string,
  ) {
    const text = SIGNATURE_REJECTION_TEXT[reason].en;
    super(parameter ? `${text}: ${parameter}` : text);
  }

  /** What the client may be told, in both languages (the parameter at fault included). */
  get text(): LocalizedText {
    const { zh, en } = SIGNATURE_REJECTION_TEXT[this.reason];
    return this.parameter ? { zh: `${zh}: ${this.parameter}`, en: `${en}: ${this.parameter}` } : { zh, en };
  }

  /** The message for a client, in its language. */
  describe(locale: 'zh' | 'en'): string {
    return this.text[locale];
  }

  /** The pipeline's form of this failure: BAD_SIGNATURE (nggirl code 8), saying which check failed. */
  toTransportFailure(): TransportFailure {
    return new TransportFailure('BAD_SIGNATURE', this.text, {
      reason: this.reason,
      parameter: this.parameter,
    });
  }
}

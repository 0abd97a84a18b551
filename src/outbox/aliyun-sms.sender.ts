import { createHmac, randomUUID } from 'node:crypto';
import type { AppConfig } from '#src/config/app-config.js';
import type { Clock } from '#src/common/time/clock.js';
import { SmsSender, type SmsMessage } from '#src/outbox/sms-sender.js';

/** RFC 3986 percent-encoding, as Aliyun's RPC signature (version 1.0) requires. */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Signs Aliyun RPC parameters: HMAC-SHA1 over `GET&%2F&<encoded sorted query>`, keyed by `secret&`. */
export function aliyunSignature(params: Record<string, string>, secret: string, method = 'GET'): string {
  const canonical = Object.keys(params)
    .sort()
    .map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key])}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Aliyun wants mainland numbers without the country code, and others as digits with it. */
function aliyunPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

/**
 * Aliyun SMS (Dysmsapi `SendSms`, API version 2017-05-25). Sign name and template come from config; the template
 * receives the message's parameters (`{"code":"123456"}` for verification codes).
 */
export class AliyunSmsSender extends SmsSender {
  readonly local = false;

  constructor(
    private readonly config: AppConfig['sms']['aliyun'],
    private readonly clock: Clock,
  ) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const params: Record<string, string> = {
      AccessKeyId: this.config.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: aliyunPhone(message.to),
      RegionId: this.config.regionId,
      SignName: this.config.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: this.config.templateCode,
      TemplateParam: JSON.stringify(message.params ?? {}),
      Timestamp: this.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const signature = aliyunSignature(params, this.config.accessKeySecret);
    const query = Object.entries({ Signature: signature, ...params })
      .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
      .join('&');
    const response = await fetch(`${this.config.endpoint}/?${query}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string };
    if (!response.ok || body.Code !== 'OK') {
      // The provider's code and message say why (quota, template, signature); never the phone number or the text.
      throw new Error(
        `Aliyun SendSms refused: HTTP ${response.status} ${body.Code ?? ''} ${body.Message ?? ''}`.trim(),
      );
    }
  }
}

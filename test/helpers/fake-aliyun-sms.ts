import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Aliyun's RPC percent-encoding, written again here on purpose: the fake must not trust the adapter's code. */
function encode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

const REQUIRED = [
  'AccessKeyId',
  'Action',
  'Format',
  'PhoneNumbers',
  'RegionId',
  'SignName',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'TemplateCode',
  'TemplateParam',
  'Timestamp',
  'Version',
] as const;

export interface ReceivedSms {
  params: Record<string, string>;
}

/**
 * A stand-in for dysmsapi.aliyuncs.com on 127.0.0.1: checks the signed GET the way Aliyun does (parameters,
 * timestamp format, nonce reuse, HMAC-SHA1 signature with `secret&`) and answers in Aliyun's JSON.
 */
export class FakeAliyunSms {
  readonly received: ReceivedSms[] = [];
  /** When set, every request is refused with this Aliyun error code. */
  refuseWith?: string;
  private readonly nonces = new Set<string>();
  private server!: Server;

  private constructor(
    readonly accessKeyId: string,
    readonly accessKeySecret: string,
  ) {}

  static async start(accessKeyId = 'LTAI-test-key', accessKeySecret = 'test-secret'): Promise<FakeAliyunSms> {
    const fake = new FakeAliyunSms(accessKeyId, accessKeySecret);
    fake.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(url.searchParams.entries());
      const answer = (status: number, body: Record<string, string>) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'fake-request', ...body }));
      };
      const error = fake.check(req.method ?? '', url.pathname, params);
      if (error) return answer(400, { Code: error, Message: error });
      if (fake.refuseWith) return answer(200, { Code: fake.refuseWith, Message: 'refused by the fake' });
      const { Signature: _signature, ...signed } = params;
      fake.received.push({ params: signed });
      return answer(200, { Code: 'OK', Message: 'OK', BizId: `biz-${fake.received.length}` });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: this.endpoint,
      ALIYUN_SMS_ACCESS_KEY_ID: this.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: this.accessKeySecret,
      ALIYUN_SMS_SIGN_NAME: '小马科技',
      ALIYUN_SMS_TEMPLATE_CODE: 'SMS_123456789',
      ...overrides,
    };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private check(method: string, path: string, params: Record<string, string>): string | undefined {
    if (method !== 'GET' || path !== '/') return 'InvalidAction.NotFound';
    for (const name of REQUIRED) if (!params[name]) return `MissingParameter.${name}`;
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') return 'InvalidVersion';
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0')
      return 'InvalidSignatureMethod';
    if (params.AccessKeyId !== this.accessKeyId) return 'InvalidAccessKeyId.NotFound';
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp)) return 'InvalidTimeStamp.Format';
    if (this.nonces.has(params.SignatureNonce)) return 'SignatureNonceUsed';
    this.nonces.add(params.SignatureNonce);
    const { Signature: signature, ...signed } = params;
    const canonical = Object.keys(signed)
      .sort()
      .map((k) => `${encode(k)}=${encode(signed[k])}`)
      .join('&');
    const expected = createHmac('sha1', `${this.accessKeySecret}&`)
      .update(`GET&${encode('/')}&${encode(canonical)}`)
      .digest('base64');
    return signature === expected ? undefined : 'SignatureDoesNotMatch';
  }
}

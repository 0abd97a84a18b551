import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlipayTrade {
  tradeNo: string;
  outTradeNo: string;
  totalAmount: string;
  subject: string;
  notifyUrl: string;
}

export interface NotifyOptions {
  /** Fields to change or add after the genuine ones are built, before signing. */
  fields?: Record<string, string>;
  /** Fields to drop before signing. */
  omit?: string[];
  /** Sign with this key instead of Alipay's (a forger's). */
  signWith?: KeyObject;
  /** Change these fields after signing (tampering in transit). */
  tamper?: Record<string, string>;
}

/** Alipay's rule for both directions: sorted `key=value` pairs joined by `&`, empty values left out. */
function signContent(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

const beijingTime = (date: Date) =>
  new Date(date.getTime() + 8 * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');

/**
 * A stand-in for Alipay on 127.0.0.1, written from Alipay's documentation rather than from alipay-sdk: its gateway
 * takes the order string an app hands to Alipay's mobile SDK and checks it as Alipay does (required parameters,
 * the app's RSA2 signature with the public key registered for the app, the business content), opens a trade, and
 * then posts the asynchronous notification to the order's notify_url, form-encoded and RSA2-signed with Alipay's
 * own key, recording the merchant's answer.
 */
export class FakeAlipay {
  readonly trades = new Map<string, AlipayTrade>();
  /** Every notification posted, with the merchant's answer body. */
  readonly answers: string[] = [];
  readonly alipayPublicKeyPem: string;
  private readonly alipayPrivateKey: KeyObject;
  private server!: Server;

  private constructor(
    readonly appId: string,
    readonly sellerId: string,
    private readonly appPublicKey: KeyObject,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.alipayPrivateKey = privateKey;
    // As Alipay's console shows it: bare base64 of the SPKI DER.
    this.alipayPublicKeyPem = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  static async start(options: {
    appId: string;
    sellerId: string;
    appPublicKey: KeyObject;
  }): Promise<FakeAlipay> {
    const fake = new FakeAlipay(options.appId, options.sellerId, options.appPublicKey);
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (body: object) => {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'POST' || !req.url?.startsWith('/gateway.do')) {
          return answer({ code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' });
        }
        const result = fake.openTrade(Buffer.concat(chunks).toString('utf8'));
        if ('error' in result)
          return answer({ code: '40002', msg: 'Invalid Arguments', sub_code: result.error });
        return answer({
          code: '10000',
          msg: 'Success',
          trade_no: result.tradeNo,
          out_trade_no: result.outTradeNo,
          total_amount: result.totalAmount,
        });
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get gateway(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/gateway.do`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * What the user's Alipay app does with the order string: submit it to the gateway (which checks it and opens
   * the trade), pay, and let Alipay notify the merchant. Returns the trade and the merchant's answer.
   */
  async pay(orderString: string): Promise<{ trade: AlipayTrade; answer: string }> {
    const response = await fetch(this.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: orderString,
    });
    const body = (await response.json()) as { code: string; sub_code?: string; trade_no?: string };
    if (body.code !== '10000') throw new Error(`Alipay refused the order: ${body.sub_code}`);
    const trade = this.trades.get(body.trade_no!)!;
    return { trade, answer: await this.notify(trade) };
  }

  /** Posts an asynchronous notification about `trade` (genuine unless options forge it); the merchant's answer. */
  async notify(trade: AlipayTrade, status = 'TRADE_SUCCESS', options: NotifyOptions = {}): Promise<string> {
    const now = new Date();
    const fields: Record<string, string> = {
      notify_time: beijingTime(now),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      app_id: this.appId,
      auth_app_id: this.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: '2088102177846880',
      buyer_logon_id: '159****5620',
      seller_id: this.sellerId,
      seller_email: 'merchant@example.com',
      trade_status: status,
      total_amount: trade.totalAmount,
      receipt_amount: trade.totalAmount,
      invoice_amount: trade.totalAmount,
      buyer_pay_amount: trade.totalAmount,
      point_amount: '0.00',
      subject: trade.subject,
      gmt_create: beijingTime(new Date(now.getTime() - 30_000)),
      gmt_payment: beijingTime(now),
      fund_bill_list: JSON.stringify([{ amount: trade.totalAmount, fundChannel: 'ALIPAYACCOUNT' }]),
      ...options.fields,
    };
    for (const key of options.omit ?? []) delete fields[key];
    // Notifications are signed over every field but sign and sign_type.
    fields.sign = createSign('RSA-SHA256')
      .update(signContent(fields, ['sign', 'sign_type']), 'utf8')
      .sign(options.signWith ?? this.alipayPrivateKey, 'base64');
    Object.assign(fields, options.tamper);
    const response = await fetch(trade.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields).toString(),
    });
    const answer = await response.text();
    this.answers.push(answer);
    return answer;
  }

  private openTrade(body: string): AlipayTrade | { error: string } {
    const params: Record<string, string> = {};
    for (const pair of body.split('&')) {
      const at = pair.indexOf('=');
      if (at < 0) return { error: 'isv.invalid-parameter' };
      params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    }
    for (const name of [
      'app_id',
      'method',
      'charset',
      'sign_type',
      'sign',
      'timestamp',
      'version',
      'biz_content',
    ]) {
      if (!params[name]) return { error: `isv.missing-${name.replace(/_/g, '-')}` };
    }
    if (params.app_id !== this.appId) return { error: 'isv.invalid-app-id' };
    if (params.method !== 'alipay.trade.app.pay') return { error: 'isv.invalid-method' };
    if (params.sign_type !== 'RSA2') return { error: 'isv.invalid-signature-type' };
    if (params.charset !== 'utf-8' || params.version !== '1.0') return { error: 'isv.invalid-parameter' };
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(params.timestamp)) return { error: 'isv.invalid-timestamp' };
    // Requests are signed over every parameter but sign (sign_type included).
    const signed = createVerify('RSA-SHA256')
      .update(signContent(params, ['sign']), 'utf8')
      .verify(this.appPublicKey, params.sign, 'base64');
    if (!signed) return { error: 'isv.invalid-signature' };
    let biz: Record<string, string | undefined>;
    try {
      biz = JSON.parse(params.biz_content) as Record<string, string | undefined>;
    } catch {
      return { error: 'isv.invalid-parameter' };
    }
    const outTradeNo = biz.out_trade_no ?? '';
    const totalAmount = biz.total_amount ?? '';
    if (!/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return { error: 'isv.invalid-out-trade-no' };
    if (!/^\d{1,9}\.\d{2}$/.test(totalAmount) || Number(totalAmount) < 0.01)
      return { error: 'isv.invalid-amount' };
    if (!biz.subject || biz.product_code !== 'QUICK_MSECURITY_PAY') return { error: 'isv.invalid-parameter' };
    if (!params.notify_url) return { error: 'isv.missing-notify-url' };
    const existing = [...this.trades.values()].find((t) => t.outTradeNo === outTradeNo);
    if (existing) {
      // A repeated order string is the same trade; another amount under one order number is refused.
      return existing.totalAmount === totalAmount ? existing : { error: 'ACQ.CONTEXT_INCONSISTENT' };
    }
    const trade: AlipayTrade = {
      tradeNo: `2026${Date.now()}${randomBytes(3).toString('hex')}`.replace(/[a-f]/g, (c) =>
        String(c.charCodeAt(0) % 10),
      ),
      outTradeNo,
      totalAmount,
      subject: biz.subject,
      notifyUrl: params.notify_url,
    };
    this.trades.set(trade.tradeNo, trade);
    return trade;
  }
}

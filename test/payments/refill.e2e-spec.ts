import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AlipayPaymentProvider } from '#src/payments/alipay.payment-provider.js';
import { RefillService } from '#src/payments/refill.service.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { FakeAlipay } from '#test/payments/fake-alipay.js';
import { createPaymentsHarness, type PaymentsHarness } from '#test/payments/payments-harness.js';
import { freePort } from '#test/helpers/processes.js';

const APP_ID = '2021000123456789';
const SELLER_ID = '2088102177000001';

const orderStatus = async (h: PaymentsHarness, orderId: string) =>
  (
    await h.db.query<Array<{ status: string; tradeNo: string | null }>>(
      `SELECT status, trade_no AS "tradeNo" FROM refill_orders WHERE id = $1`,
      [orderId],
    )
  )[0];

describe(`${RefillService.name} with Alipay`, () => {
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // As Alipay's key tool hands it out for non-Java servers: PKCS#1 PEM.
  const appPrivateKey = appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  let alipay: FakeAlipay;
  let h: PaymentsHarness;
  let sut: RefillService;

  beforeAll(async () => {
    alipay = await FakeAlipay.start({ appId: APP_ID, sellerId: SELLER_ID, appPublicKey: appKeys.publicKey });
    const port = await freePort();
    h = await createPaymentsHarness({
      port,
      env: {
        PAYMENT_PROVIDER: 'alipay',
        MRPYQ_REFILL_PACKAGES: '10:100,50:550,100:1200',
        ALIPAY_APP_ID: APP_ID,
        ALIPAY_PRIVATE_KEY: appPrivateKey,
        ALIPAY_PUBLIC_KEY: alipay.alipayPublicKeyPem,
        ALIPAY_SELLER_ID: SELLER_ID,
        ALIPAY_NOTIFY_URL: `http://127.0.0.1:${port}/payments/alipay/notify`,
      },
    });
    sut = h.app.get(RefillService);
  });
  afterAll(async () => {
    await h?.close();
    await alipay?.close();
  });

  it('should create an order and answer the signed order string the app pays with', async () => {
    const user = await h.createUser();
    const started = await sut.startRefill(user, '50元');
    expect(started).toEqual({
      orderId: expect.stringMatching(/^\d+$/),
      outTradeNo: expect.stringMatching(/^R\d{14}[0-9a-f]{16}$/),
      status: 'pending',
      amountFen: 5000,
      coins: 550,
      payment: { provider: 'alipay', orderString: expect.any(String) },
    });
    const params = new URLSearchParams(started.payment!.orderString);
    expect(params.get('method')).toBe('alipay.trade.app.pay');
    expect(params.get('notify_url')).toBe(h.config.payments.refill.alipay!.notifyUrl);
    expect(JSON.parse(params.get('biz_content')!)).toEqual({
      out_trade_no: started.outTradeNo,
      total_amount: '50.00',
      subject: '金币充值',
      product_code: 'QUICK_MSECURITY_PAY',
      timeout_express: '30m',
    });
    expect(await orderStatus(h, started.orderId)).toEqual({ status: 'created', tradeNo: null });
    expect(await h.postingsOf(user)).toEqual([]);
  });

  it('should credit the order once Alipay’s signed notification says it is paid, answering success', async () => {
    const user = await h.createUser();
    const started = await sut.startRefill(user, '10');
    const { trade, answer } = await alipay.pay(started.payment!.orderString);
    expect(answer).toBe('success');
    expect(await orderStatus(h, started.orderId)).toEqual({ status: 'paid', tradeNo: trade.tradeNo });
    expect(await h.postingsOf(user)).toEqual([
      { key: `refill:${started.orderId}`, kind: 'refill-alipay', coins: 100 },
    ]);
  });

  it('should answer a repeated notification success without a second credit, TRADE_FINISHED included', async () => {
    const user = await h.createUser();
    const started = await sut.startRefill(user, '100');
    const { trade } = await alipay.pay(started.payment!.orderString);
    expect(await alipay.notify(trade)).toBe('success');
    expect(await alipay.notify(trade, 'TRADE_FINISHED')).toBe('success');
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => alipay.notify(trade)));
    expect(concurrent).toEqual(Array(10).fill('success'));
    expect(await h.postingsOf(user)).toEqual([
      { key: `refill:${started.orderId}`, kind: 'refill-alipay', coins: 1200 },
    ]);
  });

  it('should credit once when the first notifications arrive all at once', async () => {
    const user = await h.createUser();
    const { trade, started } = await openTradeUnpaid(user);
    const answers = await Promise.all(Array.from({ length: 10 }, () => alipay.notify(trade)));
    expect(answers).toEqual(Array(10).fill('success'));
    expect(await h.postingsOf(user)).toHaveLength(1);
    expect((await orderStatus(h, started.orderId)).status).toBe('paid');
  });

  /** Opens the trade at the gateway without letting the fake send its first notification. */
  async function openTradeUnpaid(user: string, money = '10') {
    const started = await sut.startRefill(user, money);
    const res = await fetch(alipay.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: started.payment!.orderString,
    });
    const body = (await res.json()) as { code: string; trade_no: string };
    expect(body.code).toBe('10000');
    return { started, trade: alipay.trades.get(body.trade_no)! };
  }

  it.each([
    ['signed with a key that is not Alipay’s', 'signature', { signWith: forger.privateKey }],
    ['with a field changed after signing', 'signature', { tamper: { total_amount: '0.01' } }],
    ['without a signature', 'signature', { tamper: { sign: '' } }],
    ['signed with the legacy RSA (SHA-1) type', 'sign_type', { tamper: { sign_type: 'RSA' } }],
    ['for another amount (signed by Alipay)', 'amount', { fields: { total_amount: '1.00' } }],
    ['for another app (signed by Alipay)', 'app_id', { fields: { app_id: '2021000999999999' } }],
    ['for another seller (signed by Alipay)', 'seller_id', { fields: { seller_id: '2088000000000000' } }],
    [
      'for an order that does not exist (signed by Alipay)',
      'unknown_order',
      { fields: { out_trade_no: 'R20260101000000ffffffffffffffff' } },
    ],
    ['with a trade status Alipay does not send', 'trade_status', { fields: { trade_status: 'TRADE_PAID' } }],
  ])('should answer fail to a notification %s and credit nothing', async (_name, reason, options) => {
    const user = await h.createUser();
    const { trade, started } = await openTradeUnpaid(user);
    const logged = h.logs.length;
    expect(await alipay.notify(trade, 'TRADE_SUCCESS', options)).toBe('fail');
    expect(await h.postingsOf(user)).toEqual([]);
    expect(await orderStatus(h, started.orderId)).toEqual({ status: 'created', tradeNo: null });
    // Refused by the check the case is about, not by an earlier one.
    const refusals = h.logs.slice(logged).map((line) => JSON.parse(line) as { msg: string; reason?: string });
    expect(refusals.filter((l) => l.msg === 'Alipay notification refused').map((l) => l.reason)).toEqual([
      reason,
    ]);
  });

  it('should answer fail to a form that is not a notification at all', async () => {
    const res = await h.http
      .post('/payments/alipay/notify')
      .type('form')
      .send('out_trade_no=R1&trade_status=TRADE_SUCCESS&total_amount=10.00')
      .expect(200);
    expect(res.text).toBe('fail');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const json = await h.http
      .post('/payments/alipay/notify')
      .send({ sign: ['a', 'b'] })
      .expect(200);
    expect(json.text).toBe('fail');
  });

  it('should close an order Alipay closed unpaid, and still credit it if Alipay later reports it paid', async () => {
    const user = await h.createUser();
    const { trade, started } = await openTradeUnpaid(user);
    expect(await alipay.notify(trade, 'WAIT_BUYER_PAY')).toBe('success');
    expect((await orderStatus(h, started.orderId)).status).toBe('created');
    expect(await alipay.notify(trade, 'TRADE_CLOSED')).toBe('success');
    expect((await orderStatus(h, started.orderId)).status).toBe('closed');
    expect(await h.postingsOf(user)).toEqual([]);
    // Money taken is never ignored: a paid report wins over the close.
    expect(await alipay.notify(trade)).toBe('success');
    expect(await h.postingsOf(user)).toHaveLength(1);
  });

  it('should answer fail while the ledger fails, leaving the order unpaid, and credit Alipay’s retry', async () => {
    const user = await h.createUser();
    const { trade, started } = await openTradeUnpaid(user);
    h.postings.failNext = true;
    expect(await alipay.notify(trade)).toBe('fail');
    expect(await orderStatus(h, started.orderId)).toEqual({ status: 'created', tradeNo: null });
    expect(await h.postingsOf(user)).toEqual([]);
    expect(await alipay.notify(trade)).toBe('success');
    expect(await h.postingsOf(user)).toHaveLength(1);
  });

  it('should refuse a price that is not a package', async () => {
    const user = await h.createUser();
    for (const money of ['20', '10.001', '-10', '', 'ten']) {
      expect(await outcomeOf(sut.startRefill(user, money))).toBe('INVALID_PARAMS');
    }
    expect(await outcomeOf(sut.startRefill(user, '10.00'))).toBe('ok');
  });

  it('should have its order string refused by Alipay when signed with a key Alipay does not know', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const provider = new AlipayPaymentProvider({
      ...h.config.payments.refill.alipay!,
      privateKey: other.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const start = await provider.startPayment({ outTradeNo: 'R1', amountFen: 1000, subject: '金币充值' });
    if (start.status !== 'pending') throw new Error('expected a pending payment');
    await expect(alipay.pay(start.payment.orderString)).rejects.toThrow('isv.invalid-signature');
  });

  it('should keep keys and signatures out of the logs', () => {
    const logs = h.logs.join('\n');
    expect(logs).toContain('Alipay notification refused');
    expect(logs).not.toContain(appPrivateKey.split('\n')[1]);
    expect(logs).not.toMatch(/"sign"/);
  });

  it('should describe the packages from config', () => {
    expect(sut.available).toBe(true);
    expect(sut.packages()).toEqual([
      { yuan: '10', amountFen: 1000, coins: 100 },
      { yuan: '50', amountFen: 5000, coins: 550 },
      { yuan: '100', amountFen: 10000, coins: 1200 },
    ]);
  });
});

describe(`${RefillService.name} without a real provider`, () => {
  it('should credit at once with the local provider (outside production), once', async () => {
    const h = await createPaymentsHarness({ env: { PAYMENT_PROVIDER: 'local' } });
    try {
      const user = await h.createUser();
      const started = await h.app.get(RefillService).startRefill(user, '10');
      expect(started).toMatchObject({ status: 'paid', coins: 100, payment: null });
      expect(await orderStatus(h, started.orderId)).toEqual({
        status: 'paid',
        tradeNo: `local-${started.outTradeNo}`,
      });
      expect(await h.postingsOf(user)).toEqual([
        { key: `refill:${started.orderId}`, kind: 'refill-local', coins: 100 },
      ]);
      // No Alipay here: the notify route does not exist.
      await h.http.post('/payments/alipay/notify').type('form').send('a=b').expect(404);
    } finally {
      await h.close();
    }
  });

  it('should refuse refill (FORBIDDEN) and say so when no provider is configured, as production does', async () => {
    const h = await createPaymentsHarness({ env: { PAYMENT_PROVIDER: 'none' } });
    try {
      const sut = h.app.get(RefillService);
      expect(sut.available).toBe(false);
      const user = await h.createUser();
      expect(await outcomeOf(sut.startRefill(user, '10'))).toBe('FORBIDDEN');
      expect(await h.db.query(`SELECT 1 FROM refill_orders`)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

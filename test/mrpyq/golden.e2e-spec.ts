import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { IncomeService } from '#src/coins/income.service.js';
import { LiveGiftsService } from '#src/live/live-gifts.service.js';
import {
  MRPYQ_ENV,
  mrpyqPost,
  newPhone,
  registerMrpyqUser,
  type MrpyqTestUser,
} from '#test/helpers/mrpyq.js';
import { grantCoins } from '#test/helpers/coins.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { FakeAlipay } from '#test/payments/fake-alipay.js';

/** Makes every coin posting fail in the database (a real update failure), until the returned function undoes it. */
async function breakLedger(t: TestApp): Promise<() => Promise<void>> {
  await t.db.query(`ALTER TABLE coin_entries ADD CONSTRAINT mrpyq_test_broken CHECK (amount = 0) NOT VALID`);
  return async () => {
    await t.db.query(`ALTER TABLE coin_entries DROP CONSTRAINT mrpyq_test_broken`);
  };
}

describe('mrpyq gold coins: /golden', () => {
  let t: TestApp;
  let coins: CoinsService;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ...MRPYQ_ENV, PAYMENT_PROVIDER: 'local', COIN_GIFT_PLATFORM_SHARE: '30' },
    });
    coins = t.app.get(CoinsService);
  });
  afterAll(async () => {
    await t.close();
  });

  const grant = (user: MrpyqTestUser, amount: number) => grantCoins(t, user.id, amount);
  const gift = (from: MrpyqTestUser, form: Record<string, string>) =>
    mrpyqPost(t, '/golden', { token: from.token, send_gift: '1', ...form });

  describe('send_gift=1', () => {
    it('should move the coins to the anchor’s income in one posting, listed in the room and in the income', async () => {
      const fan = await registerMrpyqUser(t);
      const anchor = await registerMrpyqUser(t);
      await grant(fan, 100);
      // A gift before the room opened is income, but not the room's.
      expect(await gift(fan, { value: '20', object: anchor.phone, description: '鲜花' })).toEqual({
        result: '0000',
        message: null,
      });
      expect((await mrpyqPost(t, '/room', { token: anchor.token, live: '1' })).result).toBe('0000');

      expect((await gift(fan, { value: '10', object: anchor.phone, description: '火箭' })).result).toBe(
        '0000',
      );

      expect(await coins.balance(fan.id)).toBe(70);
      // 30% is the platform's share: 14 + 7 reach the anchor.
      expect(await t.app.get(IncomeService).incomeBalance(anchor.id)).toBe(21);
      const gifts = t.app.get(LiveGiftsService);
      const income = await gifts.giftsReceived(anchor.id, { size: 10 });
      expect(income.gifts.map((g) => [g.senderId, g.value, g.anchorAmount, g.description])).toEqual([
        [fan.id, 10, 7, '火箭'],
        [fan.id, 20, 14, '鲜花'],
      ]);
      const room = await gifts.giftsInCurrentRoom(anchor.id, { size: 10 });
      expect(room.roomId).toMatch(/^\d+$/);
      expect(room.gifts.map((g) => g.description)).toEqual(['火箭']);
    });

    it('should answer 0011 when the balance does not cover the gift, and move nothing', async () => {
      const fan = await registerMrpyqUser(t);
      const anchor = await registerMrpyqUser(t);
      expect(await gift(fan, { value: '1', object: anchor.phone, description: '' })).toEqual({
        result: '0011',
        message: '余额不足',
      });
      await grant(fan, 5);
      expect((await gift(fan, { value: '6', object: anchor.phone, description: '' })).result).toBe('0011');
      expect(await coins.balance(fan.id)).toBe(5);
    });

    it('should answer 0007 for an anchor with no account, and 0002 for a gift to oneself or a value that is not whole coins', async () => {
      const fan = await registerMrpyqUser(t);
      await grant(fan, 10);

      expect(await gift(fan, { value: '1', object: newPhone(), description: '' })).toEqual({
        result: '0007',
        message: '主播不存在',
      });
      expect((await gift(fan, { value: '1', object: 'someone', description: '' })).result).toBe('0007');
      expect(await gift(fan, { value: '1', object: fan.phone, description: '' })).toEqual({
        result: '0002',
        message: '不能给自己送礼物',
      });
      const anchor = await registerMrpyqUser(t);
      for (const value of ['0', '-1', '1.5', 'ten']) {
        expect((await gift(fan, { value, object: anchor.phone, description: '' })).result).toBe('0002');
      }
      expect(await coins.balance(fan.id)).toBe(10);
    });

    it('should answer 0013 when the database fails the update, and move nothing', async () => {
      const fan = await registerMrpyqUser(t);
      const anchor = await registerMrpyqUser(t);
      await grant(fan, 10);
      const repair = await breakLedger(t);
      try {
        expect(await gift(fan, { value: '1', object: anchor.phone, description: '' })).toEqual({
          result: '0013',
          message: 'update failed',
        });
      } finally {
        await repair();
      }
      expect(await coins.balance(fan.id)).toBe(10);
    });

    it('should let exactly as many of 50 simultaneous gifts through as the balance covers, and leave the ledger clean', async () => {
      const fan = await registerMrpyqUser(t);
      const anchor = await registerMrpyqUser(t);
      await grant(fan, 100);

      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          gift(fan, { value: '10', object: anchor.phone, description: `#${i}` }),
        ),
      );

      const results = answers.map((a) => a.result);
      expect(results.filter((r) => r === '0000')).toHaveLength(10);
      expect(results.filter((r) => r === '0011')).toHaveLength(40);
      expect(await coins.balance(fan.id)).toBe(0);
      expect(await t.app.get(IncomeService).incomeBalance(anchor.id)).toBe(70);
      expect((await t.app.get(LiveGiftsService).giftsReceived(anchor.id, { size: 100 })).gifts).toHaveLength(
        10,
      );
      const audit = await t.app.get(CoinsAuditService).run();
      expect(audit.ok).toBe(true);
    });
  });

  describe('refill=1', () => {
    it('should credit the package’s coins at once with the local provider', async () => {
      const user = await registerMrpyqUser(t);

      expect(await mrpyqPost(t, '/golden', { token: user.token, refill: '1', money: '10' })).toEqual({
        result: '0000',
        message: null,
      });

      expect(await coins.balance(user.id)).toBe(100);
    });

    it('should answer 0002 for an amount that is no package', async () => {
      const user = await registerMrpyqUser(t);
      expect(await mrpyqPost(t, '/golden', { token: user.token, refill: '1', money: '20' })).toEqual({
        result: '0002',
        message: '没有这个充值金额',
      });
    });

    it('should answer 0013 when the credit fails in the database, and credit nothing', async () => {
      const user = await registerMrpyqUser(t);
      const repair = await breakLedger(t);
      try {
        expect(await mrpyqPost(t, '/golden', { token: user.token, refill: '1', money: '50' })).toEqual({
          result: '0013',
          message: 'update failed',
        });
      } finally {
        await repair();
      }
      expect(await coins.balance(user.id)).toBe(0);
    });
  });
});

describe('mrpyq refill without a provider', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...MRPYQ_ENV, PAYMENT_PROVIDER: 'none' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should refuse refills with 0002', async () => {
    const user = await registerMrpyqUser(t);
    expect(await mrpyqPost(t, '/golden', { token: user.token, refill: '1', money: '10' })).toEqual({
      result: '0002',
      message: '暂不支持充值',
    });
  });
});

describe('mrpyq refill through Alipay', () => {
  const APP_ID = '2021000123456789';
  const SELLER_ID = '2088102177000001';
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let alipay: FakeAlipay;
  let t: TestApp;

  beforeAll(async () => {
    alipay = await FakeAlipay.start({ appId: APP_ID, sellerId: SELLER_ID, appPublicKey: appKeys.publicKey });
    t = await createTestApp({
      env: {
        ...MRPYQ_ENV,
        PAYMENT_PROVIDER: 'alipay',
        ALIPAY_APP_ID: APP_ID,
        ALIPAY_PRIVATE_KEY: appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        ALIPAY_PUBLIC_KEY: alipay.alipayPublicKeyPem,
        ALIPAY_SELLER_ID: SELLER_ID,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await alipay.close();
  });

  it('should answer the signed order string the app pays with, and credit nothing before Alipay says it is paid', async () => {
    const user = await registerMrpyqUser(t);

    const res = await mrpyqPost(t, '/golden', { token: user.token, refill: '1', money: '100' });

    expect(res.result).toBe('0000');
    const order = new URLSearchParams(res.message as string);
    expect(order.get('method')).toBe('alipay.trade.app.pay');
    expect(JSON.parse(order.get('biz_content')!)).toMatchObject({ total_amount: '100.00' });
    expect(await t.app.get(CoinsService).balance(user.id)).toBe(0);
  });
});

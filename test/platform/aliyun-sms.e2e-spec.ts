import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type CodeRequest, VerificationCodesService } from '#src/verification/verification-codes.service.js';
import { FakeAliyunSms } from '#test/helpers/fake-aliyun-sms.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

let phone = 13900000000;
const nextPhone = () => `+86${++phone}`;

describe('Aliyun SMS adapter', () => {
  let aliyun: FakeAliyunSms;

  beforeAll(async () => {
    aliyun = await FakeAliyunSms.start();
  });
  afterAll(async () => {
    await aliyun.close();
  });
  afterEach(() => {
    aliyun.refuseWith = undefined;
  });

  const sendCode = async (t: TestApp, to: string) => {
    const codes = t.app.get(VerificationCodesService);
    const request: CodeRequest = {
      channel: 'sms',
      recipient: to,
      purpose: 'register',
      ip: '198.51.100.20',
      message: (code, minutes) => ({ body: `您的验证码是${code}，${minutes}分钟内有效。` }),
    };
    await codes.throttle(request);
    const sent = await codes.sendThrottled(request);
    await t.flushOutbox();
    return sent;
  };

  const outboxRow = async (t: TestApp, to: string) =>
    (
      await t.db.query<
        Array<{ status: string; attempts: number; lastError: string | null; body: string; params: unknown }>
      >(
        `SELECT status, attempts, last_error AS "lastError", body, params FROM outbox_messages WHERE recipient = $1`,
        [to],
      )
    )[0];

  describe('with the right credentials', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: aliyun.env({ VERIFICATION_ECHO_CODE: 'true' }) });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should send a signed SendSms request with the sign name, template and code', async () => {
      const to = nextPhone();
      const { echo } = await sendCode(t, to);

      const request = aliyun.received.at(-1)!.params;
      expect(request).toMatchObject({
        Action: 'SendSms',
        Version: '2017-05-25',
        Format: 'JSON',
        RegionId: 'cn-hangzhou',
        PhoneNumbers: to.slice(3),
        SignName: '小马科技',
        TemplateCode: 'SMS_123456789',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
      });
      expect(JSON.parse(request.TemplateParam)).toEqual({ code: echo });
      // Delivered by the provider: the code's text does not stay in the database.
      expect(await outboxRow(t, to)).toEqual({
        status: 'sent',
        attempts: 1,
        lastError: null,
        body: '',
        params: null,
      });
    });

    it('should use a fresh nonce for every message', async () => {
      const before = aliyun.received.length;
      await sendCode(t, nextPhone());
      await sendCode(t, nextPhone());
      const nonces = aliyun.received.slice(before).map((r) => r.params.SignatureNonce);
      expect(new Set(nonces).size).toBe(2);
    });

    it('should keep a refused message for a later try, logging the provider code but not the phone', async () => {
      aliyun.refuseWith = 'isv.BUSINESS_LIMIT_CONTROL';
      const to = nextPhone();
      await sendCode(t, to);
      const row = await outboxRow(t, to);
      // Not delivered yet: kept whole for the next try.
      expect(row).toMatchObject({ status: 'pending', attempts: 1, body: expect.stringContaining('验证码') });
      expect(row.lastError).toContain('isv.BUSINESS_LIMIT_CONTROL');
      expect(row.lastError).not.toContain(to.slice(3));
      expect(t.logs.join('\n')).not.toContain(to.slice(3));
    });
  });

  describe('with a wrong secret', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: aliyun.env({ ALIYUN_SMS_ACCESS_KEY_SECRET: 'not-the-secret' }) });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should be refused by the signature check, so the fake would catch a malformed signature', async () => {
      const to = nextPhone();
      const before = aliyun.received.length;
      await sendCode(t, to);
      expect(aliyun.received.length).toBe(before);
      const row = await outboxRow(t, to);
      expect(row.status).toBe('pending');
      expect(row.lastError).toContain('SignatureDoesNotMatch');
    });
  });
});

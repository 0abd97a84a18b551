import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CodePurpose,
  type CodeRequest,
  type SentCode,
  VerificationCodesService,
} from '#src/verification/verification-codes.service.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const redisPrefix = `concord-e2e:${randomUUID()}:`;
const withRedis = await redisAnswers('the per-address code caps run in memory only, not in Redis');

let phone = 13800000000;
const nextPhone = () => `+86${++phone}`;

function request(recipient: string, overrides: Partial<CodeRequest> = {}): CodeRequest {
  return {
    channel: 'sms',
    recipient,
    purpose: 'register',
    ip: '198.51.100.1',
    message: (code, minutes) => ({ body: `您的验证码是${code}，${minutes}分钟内有效。` }),
    ...overrides,
  };
}

/** As the routes send a code: counted against the caps first, then sent. */
async function send(codes: VerificationCodesService, codeRequest: CodeRequest): Promise<SentCode> {
  await codes.throttle(codeRequest);
  return codes.sendThrottled(codeRequest);
}

describe(VerificationCodesService.name, () => {
  let t: TestApp;
  let sut: VerificationCodesService;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { VERIFICATION_ECHO_CODE: 'true' } });
    sut = t.app.get(VerificationCodesService);
  });
  afterAll(async () => {
    await t.close();
  });

  const consume = (recipient: string, code: string, purpose: CodePurpose = 'register', ip = '198.51.100.1') =>
    outcomeOf(sut.consume({ recipient, code, purpose, ip }));

  it('should send six CSPRNG digits through the outbox and store only an HMAC', async () => {
    const to = nextPhone();
    const sent = await send(sut, request(to));
    expect(sent.echo).toMatch(/^\d{6}$/);
    expect(sent.expiresAt.getTime()).toBe(clock.now().getTime() + 5 * 60_000);

    const rows = await t.db.query<Array<{ hmac: Buffer; channel: string }>>(
      `SELECT code_hmac AS hmac, channel FROM verification_codes WHERE recipient = $1`,
      [to],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].hmac).toHaveLength(32);
    expect(rows[0].hmac.toString('latin1')).not.toContain(sent.echo);
    const outbox = await t.db.query<Array<{ channel: string; body: string }>>(
      `SELECT channel, body FROM outbox_messages WHERE recipient = $1`,
      [to],
    );
    expect(outbox).toEqual([{ channel: 'sms', body: `您的验证码是${sent.echo}，5分钟内有效。` }]);
  });

  it('should honour the document’s length (mrpyq sends four digits)', async () => {
    const sent = await send(sut, request(nextPhone(), { length: 4 }));
    expect(sent.echo).toMatch(/^\d{4}$/);
  });

  it('should accept the right code once, and never again', async () => {
    const to = nextPhone();
    const { echo } = await send(sut, request(to));
    expect(await consume(to, echo!)).toBe('ok');
    expect(await consume(to, echo!)).toBe('CODE_EXPIRED');
  });

  it('should refuse a code of another purpose or recipient', async () => {
    const to = nextPhone();
    const { echo } = await send(sut, request(to, { purpose: 'register' }));
    expect(await consume(to, echo!, 'reset')).toBe('CODE_EXPIRED');
    expect(await consume(nextPhone(), echo!)).toBe('CODE_EXPIRED');
    expect(await consume(to, echo!, 'register')).toBe('ok');
  });

  it('should expire after VERIFICATION_CODE_TTL (5 min)', async () => {
    const to = nextPhone();
    const { echo } = await send(sut, request(to));
    clock.advance(5 * 60_000);
    expect(await consume(to, echo!)).toBe('CODE_EXPIRED');
  });

  it('should burn a code after five wrong tries, so that a later right try fails too', async () => {
    const to = nextPhone();
    const { echo } = await send(sut, request(to));
    const wrong = echo === '000000' ? '111111' : '000000';
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await consume(to, wrong));
    expect(outcomes).toEqual([
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_INVALID',
      'CODE_ATTEMPTS_EXCEEDED',
    ]);
    expect(await consume(to, echo!)).toBe('CODE_ATTEMPTS_EXCEEDED');
  });

  it('should replace the previous code of the same purpose', async () => {
    const to = nextPhone();
    const first = await send(sut, request(to));
    clock.advance(61_000);
    const second = await send(sut, request(to));
    if (first.echo !== second.echo) expect(await consume(to, first.echo!)).toBe('CODE_INVALID');
    expect(await consume(to, second.echo!)).toBe('ok');
  });

  it('should refuse a resend within 60 s, and allow it after', async () => {
    const to = nextPhone();
    await send(sut, request(to));
    clock.advance(59_000);
    expect(await outcomeOf(send(sut, request(to)))).toBe('RATE_LIMITED');
    expect(await outcomeOf(send(sut, request(to, { purpose: 'reset' })))).toBe('ok');
    clock.advance(2_000);
    expect(await outcomeOf(send(sut, request(to)))).toBe('ok');
  });

  it('should let only one of many simultaneous requests for a recipient through the cooldown', async () => {
    const to = nextPhone();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => outcomeOf(send(sut, request(to, { ip: `203.0.113.${100 + i}` })))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(9);
    const [{ n }] = await t.db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE recipient = $1`,
      [to],
    );
    expect(n).toBe(1);
    clock.advance(61_000);
  });

  it('should cap a recipient at 5 codes an hour and 10 a day', async () => {
    const to = nextPhone();
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await outcomeOf(send(sut, request(to, { ip: `203.0.113.${i}` }))));
      clock.advance(61_000);
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    clock.advance(3_600_000);
    for (let i = 0; i < 5; i++) {
      outcomes.push(await outcomeOf(send(sut, request(to, { ip: `203.0.114.${i}` }))));
      clock.advance(61_000);
    }
    expect(outcomes.slice(6)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    clock.advance(3_600_000);
    expect(await outcomeOf(send(sut, request(to, { ip: '203.0.115.1' })))).toBe('RATE_LIMITED');
    clock.advance(24 * 3_600_000);
    expect(await outcomeOf(send(sut, request(to, { ip: '203.0.115.2' })))).toBe('ok');
  });

  it('should not echo the code when VERIFICATION_ECHO_CODE is off', async () => {
    const quiet = await createTestApp({ env: { VERIFICATION_ECHO_CODE: 'false' } });
    try {
      const sent = await send(quiet.app.get(VerificationCodesService), request(nextPhone()));
      expect(sent).not.toHaveProperty('echo');
    } finally {
      await quiet.close();
    }
  });
});

// The per-address caps are counters: once in memory, once in Redis (as several instances would share them).
describe.each<{ label: string; env: Record<string, string> }>([
  { label: 'in memory', env: {} },
  ...(withRedis
    ? [{ label: 'in Redis', env: { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix } }]
    : []),
])('verification codes per address, counters $label', ({ env }) => {
  let t: TestApp;
  let sut: VerificationCodesService;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { VERIFICATION_ECHO_CODE: 'true', ...env } });
    sut = t.app.get(VerificationCodesService);
  });
  afterAll(async () => {
    await t.close();
    if ('REDIS_URL' in env) await deleteRedisKeys(redisPrefix);
  });

  const consume = (recipient: string, code: string, purpose: CodePurpose = 'register', ip = '198.51.100.1') =>
    outcomeOf(sut.consume({ recipient, code, purpose, ip }));

  it('should cap the codes one address may ask for, and the checks it may make, per hour', async () => {
    const ip = '192.0.2.77';
    const sends = [];
    for (let i = 0; i < 21; i++) sends.push(await outcomeOf(send(sut, request(nextPhone(), { ip }))));
    expect(sends.slice(0, 20).every((o) => o === 'ok')).toBe(true);
    expect(sends[20]).toBe('RATE_LIMITED');

    const checks = [];
    for (let i = 0; i < 61; i++) checks.push(await consume(nextPhone(), '123456', 'register', ip));
    expect(checks.slice(0, 60).every((o) => o === 'CODE_EXPIRED')).toBe(true);
    expect(checks[60]).toBe('RATE_LIMITED');
  });

  it('should send again at once when VERIFICATION_RESEND_COOLDOWN is 0', async () => {
    const eager = await createTestApp({
      clock,
      env: { VERIFICATION_ECHO_CODE: 'true', VERIFICATION_RESEND_COOLDOWN: '0s', ...env },
    });
    try {
      const codes = eager.app.get(VerificationCodesService);
      const to = nextPhone();
      const ip = '192.0.2.90';
      expect(await outcomeOf(send(codes, request(to, { ip })))).toBe('ok');
      expect(await outcomeOf(send(codes, request(to, { ip })))).toBe('ok');
    } finally {
      await eager.close();
    }
  });

  it('should open the address again in the next hour', async () => {
    const ip = '192.0.2.77';
    expect(await outcomeOf(send(sut, request(nextPhone(), { ip })))).toBe('RATE_LIMITED');
    clock.advance(3_600_000);
    expect(await outcomeOf(send(sut, request(nextPhone(), { ip })))).toBe('ok');
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalString,
  signCanonicalString,
  signingParams,
  type SigningParam,
} from '#src/nggirl-signing/canonical-string.js';
import { NonceStore } from '#src/nggirl-signing/nonce-store.js';
import { PgNonceStore } from '#src/nggirl-signing/pg-nonce-store.js';
import { RedisNonceStore } from '#src/nggirl-signing/redis-nonce-store.js';
import { RequestSignatureVerifier } from '#src/nggirl-signing/request-signature-verifier.js';
import { SignatureRejected, type SignatureRejectionReason } from '#src/nggirl-signing/signature-rejected.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { createMediumContext, TEST_APP_SECRET, type MediumContext } from '#test/nggirl-domain/medium.js';

const START = new Date('2026-11-30T08:00:00Z');
const nowSeconds = (clock: FakeClock) => Math.floor(clock.now().getTime() / 1000);

/** A request as a client signs it: every parameter and its sign. */
function signed(
  params: Record<string, string>,
  options: { secret?: string; at: number; nonce?: string; appId?: string },
): SigningParam[] {
  const all: SigningParam[] = Object.entries({
    app_id: options.appId ?? 'app1',
    nonce: options.nonce ?? randomBytes(8).toString('hex'),
    timestamp: String(options.at),
    ...params,
  });
  return [...all, ['sign', signCanonicalString(options.secret ?? TEST_APP_SECRET, canonicalString(all))]];
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ reason: SignatureRejectionReason; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignatureRejected) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a SignatureRejected');
}

const stores = [
  { name: 'PostgreSQL', env: {} as Record<string, string> },
  {
    name: 'Redis',
    env: { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `concord-test-${randomBytes(6).toString('hex')}:` },
  },
];

describe.each(stores)(`${RequestSignatureVerifier.name} with the $name nonce store`, ({ name, env }) => {
  let ctx: MediumContext | undefined;
  let sut: RequestSignatureVerifier;
  const clock = new FakeClock(START);

  beforeAll(async () => {
    if (name === 'Redis' && !(await redisAnswers('the Redis nonce-store suite'))) return;
    ctx = await createMediumContext({ clock, env });
    sut = ctx.get(RequestSignatureVerifier);
  });
  afterAll(async () => {
    await ctx?.close();
    if (env.REDIS_PREFIX) await deleteRedisKeys(env.REDIS_PREFIX);
  });

  const run = (label: string, test: () => Promise<void>) =>
    it(label, async () => {
      if (!ctx) return; // Redis missing and not required: reported at start.
      await test();
    });

  run('should use the store the configuration chose', () => {
    expect(ctx!.get(NonceStore).kind).toBe(name === 'Redis' ? 'redis' : 'postgres');
    return Promise.resolve();
  });

  run('should accept a request signed as documented, and say it was signed', async () => {
    const params = signed(
      { phoneNum: '13581878073', password: 'e10adc3949ba59abbe56e057f20f883e' },
      { at: nowSeconds(clock) },
    );
    await expect(sut.verify(params)).resolves.toEqual({ appId: 'app1', signed: true });
  });

  run('should accept exactly one of 100 concurrent copies of one signed request', async () => {
    const params = signed({ accessToken: 'x' }, { at: nowSeconds(clock) });
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => sut.verify(params)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const reasons = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as SignatureRejected).reason] : [],
    );
    expect(reasons).toEqual(Array.from({ length: 99 }, () => 'reused_nonce'));
  });

  run('should let one claim win when two instances see the same nonce at once', async () => {
    const second =
      name === 'Redis'
        ? new RedisNonceStore(TEST_REDIS_URL, env.REDIS_PREFIX, clock)
        : new PgNonceStore(ctx!.db, clock);
    const first = ctx!.get(NonceStore);
    const expiresAt = new Date(clock.now().getTime() + 300_000);
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 === 0 ? first : second).claim('app1', 'two-instances', expiresAt),
        ),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
    } finally {
      if (second instanceof RedisNonceStore) await second.onApplicationShutdown();
    }
  });

  run('should refuse a replay, and take the same nonce from another app', async () => {
    const params = signed({ a: '1' }, { at: nowSeconds(clock), nonce: 'shared-nonce' });
    await sut.verify(params);
    expect(await rejection(sut.verify(params))).toMatchObject({ reason: 'reused_nonce' });
    const other = signed({ a: '1' }, { at: nowSeconds(clock), nonce: 'shared-nonce', appId: 'legacy' });
    await expect(sut.verify(other)).resolves.toEqual({ appId: 'legacy', signed: false });
  });

  run(
    'should refuse every parameter tampered with, added or dropped, and never tell the expected signature',
    async () => {
      const original = signed(
        { phoneNum: '13581878073', code: '423396', cosmeticsClass: '粉底液' },
        { at: nowSeconds(clock) },
      );
      const expected = original.find(([n]) => n === 'sign')![1];
      const variants: SigningParam[][] = [];
      for (const [index, [name, value]] of original.entries()) {
        if (name === 'sign') continue;
        const changed = name === 'timestamp' ? String(Number(value) - 1) : `${value}x`;
        variants.push(original.map((p, i) => (i === index ? ([name, changed] as const) : p)));
      }
      variants.push([...original, ['extra', '1']]);
      variants.push(original.filter(([n]) => n !== 'code'));
      const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
      variants.push(original.map(([n, v]) => (n === 'sign' ? ([n, flip(v)] as const) : ([n, v] as const))));
      variants.push(
        original.map(([n, v]) => (n === 'sign' ? ([n, v.slice(0, 40)] as const) : ([n, v] as const))),
      );
      // The right signature under another app's secret.
      variants.push(
        signed({ phoneNum: '13581878073' }, { at: nowSeconds(clock), secret: `${TEST_APP_SECRET}-other` }),
      );
      for (const variant of variants) {
        const refused = await rejection(sut.verify(variant));
        // A changed app_id names no app at all; every other change breaks the signature.
        const appId = variant.find(([n]) => n === 'app_id')![1];
        expect(refused).toMatchObject({ reason: appId === 'app1' ? 'bad_signature' : 'unknown_app' });
        expect(refused.message).not.toContain(expected);
      }
      // None of them spent the nonce: the genuine request still passes.
      await expect(sut.verify(original)).resolves.toMatchObject({ signed: true });
    },
  );

  run('should accept a signature in upper-case hex', async () => {
    const params = signed({ a: '1' }, { at: nowSeconds(clock) }).map(([n, v]) =>
      n === 'sign' ? ([n, v.toUpperCase()] as const) : ([n, v] as const),
    );
    await expect(sut.verify(params)).resolves.toMatchObject({ signed: true });
  });

  for (const missing of ['app_id', 'timestamp', 'nonce', 'sign']) {
    run(`should name a missing ${missing}`, async () => {
      const params = signed({ a: '1' }, { at: nowSeconds(clock) }).filter(([n]) => n !== missing);
      expect(await rejection(sut.verify(params))).toEqual({
        reason: 'missing_parameter',
        message: `a signing parameter is missing: ${missing}`,
      });
      const empty = signed({ a: '1' }, { at: nowSeconds(clock) }).map(([n, v]) =>
        n === missing ? ([n, ''] as const) : ([n, v] as const),
      );
      expect(await rejection(sut.verify(empty))).toMatchObject({ reason: 'missing_parameter' });
    });
  }

  run('should refuse a protocol parameter given twice, a malformed timestamp and a bad nonce', async () => {
    const at = nowSeconds(clock);
    const twice = signed({ a: '1' }, { at });
    twice.push(['nonce', 'another']);
    expect(await rejection(sut.verify(twice))).toMatchObject({
      reason: 'invalid_parameter',
      message: expect.stringContaining('nonce'),
    });
    expect(await rejection(sut.verify(signed({}, { at: `${at}.5` as unknown as number })))).toMatchObject({
      reason: 'invalid_parameter',
    });
    expect(await rejection(sut.verify(signed({}, { at, nonce: 'n'.repeat(65) })))).toMatchObject({
      reason: 'invalid_parameter',
    });
    expect(await rejection(sut.verify(signed({}, { at, nonce: 'tab\there' })))).toMatchObject({
      reason: 'invalid_parameter',
    });
    await expect(sut.verify(signed({}, { at, nonce: 'n'.repeat(64) }))).resolves.toMatchObject({
      signed: true,
    });
    await expect(sut.verify(signed({}, { at, nonce: '随机数' }))).resolves.toMatchObject({ signed: true });
  });

  run('should refuse stale and future timestamps beyond 300 s, and accept them at 300 s', async () => {
    const at = nowSeconds(clock);
    expect(await rejection(sut.verify(signed({}, { at: at - 301 })))).toMatchObject({
      reason: 'stale_timestamp',
    });
    expect(await rejection(sut.verify(signed({}, { at: at + 301 })))).toMatchObject({
      reason: 'future_timestamp',
    });
    await expect(sut.verify(signed({}, { at: at - 300 }))).resolves.toMatchObject({ signed: true });
    await expect(sut.verify(signed({}, { at: at + 300 }))).resolves.toMatchObject({ signed: true });
  });

  run('should refuse an unknown app, and let an unsigned app through unchecked', async () => {
    expect(await rejection(sut.verify(signed({}, { at: nowSeconds(clock), appId: 'nobody' })))).toEqual({
      reason: 'unknown_app',
      message: 'unknown app_id',
    });
    await expect(
      sut.verify([
        ['app_id', 'legacy'],
        ['sign', 'hEnqQoYQgMX7BTurINs5BZ8InKI9FP'],
      ]),
    ).resolves.toEqual({
      appId: 'legacy',
      signed: false,
    });
  });

  run(
    'should sign parameters split between query string and body like the same parameters in one place',
    async () => {
      const at = nowSeconds(clock);
      const inQuery = signed({ phoneNum: '13581878073', cosmeticsClass: '粉底液' }, { at });
      const query = Object.fromEntries(
        inQuery.filter(([n]) => ['app_id', 'nonce', 'timestamp', 'sign'].includes(n)),
      );
      const body = Object.fromEntries(inQuery.filter(([n]) => !(n in query)));
      await expect(sut.verify(signingParams({ query, body, bodyFormat: 'json' }))).resolves.toMatchObject({
        signed: true,
      });
    },
  );
});

describe('the PostgreSQL nonce store over time', () => {
  let ctx: MediumContext;
  let sut: RequestSignatureVerifier;
  const clock = new FakeClock(START);

  beforeAll(async () => {
    ctx = await createMediumContext({ clock });
    sut = ctx.get(RequestSignatureVerifier);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('should take a nonce again once its request went stale, before and after the sweep', async () => {
    const first = signed({ a: '1' }, { at: nowSeconds(clock), nonce: 'reusable' });
    await sut.verify(first);
    clock.advance(301_000);
    expect(await rejection(sut.verify(first))).toMatchObject({ reason: 'stale_timestamp' });
    clock.advance(1_000);
    // The expired row is still there (no sweep yet): a new request with the same nonce takes it over.
    await expect(
      sut.verify(signed({ a: '2' }, { at: nowSeconds(clock), nonce: 'reusable' })),
    ).resolves.toMatchObject({
      signed: true,
    });
    expect(
      await rejection(sut.verify(signed({ a: '3' }, { at: nowSeconds(clock), nonce: 'reusable' }))),
    ).toMatchObject({
      reason: 'reused_nonce',
    });
  });

  it('should sweep only the rows whose window passed', async () => {
    await sut.verify(signed({}, { at: nowSeconds(clock), nonce: 'old' }));
    clock.advance(302_000);
    await sut.verify(signed({}, { at: nowSeconds(clock), nonce: 'fresh' }));
    const store = ctx.get(NonceStore) as PgNonceStore;
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    const rows = await ctx.db.query<Array<{ nonce: string }>>(
      `SELECT nonce FROM request_nonces ORDER BY nonce`,
    );
    expect(rows.map((r) => r.nonce)).toEqual(['fresh']);
  });

  it('should keep nonces in an UNLOGGED table', async () => {
    const [row] = await ctx.db.query<Array<{ relpersistence: string }>>(
      `SELECT relpersistence FROM pg_class WHERE relname = 'request_nonces'`,
    );
    expect(row.relpersistence).toBe('u');
  });
});

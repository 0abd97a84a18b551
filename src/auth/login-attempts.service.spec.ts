import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ACCOUNT_FAILURES_BEFORE_HARD_LOCK,
  CLIENT_FAILURES_BEFORE_LOCK,
  LoginAttemptsService,
} from '#src/auth/login-attempts.service.js';
import {
  type CounterStore,
  MemoryCounterStore,
  RedisCounterStore,
} from '#src/common/counters/counter-store.js';
import { AddressLimiter } from '#src/common/counters/address-limiter.js';
import type { AppConfig } from '#src/config/app-config.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';

const redisAvailable = await redisAnswers('the Redis run of the lockout tests skips');

const redisPrefix = `concord-test:${randomUUID()}:`;
const stores: Array<[string, (clock: FakeClock) => CounterStore, boolean]> = [
  ['in memory', (clock) => new MemoryCounterStore(clock), true],
  ['in Redis', () => new RedisCounterStore(TEST_REDIS_URL, redisPrefix), redisAvailable],
];

afterAll(async () => {
  if (redisAvailable) await deleteRedisKeys(redisPrefix);
});

describe.each(stores)(`${LoginAttemptsService.name} with counters %s`, (_label, makeStore, available) => {
  const run = available ? it : it.skip;
  let clock: FakeClock;
  let store: CounterStore;
  let sut: LoginAttemptsService;
  const config = { throttle: { loginPerIpPerMinute: 1000, accountPerIpPerHour: 1000 } } as AppConfig;

  beforeAll(() => {
    clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
    store = makeStore(clock);
    sut = new LoginAttemptsService(store, new AddressLimiter(store, clock, config), clock);
  });
  afterAll(async () => {
    await store.close();
  });

  const fail = async (account: string, ip: string, times: number) => {
    for (let i = 0; i < times; i++) await sut.recordFailure(account, ip);
  };

  run('should lock a client out after 5 consecutive failures, and only that client', async () => {
    const account = `a-${randomUUID()}`;
    await fail(account, '10.0.0.1', CLIENT_FAILURES_BEFORE_LOCK - 1);
    expect(await outcomeOf(sut.assertAllowed(account, '10.0.0.1'))).toBe('ok');
    await fail(account, '10.0.0.1', 1);
    expect(await outcomeOf(sut.assertAllowed(account, '10.0.0.1'))).toBe('ACCOUNT_LOCKED');
    expect(await outcomeOf(sut.assertAllowed(account, '10.0.0.2'))).toBe('ok');
  });

  run('should lock for 60 s, then double up to 15 min, and forget after a success', async () => {
    const account = `a-${randomUUID()}`;
    const ip = '10.0.1.1';
    const expected = [60, 120, 240, 480, 900, 900];
    for (const seconds of expected) {
      await fail(account, ip, CLIENT_FAILURES_BEFORE_LOCK);
      clock.advance(seconds * 1000 - 1000);
      expect(await outcomeOf(sut.assertAllowed(account, ip))).toBe('ACCOUNT_LOCKED');
      clock.advance(1001);
      expect(await outcomeOf(sut.assertAllowed(account, ip))).toBe('ok');
    }
    await sut.recordSuccess(account, ip);
    await fail(account, ip, CLIENT_FAILURES_BEFORE_LOCK);
    clock.advance(60_001);
    expect(await outcomeOf(sut.assertAllowed(account, ip))).toBe('ok');
  });

  run('should count failures across clients and call for a hard lock at 100', async () => {
    const account = `a-${randomUUID()}`;
    const verdicts: string[] = [];
    for (let i = 0; i < ACCOUNT_FAILURES_BEFORE_HARD_LOCK; i++) {
      verdicts.push(await sut.recordFailure(account, `10.1.${Math.floor(i / 4)}.${i % 4}`));
    }
    expect(verdicts.slice(0, -1).every((v) => v === 'allowed')).toBe(true);
    expect(verdicts.at(-1)).toBe('hard-lock');
  });

  run('should reset the cross-client count on a success', async () => {
    const account = `a-${randomUUID()}`;
    await fail(account, '10.2.0.1', 3);
    await sut.recordSuccess(account, '10.2.0.1');
    for (let i = 0; i < ACCOUNT_FAILURES_BEFORE_HARD_LOCK - 1; i++) {
      expect(await sut.recordFailure(account, `10.3.${i}.1`)).toBe('allowed');
    }
  });

  run('should refuse an address past its per-minute budget until the next minute', async () => {
    const tightConfig = { throttle: { loginPerIpPerMinute: 3, accountPerIpPerHour: 3 } } as AppConfig;
    const tight = new LoginAttemptsService(store, new AddressLimiter(store, clock, tightConfig), clock);
    clock.advance(60_000 - (clock.now().getTime() % 60_000));
    const ip = `10.9.${Math.floor(Math.random() * 250)}.1`;
    for (let i = 0; i < 3; i++) expect(await outcomeOf(tight.assertAllowed(`x${i}`, ip))).toBe('ok');
    expect(await outcomeOf(tight.assertAllowed('x4', ip))).toBe('RATE_LIMITED');
    clock.advance(60_000);
    expect(await outcomeOf(tight.assertAllowed('x5', ip))).toBe('ok');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const LOCKED = { ret: 500, errcode: 'NOT_ALLOWED' };
const WRONG = { ret: 500, errcode: 'PASSWD_NOT_MATCH' };

const redisPrefix = `concord-e2e:${randomUUID()}:`;

const withRedis = await redisAnswers('the lockout suite runs with in-memory counters only, not in Redis');

afterAll(async () => {
  if (withRedis) await deleteRedisKeys(redisPrefix);
});

// Once with in-memory counters, once with the counters in Redis (as several instances would share them).
const counterStores = [
  { label: 'in memory', redis: false },
  ...(withRedis ? [{ label: 'in Redis', redis: true }] : []),
];

describe.each(counterStores)('nuzzle sign-in brute-force protection, counters $label', ({ redis }) => {
  // Each app gets its own key prefix, so one block's per-address budget is not spent by another's.
  const counters = (block: string): Record<string, string> =>
    redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `${redisPrefix}${block}:` } : {};

  describe('behind a trusted proxy (X-Forwarded-For names the client)', () => {
    let t: TestApp;
    const clock = new FakeClock();

    beforeAll(async () => {
      t = await createTestApp({
        clock,
        env: { ...counters('proxy'), TRUSTED_PROXIES: 'loopback', LOGIN_IP_LIMIT_PER_MINUTE: '100000' },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    const login = (user: Pick<NuzzleTestUser, 'email'>, password: string, client: string) =>
      t.http
        .post('/passport/email/login')
        .set('X-Forwarded-For', client)
        .send({ email: user.email, password });

    it('should refuse even the right password for 60 s after 5 failures, from that client only', async () => {
      const user = await registerNuzzleUser(t);
      for (let i = 0; i < 5; i++)
        expect((await login(user, md5('wrong'), '203.0.113.5')).body).toEqual(WRONG);

      const locked = await login(user, user.password, '203.0.113.5');
      expect(locked.status).toBe(200);
      expect(locked.body).toEqual(LOCKED);
      expect((await login(user, user.password, '198.51.100.7')).body).toMatchObject({ ret: 200 });

      clock.advance(59_000);
      expect((await login(user, user.password, '203.0.113.5')).body).toEqual(LOCKED);
      clock.advance(2_000);
      expect((await login(user, user.password, '203.0.113.5')).body).toMatchObject({ ret: 200 });
    });

    it('should double the lock when the same client keeps failing', async () => {
      const user = await registerNuzzleUser(t);
      for (let i = 0; i < 5; i++) await login(user, md5('wrong'), '203.0.113.6');
      clock.advance(61_000);
      for (let i = 0; i < 5; i++) await login(user, md5('wrong'), '203.0.113.6');
      clock.advance(119_000);
      expect((await login(user, user.password, '203.0.113.6')).body).toEqual(LOCKED);
      clock.advance(2_000);
      expect((await login(user, user.password, '203.0.113.6')).body).toMatchObject({ ret: 200 });
    });

    it('should lock an unknown email the same way, revealing nothing', async () => {
      const ghost = { email: 'nobody-here@example.com' };
      for (let i = 0; i < 5; i++) expect((await login(ghost, md5('x'), '203.0.113.8')).body).toEqual(WRONG);
      expect((await login(ghost, md5('x'), '203.0.113.8')).body).toEqual(LOCKED);
    });

    it('should lock the account for every client after 100 failures, until a password reset', async () => {
      const user = await registerNuzzleUser(t);
      for (let i = 0; i < 100; i++) {
        // Four tries per client: no client lock ever triggers, only the account-wide count grows.
        await login(user, md5(`guess-${i}`), `192.0.2.${Math.floor(i / 4) + 1}`);
      }
      expect((await login(user, user.password, '198.51.100.99')).body).toEqual(LOCKED);
      clock.advance(3_600_000);
      expect((await login(user, user.password, '198.51.100.99')).body).toEqual(LOCKED);

      await t.http.post('/passport/forgot/passwd').send({ email: user.email });
      await t.flushOutbox();
      const outbox = await t.http.get('/dev/outbox').query({ to: user.email, limit: 1 });
      const token = /token=([\w-]+)/.exec((outbox.body as Array<{ body: string }>)[0].body)![1];
      const reset = await t.http
        .post('/account/reset-password')
        .type('form')
        .send({ token, password: 'a-new-password', confirm: 'a-new-password' });
      expect(reset.status).toBe(200);
      expect((await login(user, md5('a-new-password'), '198.51.100.99')).body).toMatchObject({ ret: 200 });
    });
  });

  describe('without a trusted proxy', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { ...counters('direct'), LOGIN_IP_LIMIT_PER_MINUTE: '100000' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should not let a rotating X-Forwarded-For escape the lock', async () => {
      const user = await registerNuzzleUser(t);
      for (let i = 0; i < 5; i++) {
        await t.http
          .post('/passport/email/login')
          .set('X-Forwarded-For', `203.0.113.${i + 10}`)
          .send({ email: user.email, password: md5('wrong') });
      }
      const res = await t.http
        .post('/passport/email/login')
        .set('X-Forwarded-For', '203.0.113.200')
        .send({ email: user.email, password: user.password });
      expect(res.body).toEqual(LOCKED);
    });
  });

  describe('per-address budget', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { ...counters('budget'), LOGIN_IP_LIMIT_PER_MINUTE: '3' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('should answer 429 with NOT_ALLOWED past the per-minute sign-in budget of an address', async () => {
      const user = await registerNuzzleUser(t);
      for (let i = 0; i < 3; i++) {
        const ok = await t.http
          .post('/passport/email/login')
          .send({ email: user.email, password: user.password });
        expect(ok.body).toMatchObject({ ret: 200 });
      }
      const res = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: user.password });
      expect(res.status).toBe(429);
      expect(res.body).toEqual(LOCKED);
    });
  });
});

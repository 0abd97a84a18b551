import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { CAPTCHA_LENGTH, CaptchaService } from '#src/captcha/captcha.service.js';
import { CAPTCHA_HEIGHT, CAPTCHA_WIDTH } from '#src/captcha/captcha-image.js';
import {
  type CounterStore,
  MemoryCounterStore,
  RedisCounterStore,
} from '#src/common/counters/counter-store.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { snsTestConfig } from '#test/sns/sns-test-kit.js';

const redisPrefix = `concord-e2e:${randomUUID()}:`;
const withRedis = await redisAnswers('the captcha store runs in memory only, not in Redis');
const STORES = withRedis ? (['memory', 'redis'] as const) : (['memory'] as const);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(STORES)(`${CaptchaService.name} with the %s store`, (kind) => {
  const clock = new FakeClock(new Date('2026-11-29T08:00:00Z'));
  const config = snsTestConfig();
  let store: CounterStore;
  let sut: CaptchaService;

  beforeAll(() => {
    store =
      kind === 'redis' ? new RedisCounterStore(TEST_REDIS_URL, redisPrefix) : new MemoryCounterStore(clock);
    sut = new CaptchaService(store, clock, config);
  });
  afterAll(async () => {
    await store.close();
    if (kind === 'redis') await deleteRedisKeys(redisPrefix);
  });

  const session = () => `browser-${randomUUID()}`;
  const answerOf = async (id: string) => (await sut.peek(id))!.answer;
  /** A wrong answer of the right shape: the right one with its first character changed. */
  const wrong = (answer: string) => (answer[0].toUpperCase() === 'X' ? 'Y' : 'X') + answer.slice(1);

  it('should draw a PNG that decodes, with a five-character answer of unambiguous characters', async () => {
    const id = session();
    const png = await sut.generate(id);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: CAPTCHA_WIDTH, height: CAPTCHA_HEIGHT });
    // Glyphs are paths (no system font): the image has real ink, not a blank background.
    const stats = await sharp(png).stats();
    expect(stats.channels[0].stdev).toBeGreaterThan(10);
    const answer = await answerOf(id);
    expect(answer).toMatch(new RegExp(`^[ACDEFGHKMNPRTWXY34679]{${CAPTCHA_LENGTH}}$`));
    if (kind === 'memory') writeFileSync('/tmp/concord-captcha-sample.png', png);
  });

  it('should validate without consuming, in any letter case', async () => {
    const id = session();
    await sut.generate(id);
    const answer = await answerOf(id);
    expect(await sut.validate(id, answer.toLowerCase())).toBe('ok');
    expect(await sut.validate(id, ` ${answer.toUpperCase()} `)).toBe('ok');
    expect(await outcomeOf(sut.consume(id, answer))).toBe('ok');
  });

  it('should be consumed once, then be gone for validate and consume alike', async () => {
    const id = session();
    await sut.generate(id);
    const answer = await answerOf(id);
    expect(await outcomeOf(sut.consume(id, answer))).toBe('ok');
    expect(await outcomeOf(sut.consume(id, answer))).toBe('CODE_EXPIRED');
    expect(await sut.validate(id, answer)).toBe('expired');
    expect(await sut.peek(id)).toBeNull();
  });

  it('should allow five tries in all, right or wrong, then none', async () => {
    const id = session();
    await sut.generate(id);
    const answer = await answerOf(id);
    expect(await sut.validate(id, wrong(answer))).toBe('mismatch');
    expect(await outcomeOf(sut.consume(id, wrong(answer)))).toBe('CODE_INVALID');
    expect(await sut.validate(id, answer)).toBe('ok');
    expect((await sut.peek(id))!.triesLeft).toBe(2);
    expect(await sut.validate(id, wrong(answer))).toBe('mismatch');
    expect(await sut.validate(id, wrong(answer))).toBe('exhausted');
    expect(await outcomeOf(sut.consume(id, answer))).toBe('CODE_EXPIRED');

    const next = session();
    await sut.generate(next);
    const nextAnswer = await answerOf(next);
    for (let i = 0; i < 4; i++) expect(await sut.validate(next, wrong(nextAnswer))).toBe('mismatch');
    expect(await outcomeOf(sut.consume(next, wrong(nextAnswer)))).toBe('CODE_ATTEMPTS_EXCEEDED');
  });

  it('should not let parallel guesses outrun the limit, nor two right submissions both pass', async () => {
    const id = session();
    await sut.generate(id);
    const answer = await answerOf(id);
    const guesses = await Promise.all(Array.from({ length: 20 }, () => sut.validate(id, wrong(answer))));
    expect(guesses.filter((v) => v === 'mismatch').length).toBeLessThanOrEqual(4);

    const other = session();
    await sut.generate(other);
    const right = await answerOf(other);
    const submissions = await Promise.all(
      Array.from({ length: 4 }, () => outcomeOf(sut.consume(other, right))),
    );
    expect(submissions.filter((o) => o === 'ok')).toHaveLength(1);
  });

  it('should be bound to its browser session, replaced by a new one, and expire after five minutes', async () => {
    const id = session();
    await sut.generate(id);
    const first = await answerOf(id);
    expect(await sut.validate(session(), first)).toBe('expired');

    await sut.generate(id);
    const second = await answerOf(id);
    if (second.toLowerCase() !== first.toLowerCase()) expect(await sut.validate(id, first)).toBe('mismatch');
    expect(await sut.validate(id, second)).toBe('ok');

    clock.advance(5 * 60_000);
    expect(await sut.validate(id, second)).toBe('expired');
    expect(await outcomeOf(sut.consume(id, second))).toBe('CODE_EXPIRED');
  });

  it('should refuse answers that are not text, and sessions that are not ids', async () => {
    const id = session();
    await sut.generate(id);
    for (const answer of [undefined, null, 12345, ['a']]) {
      expect(await sut.validate(id, answer)).toBe('mismatch');
    }
    expect(await sut.validate(id, 'x'.repeat(100))).toBe('exhausted');
    expect(await outcomeOf(sut.generate(''))).toBe('INVALID_PARAMS');
  });

  it('should refuse to peek in production', async () => {
    const production = new CaptchaService(
      store,
      clock,
      snsTestConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars' }),
    );
    const id = session();
    await production.generate(id);
    expect(await outcomeOf(production.peek(id))).toBe('FORBIDDEN');
  });
});

import { Redis } from 'ioredis';
import { reportMissingService } from '#test/helpers/services.js';

/** The machine's Redis, used by the counter-store tests when it answers; they run in memory otherwise. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Whether the machine's Redis answers. Where it does not, `whatSkips` is reported (a failure where CI requires
 * Redis, a loud warning elsewhere).
 */
export async function redisAnswers(whatSkips: string): Promise<boolean> {
  const answers = await ping();
  if (!answers) {
    reportMissingService(
      'redis',
      whatSkips,
      'Start one: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""',
    );
  }
  return answers;
}

async function ping(): Promise<boolean> {
  const probe = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** The machine's Redis is shared: a run removes every key it wrote under its own prefix. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

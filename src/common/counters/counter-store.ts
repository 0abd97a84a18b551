import { Redis } from 'ioredis';
import type { Clock } from '#src/common/time/clock.js';

/**
 * Small shared counters and flags for throttling and lockouts. In memory for one instance; in Redis (REDIS_URL)
 * so several instances behind a load balancer count together. Callers store deadlines as values computed from the
 * injectable clock and use TTLs only to let keys go away, so tests can move time with either store.
 */
export abstract class CounterStore {
  abstract readonly kind: 'memory' | 'redis';
  /** Adds one and returns the new value; the key expires `ttlMs` after its first increment. */
  abstract increment(key: string, ttlMs: number): Promise<number>;
  abstract get(key: string): Promise<string | undefined>;
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;
  abstract delete(...keys: string[]): Promise<void>;
  abstract close(): Promise<void>;
}

export class MemoryCounterStore extends CounterStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  increment(key: string, ttlMs: number): Promise<number> {
    this.sweep();
    const entry = this.live(key);
    const value = Number(entry?.value ?? 0) + 1;
    this.entries.set(key, {
      value: String(value),
      expiresAt: entry?.expiresAt ?? this.clock.now().getTime() + ttlMs,
    });
    return Promise.resolve(value);
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key)?.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.entries.set(key, { value, expiresAt: this.clock.now().getTime() + ttlMs });
    return Promise.resolve();
  }

  delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  /** Bounded memory: an attacker cycling through keys cannot grow the map without limit. */
  private sweep(): void {
    if (this.entries.size < 100_000) return;
    const now = this.clock.now().getTime();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= 100_000) this.entries.delete(this.entries.keys().next().value!);
  }
}

export class RedisCounterStore extends CounterStore {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'concord:',
  ) {
    super();
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const k = this.prefix + key;
    // NX: the window starts at the first increment and is not pushed back by later ones.
    const [[incrError, value], [expireError]] = (await this.redis
      .multi()
      .incr(k)
      .pexpire(k, ttlMs, 'NX')
      .exec()) as [[Error | null, number], [Error | null, unknown]];
    const error = incrError ?? expireError;
    if (error) throw error;
    return value;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', ttlMs);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

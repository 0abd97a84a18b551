import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Clock } from '#src/common/time/clock.js';
import { NonceStore } from '#src/nggirl-signing/nonce-store.js';

/** One key per nonce, written with SET NX PX: Redis settles concurrent claims and drops the key when it expires. */
export class RedisNonceStore extends NonceStore implements OnApplicationShutdown {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {
    super();
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async claim(appId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const ttlMs = Math.max(1, expiresAt.getTime() - this.clock.now().getTime());
    // App ids never contain ':', so `<app>:<nonce>` names one pair whatever the nonce holds.
    const answer = await this.redis.set(
      `${this.prefix}nggirl-nonce:${appId}:${nonce}`,
      '1',
      'PX',
      ttlMs,
      'NX',
    );
    return answer === 'OK';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

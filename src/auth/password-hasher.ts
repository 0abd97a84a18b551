import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Argon2Threads } from '#src/auth/argon2-threads.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane. `Algorithm.Argon2id` is an ambient const enum (= 2). */
export const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashing runs off the event loop on `HASH_CONCURRENCY` threads of its own (default: the cores shared among the
 * worker processes), at a lower scheduling priority (`HASH_THREAD_NICE`): logins queue there instead of starving
 * every other request of CPU.
 */
@Injectable()
export class PasswordHasher implements OnApplicationShutdown {
  private readonly threads: Argon2Threads;
  private decoy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.threads = new Argon2Threads(config.auth.hashConcurrency, { nice: config.auth.hashThreadNice });
  }

  async hash(digest: string): Promise<string> {
    return (await this.threads.run({ op: 'hash', digest, options: ARGON2ID })).value;
  }

  async verify(stored: string, digest: string): Promise<boolean> {
    return (await this.threads.run({ op: 'verify', stored, digest })).value;
  }

  /** Spends the same time as a real verification, so a login of an unknown account is not faster. */
  async verifyNothing(digest: string): Promise<false> {
    this.decoy ??= this.hash('concord-decoy-credential');
    await this.verify(await this.decoy, digest);
    return false;
  }

  // Not onModuleDestroy: Nest runs that before the HTTP server drains, and a login still in flight would lose its hash.
  onApplicationShutdown(): Promise<void> {
    return this.threads.close();
  }
}

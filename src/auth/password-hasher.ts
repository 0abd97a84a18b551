import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { Semaphore } from '#src/common/concurrency/semaphore.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane. `Algorithm.Argon2id` is an ambient const enum (= 2). */
export const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashing runs on libuv's pool, off the event loop, with its concurrency capped near the core count: logins then
 * queue here instead of starving every other request of CPU.
 */
@Injectable()
export class PasswordHasher {
  private readonly gate: Semaphore;
  private decoy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.gate = new Semaphore(config.auth.hashConcurrency);
  }

  hash(digest: string): Promise<string> {
    return this.gate.run(() => hash(digest, ARGON2ID));
  }

  verify(stored: string, digest: string): Promise<boolean> {
    return this.gate.run(() => verify(stored, digest));
  }

  /** Spends the same time as a real verification, so a login of an unknown account is not faster. */
  async verifyNothing(digest: string): Promise<false> {
    this.decoy ??= hash('concord-decoy-credential', ARGON2ID);
    await this.verify(await this.decoy, digest);
    return false;
  }
}

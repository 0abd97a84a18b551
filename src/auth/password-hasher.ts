import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Argon2Threads } from '#src/auth/argon2-threads.js';
import { HashAdmission, type HashAdmissionOptions } from '#src/auth/hash-admission.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane. `Algorithm.Argon2id` is an ambient const enum (= 2). */
export const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * How sign-ins are paced for this many hashing threads: two checks per thread inside (one hashing, one looked up and
 * next), out in groups of up to four per thread, held at most `holdMs` (SIGN_IN_HOLD, 40 ms by default: about two
 * hashes' time) while others queue. Also read by the bench's stand-in, which groups its statements the same way.
 */
export function signInPacing(threads: number, holdMs: number): HashAdmissionOptions {
  return { depth: 2 * threads, maxGroup: 64, exitGroup: 4 * threads, maxHoldMs: holdMs };
}

/**
 * Hashing runs off the event loop on `HASH_CONCURRENCY` threads of its own (default: the cores shared among the
 * worker processes), at a lower scheduling priority (`HASH_THREAD_NICE`): logins queue there instead of starving
 * every other request of CPU.
 */
@Injectable()
export class PasswordHasher implements OnApplicationShutdown {
  private readonly threads: Argon2Threads;
  private readonly admission: HashAdmission;
  private decoy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.threads = new Argon2Threads(config.auth.hashConcurrency, { nice: config.auth.hashThreadNice });
    this.admission = new HashAdmission(signInPacing(this.threads.size, config.auth.signInHoldMs));
  }

  /**
   * Runs a password check (its lookup and its hash) when the threads have room for it; under load checks go in and
   * come out in groups, so their queries and wake-ups are shared. See HashAdmission. Sign-ins and registrations
   * come through here; the rare hashes of a password change or reset go straight to the threads, ahead of any queue.
   */
  inTurn<T>(check: () => Promise<T>): Promise<T> {
    return this.admission.run(check);
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

import { Injectable } from '@nestjs/common';
import { AddressLimiter } from '#src/common/counters/address-limiter.js';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';

/** Consecutive failures from one client before the account is locked for that client. */
export const CLIENT_FAILURES_BEFORE_LOCK = 5;
/** The first lock; each further lock for the same client doubles it, up to MAX_LOCK_MS. */
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Consecutive failures across all clients before the account is locked until a password reset. */
export const ACCOUNT_FAILURES_BEFORE_HARD_LOCK = 100;

const DAY_MS = 86_400_000;

interface ClientLock {
  until: number;
  level: number;
}

export type LoginVerdict = 'allowed' | 'hard-lock';

/**
 * Brute-force protection for every password sign-in, whatever the dialect. A client (the account and the
 * caller's address, proxy-aware per TRUSTED_PROXIES) that fails 5 times in a row is locked out of that account for
 * 60 s, doubling up to 15 min, and even the right password is refused meanwhile; a stranger elsewhere cannot lock
 * the owner out with a handful of tries. 100 failures in a row across all clients lock the account until a password
 * reset, so a botnet cannot guess forever. Every address also has a per-minute budget of sign-in attempts.
 * Unknown accounts are counted like known ones, so the lockout reveals nothing about which accounts exist.
 */
@Injectable()
export class LoginAttemptsService {
  constructor(
    private readonly store: CounterStore,
    private readonly addresses: AddressLimiter,
    private readonly clock: Clock,
  ) {}

  /** Throws ACCOUNT_LOCKED while this client is locked out of the account, RATE_LIMITED past the address budget. */
  async assertAllowed(account: string, ip: string): Promise<void> {
    await this.addresses.consume('sign-in', ip);
    const now = this.clock.now().getTime();
    const lock = await this.clientLock(account, ip);
    if (lock && lock.until > now) throw new DomainError('ACCOUNT_LOCKED');
  }

  /** Counts a failure; answers `hard-lock` when this failure locks the account for every client. */
  async recordFailure(account: string, ip: string): Promise<LoginVerdict> {
    const now = this.clock.now().getTime();
    const failures = await this.store.increment(this.failuresKey(account, ip), DAY_MS);
    if (failures >= CLIENT_FAILURES_BEFORE_LOCK) {
      const level = ((await this.clientLock(account, ip))?.level ?? 0) + 1;
      const duration = Math.min(FIRST_LOCK_MS * 2 ** (level - 1), MAX_LOCK_MS);
      await this.store.set(
        this.lockKey(account, ip),
        JSON.stringify({ until: now + duration, level }),
        DAY_MS,
      );
      await this.store.delete(this.failuresKey(account, ip));
    }
    const overall = await this.store.increment(`login:account:${account}`, 30 * DAY_MS);
    if (overall >= ACCOUNT_FAILURES_BEFORE_HARD_LOCK) {
      await this.store.delete(`login:account:${account}`);
      return 'hard-lock';
    }
    return 'allowed';
  }

  async recordSuccess(account: string, ip: string): Promise<void> {
    await this.store.delete(
      this.failuresKey(account, ip),
      this.lockKey(account, ip),
      `login:account:${account}`,
    );
  }

  private async clientLock(account: string, ip: string): Promise<ClientLock | undefined> {
    const raw = await this.store.get(this.lockKey(account, ip));
    return raw ? (JSON.parse(raw) as ClientLock) : undefined;
  }

  private failuresKey(account: string, ip: string): string {
    return `login:failures:${account}:${ip}`;
  }

  private lockKey(account: string, ip: string): string {
    return `login:lock:${account}:${ip}`;
  }
}

import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * `coin` is the one coin of nuzzle and mrpyq; xiaoma's points (`integral`), bricks (`currency`) and red packets
 * (`virtual_currency`) are currencies of their own, never exchanged with coins.
 */
export const CURRENCIES = ['coin', 'integral', 'currency', 'virtual_currency'] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * - `wallet`: what a user spends; cached balance, never below zero (CHECK).
 * - `debt`: what a user owes after a refund their wallet no longer covered; cached, never above zero (CHECK).
 * - `income`: what an author or anchor earned; no cached balance (folded from entries, see docs/performance.md).
 * - `system`: the platform's side of every movement; no cached balance.
 */
export type AccountKind = 'wallet' | 'debt' | 'income' | 'system';

/** Where coins come from and go to on the platform's side. Each exists once per currency. */
export const SYSTEM_ACCOUNTS = ['app_store', 'alipay', 'platform_revenue', 'promotions'] as const;
export type SystemAccountName = (typeof SYSTEM_ACCOUNTS)[number];

/**
 * The stores a top-up is bought in: each is a system account, and names the namespace of its transaction ids.
 * `promotions` pays the local payment provider's refills (development and tests only: coins nobody paid for).
 */
export type TopUpSource = Extract<SystemAccountName, 'app_store' | 'alipay' | 'promotions'>;

export type AccountKey =
  | { kind: 'wallet' | 'debt' | 'income'; userId: string; currency: Currency }
  | { kind: 'system'; name: SystemAccountName; currency: Currency };

export type PostingKind = 'top_up' | 'reversal' | 'purchase' | 'gift' | 'grant' | 'clawback';

/**
 * Coins travel as JS numbers (every amount the apps show fits 2^53 many times over) and as bigint columns in the
 * database; this is the one place a column's text becomes a number, and it refuses what would lose precision.
 */
export function coinsFromDb(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`coin amount out of range: ${String(value)}`);
  return n;
}

/** Amounts a caller passes: positive whole coins, at most 10^12 (a sum of many of them still fits 2^53). */
export const MAX_AMOUNT = 1_000_000_000_000;

export function requireAmount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) {
    throw new DomainError(
      'INVALID_PARAMS',
      `${what} must be a whole number of coins between 1 and ${MAX_AMOUNT}`,
    );
  }
  return value;
}

/** Keys and item names are opaque to the ledger, but bounded and printable. */
export function requireKey(value: string, what: string, max = 200): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > max ||
    [...value].some((ch) => ch < ' ')
  ) {
    throw new DomainError('INVALID_PARAMS', `${what} must be 1-${max} printable characters`);
  }
  return value;
}

export function requireUserId(value: string, what: string): string {
  // Canonical decimal only: `007` and `7` would otherwise make two idempotency keys for one user.
  if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value) || !isBigintId(value)) {
    throw new DomainError('INVALID_PARAMS', `${what} is not a user id`);
  }
  return value;
}

/** The platform's share of `amount` at `percent`, rounded down: a fraction of a coin goes to the author. */
export function platformShare(amount: number, percent: number): number {
  return Math.floor((amount * percent) / 100);
}

import type { Currency } from '#src/coins/ledger-types.js';
import type { RealNameState } from '#src/identity/identity.service.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { toLocalPhone } from '#src/users/phone.js';

/** get_user_details as the document shows it: every value a string. */
export interface XiaomaUserDetails {
  _id: string;
  account: string;
  integral: string;
  status: string;
  uuid: string;
  portrait: string;
  currency: string;
  virtual_currency: string;
}

export interface VerificationSummary {
  realName: RealNameState;
  qualification: RealNameState;
}

/**
 * The document's status: 0 normal (verified), 1 frozen, 2 not verified (nothing uploaded), 3 verification failed,
 * 4 under review (something uploaded waits for a person), 5 deleted.
 */
function xiaomaStatus(user: UserEntity, checks: VerificationSummary): string {
  if (user.status === 'banned') return '1';
  if (user.status === 'closed') return '5';
  const states = [checks.realName, checks.qualification];
  if (states.includes('rejected')) return '3';
  if (states.includes('review')) return '4';
  if (states.includes('verified')) return '0';
  return '2';
}

export function toXiaomaUserDetails(
  user: UserEntity,
  registrationId: string | undefined,
  checks: VerificationSummary,
  /** Wallet balances from the coin ledger: points, bricks and red packets are currencies of their own there. */
  balances: Pick<Record<Currency, number>, 'integral' | 'currency' | 'virtual_currency'>,
): XiaomaUserDetails {
  return {
    _id: user.id,
    account: user.phone ? toLocalPhone(user.phone) : (user.email ?? ''),
    integral: String(balances.integral),
    status: xiaomaStatus(user, checks),
    uuid: registrationId ?? '',
    portrait: user.avatarUrl,
    currency: String(balances.currency),
    virtual_currency: String(balances.virtual_currency),
  };
}

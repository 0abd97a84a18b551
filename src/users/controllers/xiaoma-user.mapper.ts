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

const REAL_NAME_STATUS: Record<RealNameState, string> = {
  verified: '0',
  none: '2',
  rejected: '3',
  review: '4',
};

/**
 * The document's status: 0 normal (verified), 1 frozen, 2 not verified (nothing uploaded), 3 verification failed,
 * 4 under review, 5 deleted.
 */
function xiaomaStatus(user: UserEntity, realName: RealNameState): string {
  if (user.status === 'banned') return '1';
  if (user.status === 'closed') return '5';
  return REAL_NAME_STATUS[realName];
}

export function toXiaomaUserDetails(
  user: UserEntity,
  registrationId: string | undefined,
  realName: RealNameState,
): XiaomaUserDetails {
  return {
    _id: user.id,
    account: user.phone ? toLocalPhone(user.phone) : (user.email ?? ''),
    integral: '0',
    status: xiaomaStatus(user, realName),
    uuid: registrationId ?? '',
    portrait: user.avatarUrl,
    currency: '0',
    virtual_currency: '0',
  };
}

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

/**
 * The document's status: 0 normal, 1 frozen, 2 not verified (nothing uploaded), 3 verification failed,
 * 4 under review, 5 deleted. Real-name verification is not built yet, so an active account is 2.
 */
function xiaomaStatus(user: UserEntity): string {
  if (user.status === 'banned') return '1';
  if (user.status === 'closed') return '5';
  return '2';
}

export function toXiaomaUserDetails(user: UserEntity, registrationId: string | undefined): XiaomaUserDetails {
  return {
    _id: user.id,
    account: user.phone ? toLocalPhone(user.phone) : (user.email ?? ''),
    integral: '0',
    status: xiaomaStatus(user),
    uuid: registrationId ?? '',
    portrait: user.avatarUrl,
    currency: '0',
    virtual_currency: '0',
  };
}

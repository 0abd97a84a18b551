import { toLocalPhone } from '#src/users/phone.js';
import type { UserEntity } from '#src/users/user.entity.js';

/**
 * Gender is stored once for every dialect, as ISO/IEC 5218 has it: 1 male, 2 female, null not given. mrpyq sends
 * and shows "1" male, "0" female; nggirl's `sex` is 0 male, 1 female (docs/dialects/mrpyq.md).
 */
export type StoredGender = 1 | 2;

/** mrpyq's `gender` ("1" 男, "0" 女) as stored; undefined or '' is not given. */
export function genderFromMrpyq(gender: string | undefined): StoredGender | null {
  if (gender === '1') return 1;
  if (gender === '0') return 2;
  return null;
}

/** The stored gender as mrpyq shows it; '' when not given (or a value mrpyq has no word for). */
export function genderToMrpyq(gender: number | null): '0' | '1' | '' {
  if (gender === 1) return '1';
  if (gender === 2) return '0';
  return '';
}

/** A user as mrpyq shows one: the phone is the user id (11 digits for a mainland number). */
export interface MrpyqUser {
  userId: string;
  nickname: string;
  headImage: string;
  gender: '0' | '1' | '';
}

export function toMrpyqUser(
  user: Pick<UserEntity, 'phone' | 'nickname' | 'avatarUrl' | 'gender'>,
): MrpyqUser {
  return {
    userId: user.phone ? toLocalPhone(user.phone) : '',
    nickname: user.nickname,
    headImage: user.avatarUrl,
    gender: genderToMrpyq(user.gender),
  };
}

export const MRPYQ_USER_SCHEMA = {
  type: 'object',
  required: ['userId', 'nickname', 'headImage', 'gender'],
  properties: {
    userId: { type: 'string', description: '手机号 (the mrpyq user id)', example: '13800138000' },
    nickname: { type: 'string' },
    headImage: { type: 'string', description: '头像完整路径 ("" when none)' },
    gender: { type: 'string', enum: ['0', '1', ''], description: '"0" 女, "1" 男, "" not given' },
  },
};

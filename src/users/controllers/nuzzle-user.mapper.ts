import type { UserEntity } from '#src/users/user.entity.js';
import type { NuzzleAccount, NuzzleUser } from '#src/users/dto/nuzzle-user.dto.js';

const NUZZLE_STATUS = { active: 'NORMAL', banned: 'CANCELED', closed: 'CANCELED' } as const;

/** Another user's profile never shows their email or Facebook id. */
export function toNuzzleUser(user: UserEntity, viewerIsSelf: boolean): NuzzleUser {
  return {
    id: user.id,
    email: viewerIsSelf ? (user.email ?? '') : '',
    nickname: user.nickname,
    facebookId: viewerIsSelf ? (user.facebookId ?? '') : '',
    regDone: user.regDone,
    type: user.type,
    avatar: user.avatarUrl,
    signature: user.signature,
    registerTime: user.createdAt.getTime(),
  };
}

export function toNuzzleAccount(user: UserEntity, token: string): NuzzleAccount {
  return {
    id: user.id,
    userId: user.id,
    token,
    status: NUZZLE_STATUS[user.status],
    email: user.email ?? '',
    nickname: user.nickname,
    facebookId: user.facebookId ?? '',
    regDone: user.regDone,
    type: user.type,
    avatar: user.avatarUrl,
    thumbnail: user.avatarUrl,
    registerTime: user.createdAt.getTime(),
  };
}

import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { FriendMessage } from '#src/friends/friend-request.js';
import { toMrpyqMessage, toRequestReference } from '#src/friends/controllers/mrpyq-friend.mapper.js';
import { genderFromMrpyq, genderToMrpyq } from '#src/friends/controllers/mrpyq-user.mapper.js';
import { UserEntity } from '#src/users/user.entity.js';

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'ok';
};

describe(toMrpyqMessage.name, () => {
  const other = Object.assign(new UserEntity(), {
    phone: '+8613800000002',
    nickname: 'b',
    avatarUrl: '',
    gender: 2,
  });
  const message = (side: FriendMessage['side'], status: FriendMessage['status']): FriendMessage => ({
    requestId: '1',
    side,
    status,
    requestedAt: new Date(1_717_171_717_171),
    requesterPhone: '+8613800000001',
    addresseePhone: '+8613800000002',
    other,
  });

  it.each([
    ['addressee', 'pending', 0],
    ['addressee', 'accepted', 1],
    ['requester', 'pending', 2],
    ['requester', 'accepted', 3],
  ] as const)('should flag the %s’s %s request %d', (side, status, flag) => {
    expect(toMrpyqMessage(message(side, status)).flag).toBe(flag);
  });

  it('should name both messages "phone,timestamp", the addressee’s verifyId and the requester’s objectId', () => {
    expect(toMrpyqMessage(message('addressee', 'pending'))).toMatchObject({
      verifyId: '13800000002,1717171717171',
      objectId: '13800000001,1717171717171',
      userId: '13800000001',
      objectUserId: '13800000002',
      time: 1_717_171_717_171,
      user: { userId: '13800000002', gender: '0' },
    });
  });
});

describe(toRequestReference.name, () => {
  const ids = { userId: '+8613800000001', verifyId: '13800000002,17', objectId: '13800000001,17' };

  it('should read the request both ids name', () => {
    expect(toRequestReference(ids)).toEqual({
      requesterPhone: '+8613800000001',
      addresseePhone: '+8613800000002',
      requestedAtMs: 17,
    });
    expect(toRequestReference({ ...ids, verifyId: '13800000002，17' }).requestedAtMs).toBe(17);
  });

  it('should refuse ids of two times or no phone as INVALID_PARAMS, and a userId that is not the requester as NOT_FOUND', () => {
    expect(codeOf(() => toRequestReference({ ...ids, objectId: '13800000001,18' }))).toBe('INVALID_PARAMS');
    expect(codeOf(() => toRequestReference({ ...ids, verifyId: '12,17' }))).toBe('INVALID_PARAMS');
    expect(codeOf(() => toRequestReference({ ...ids, userId: '+8613800000003' }))).toBe('NOT_FOUND');
  });
});

describe('mrpyq gender', () => {
  it('should store "1" as 1 (male), "0" as 2 (female), anything else as not given, and show them back', () => {
    expect([
      genderFromMrpyq('1'),
      genderFromMrpyq('0'),
      genderFromMrpyq(undefined),
      genderFromMrpyq(''),
    ]).toEqual([1, 2, null, null]);
    expect([genderToMrpyq(1), genderToMrpyq(2), genderToMrpyq(null), genderToMrpyq(9)]).toEqual([
      '1',
      '0',
      '',
      '',
    ]);
  });
});

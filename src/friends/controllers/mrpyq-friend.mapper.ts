import { DomainError } from '#src/common/errors/domain-error.js';
import type { FriendMessage, RequestReference } from '#src/friends/friend-request.js';
import type { FriendOnList } from '#src/friends/friends.service.js';
import {
  toMrpyqUser,
  MRPYQ_USER_SCHEMA,
  type MrpyqUser,
} from '#src/friends/controllers/mrpyq-user.mapper.js';
import { toChinaTime, type StreamObject } from '#src/live/stream-object.js';
import type { PlayUrls } from '#src/live/stream-provider.js';
import { toE164, toLocalPhone } from '#src/users/phone.js';

/** The message flags of the document: the addressee's 0 pending / 1 accepted, the requester's 2 waiting / 3 agreed. */
export type MessageFlag = 0 | 1 | 2 | 3;

export interface MrpyqMessage {
  flag: MessageFlag;
  /** The addressee's message: "addressee phone,timestamp". */
  verifyId: string;
  /** The requester's message: "requester phone,timestamp". */
  objectId: string;
  /** 申请者: the requester's phone (dealMessage's `userId`). */
  userId: string;
  /** 被申请者: the addressee's phone. */
  objectUserId: string;
  /** When the request was made, epoch milliseconds (the timestamp of both ids). */
  time: number;
  /** The other side. */
  user: MrpyqUser;
}

export function toMrpyqMessage(message: FriendMessage): MrpyqMessage {
  const time = message.requestedAt.getTime();
  const requester = toLocalPhone(message.requesterPhone);
  const addressee = toLocalPhone(message.addresseePhone);
  const accepted = message.status === 'accepted';
  const flag: MessageFlag = message.side === 'addressee' ? (accepted ? 1 : 0) : accepted ? 3 : 2;
  return {
    flag,
    verifyId: `${addressee},${time}`,
    objectId: `${requester},${time}`,
    userId: requester,
    objectUserId: addressee,
    time,
    user: toMrpyqUser(message.other),
  };
}

/**
 * The request that `verifyId` and `objectId` name. INVALID_PARAMS when they do not name one request (two times, a
 * number that is not a phone); NOT_FOUND when `userId` is not the requester `objectId` names.
 */
export function toRequestReference(input: {
  userId: string;
  verifyId: string;
  objectId: string;
}): RequestReference {
  const [addresseeRaw, verifyTime] = input.verifyId.split(/[,，]/).map((part) => part.trim());
  const [requesterRaw, objectTime] = input.objectId.split(/[,，]/).map((part) => part.trim());
  const addresseePhone = toE164(addresseeRaw);
  const requesterPhone = toE164(requesterRaw);
  if (!addresseePhone || !requesterPhone || verifyTime !== objectTime) {
    throw new DomainError('INVALID_PARAMS', 'verifyId and objectId do not name one request', {
      fields: ['verifyId', 'objectId'],
    });
  }
  if (requesterPhone !== input.userId) throw new DomainError('NOT_FOUND', 'userId is not the requester');
  return { requesterPhone, addresseePhone, requestedAtMs: Number(verifyTime) };
}

export interface MrpyqFriend extends MrpyqUser {
  live: boolean;
  /** While live: the room, where to watch, and the stream object as viewers may see it. */
  room: null | {
    title: string;
    /** RFC 3339, China time, as the stream object's times. */
    liveSince: string;
    play: PlayUrls;
    stream: StreamObject;
  };
}

export function toMrpyqFriend(friend: FriendOnList): MrpyqFriend {
  const live = friend.live;
  return {
    ...toMrpyqUser(friend.user),
    live: live !== undefined,
    room: live
      ? { title: live.title, liveSince: toChinaTime(live.liveSince), play: live.play, stream: live.stream }
      : null,
  };
}

export const MRPYQ_MESSAGE_SCHEMA = {
  type: 'object',
  properties: {
    flag: {
      type: 'integer',
      enum: [0, 1, 2, 3],
      description: '被申请者 0 待接受, 1 已接受; 申请者 2 等待验证, 3 已同意',
    },
    verifyId: { type: 'string', description: '"被申请者电话号码,时间戳"' },
    objectId: { type: 'string', description: '"申请者电话号码,时间戳"' },
    userId: { type: 'string', description: '申请者的电话号码' },
    objectUserId: { type: 'string', description: '被申请者的电话号码' },
    time: { type: 'integer', description: 'epoch milliseconds' },
    user: MRPYQ_USER_SCHEMA,
  },
};

export const MRPYQ_FRIEND_SCHEMA = {
  type: 'object',
  properties: {
    ...MRPYQ_USER_SCHEMA.properties,
    live: { type: 'boolean' },
    room: {
      type: 'object',
      nullable: true,
      properties: {
        title: { type: 'string' },
        liveSince: { type: 'string' },
        play: {
          type: 'object',
          properties: { rtmp: { type: 'string' }, hls: { type: 'string' }, flv: { type: 'string' } },
        },
        stream: {
          type: 'object',
          description: 'the stream object of live=1, without publishKey and publishUrl',
        },
      },
    },
  },
};

import type { UserEntity } from '#src/users/user.entity.js';

/** How the viewer stands to another user. */
export type Relation = 'self' | 'friend' | 'stranger';

/**
 * A friend request as one side sees it. mrpyq shows it as a message whose flag says which side and state:
 * the addressee's `pending` (0) or `accepted` (1), the requester's `waiting` (2) or `agreed` (3).
 */
export interface FriendMessage {
  requestId: string;
  /** The viewer's side of the request. */
  side: 'addressee' | 'requester';
  status: 'pending' | 'accepted';
  requestedAt: Date;
  requesterPhone: string;
  addresseePhone: string;
  /** The other side. */
  other: UserEntity;
}

export interface Friend {
  user: UserEntity;
  since: Date;
}

/** What a message's owner may do with it (mrpyq's `behaviour`). */
export type MessageBehaviour = 'accept' | 'delete';

/**
 * Names one request as both of its messages do (mrpyq's `verifyId` and `objectId`: "phone,timestamp"): the
 * addressee's and the requester's phone, and the time it was made (epoch milliseconds).
 */
export interface RequestReference {
  requesterPhone: string;
  addresseePhone: string;
  requestedAtMs: number;
}

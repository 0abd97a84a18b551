import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '#src/auth/principal.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type {
  Friend,
  FriendMessage,
  MessageBehaviour,
  Relation,
  RequestReference,
} from '#src/friends/friend-request.js';
import { FriendsRepository } from '#src/friends/friends.repository.js';
import { LiveRoomsService, type LiveBroadcast } from '#src/live/live-rooms.service.js';
import { toE164 } from '#src/users/phone.js';
import type { UserEntity } from '#src/users/user.entity.js';

export interface FriendOnList extends Friend {
  /** Set while the friend is live: the room and what a viewer needs to watch it. */
  live?: LiveBroadcast;
}

/**
 * Friends by phone (mrpyq): a request the other side accepts, or declines by deleting it; a repeated request is the
 * same one; asking someone who already asked you makes you friends. Every change of one pair of users runs under
 * that pair's lock, so two requests crossing each other cannot leave half a friendship.
 */
@Injectable()
export class FriendsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly friends: FriendsRepository,
    private readonly rooms: LiveRoomsService,
    private readonly clock: Clock,
  ) {}

  /** The user with this phone and how the viewer stands to them. USER_NOT_FOUND for no open account. */
  async search(viewer: Principal, phone: string): Promise<{ user: UserEntity; relation: Relation }> {
    const user = await this.userByPhone(phone);
    if (user.id === viewer.userId) return { user, relation: 'self' };
    return {
      user,
      relation: (await this.friends.areFriends(viewer.userId, user.id)) ? 'friend' : 'stranger',
    };
  }

  /**
   * Asks the user with this phone to be friends: `requested` (a repeat changes nothing), or `befriended` when they
   * had asked the viewer already. USER_NOT_FOUND for no open account, FORBIDDEN for oneself, CONFLICT when they are
   * friends already.
   */
  async requestFriendship(viewer: Principal, phone: string): Promise<'requested' | 'befriended'> {
    const other = await this.userByPhone(phone);
    if (other.id === viewer.userId) throw new DomainError('FORBIDDEN', 'one cannot befriend oneself');
    return this.dataSource.transaction(async (em) => {
      await this.friends.lockPair(em, viewer.userId, other.id);
      if (await this.friends.areFriends(viewer.userId, other.id, em)) {
        throw new DomainError('CONFLICT', 'already friends');
      }
      const now = this.clock.now();
      const theirs = await this.friends.findRequest(em, other.id, viewer.userId);
      if (theirs?.status === 'pending') {
        await this.friends.acceptRequest(em, theirs.id, now);
        await this.friends.insertFriendship(em, viewer.userId, other.id, now);
        return 'befriended';
      }
      const mine = await this.friends.findRequest(em, viewer.userId, other.id);
      if (!mine) await this.friends.insertRequest(em, viewer.userId, other.id, now);
      else if (mine.status !== 'pending') await this.friends.renewRequest(em, mine.id, now);
      return 'requested';
    });
  }

  /** The requests the viewer made or received, newest first (at most MESSAGE_LIST_MAX). */
  messages(viewer: Principal): Promise<FriendMessage[]> {
    return this.friends.messagesOf(viewer.user);
  }

  /**
   * Acts on one of the viewer's messages. `accept`: only the addressee, on a pending request (accepting again changes
   * nothing). `delete`: a pending request is declined (addressee) or withdrawn (requester), gone from both lists;
   * an accepted one is hidden from the viewer's list only. NOT_FOUND for a reference that names no request, or one
   * that is not the viewer's to act on.
   */
  async handleMessage(viewer: Principal, ref: RequestReference, behaviour: MessageBehaviour): Promise<void> {
    const phone = viewer.user.phone;
    const side =
      phone === ref.addresseePhone ? 'addressee' : phone === ref.requesterPhone ? 'requester' : undefined;
    if (!side || (behaviour === 'accept' && side !== 'addressee')) {
      throw new DomainError('NOT_FOUND', 'no such message of yours');
    }
    await this.dataSource.transaction(async (em) => {
      const found = await this.friends.findReferenced(em, ref);
      if (!found) throw new DomainError('NOT_FOUND', 'no such message of yours');
      // The pair's lock first, like every change of the pair, then the request as it is under the lock.
      await this.friends.lockPair(em, found.requesterId, found.addresseeId);
      const request = await this.friends.findRequest(em, found.requesterId, found.addresseeId);
      if (!request || request.id !== found.id) throw new DomainError('NOT_FOUND', 'no such message of yours');
      if (behaviour === 'accept') {
        if (request.status === 'accepted') return;
        const now = this.clock.now();
        await this.friends.acceptRequest(em, request.id, now);
        await this.friends.insertFriendship(em, request.requesterId, request.addresseeId, now);
        return;
      }
      if (request.status === 'pending') await this.friends.deleteRequest(em, request.id);
      else await this.friends.hideRequest(em, request.id, side);
    });
  }

  /**
   * Ends a friendship, and forgets the requests between the two (a new one starts afresh). NOT_FOUND when the
   * phone names no friend of the viewer (or no one at all: the answer does not tell which).
   */
  async unfriend(viewer: Principal, phone: string): Promise<void> {
    const e164 = toE164(phone);
    const other = e164 ? await this.friends.findUserByPhone(e164) : undefined;
    if (!other || other.id === viewer.userId) throw new DomainError('NOT_FOUND', 'not a friend');
    await this.dataSource.transaction(async (em) => {
      await this.friends.lockPair(em, viewer.userId, other.id);
      if (!(await this.friends.deleteFriendship(em, viewer.userId, other.id))) {
        throw new DomainError('NOT_FOUND', 'not a friend');
      }
      await this.friends.deleteRequestsBetween(em, viewer.userId, other.id);
    });
  }

  /**
   * The viewer's friends: those live now first (the latest to go live first), then the others (the newest
   * friendship first). A streaming provider that cannot say who is live shows nobody live, never fails the list.
   */
  async friendList(viewer: Principal): Promise<FriendOnList[]> {
    const friends = await this.friends.friendsOf(viewer.userId);
    const live = await this.rooms.liveNow(friends.map((f) => f.user.id));
    const listed: FriendOnList[] = friends.map((f) => ({ ...f, live: live.get(f.user.id) }));
    const liveFirst = listed
      .filter((f) => f.live)
      .sort((a, b) => b.live!.liveSince.getTime() - a.live!.liveSince.getTime());
    return [...liveFirst, ...listed.filter((f) => !f.live)];
  }

  private async userByPhone(phone: string): Promise<UserEntity> {
    const e164 = toE164(phone);
    const user = e164 ? await this.friends.findUserByPhone(e164) : undefined;
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return user;
  }
}

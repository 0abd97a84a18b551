import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { IncomeService, type ReceivedGifts } from '#src/coins/income.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { LiveRoomsRepository } from '#src/live/live-rooms.repository.js';
import { toE164 } from '#src/users/phone.js';
import { UsersRepository } from '#src/users/users.repository.js';

/** Longest gift description kept, in characters. */
export const MAX_GIFT_DESCRIPTION = 200;

export interface SentGift {
  value: number;
  /** What reached the anchor's income (the rest is the platform's share, COIN_GIFT_PLATFORM_SHARE). */
  anchorAmount: number;
  /** The sender's coins now. */
  balance: number;
}

export interface RoomGifts extends ReceivedGifts {
  /** The room the gifts were given in; null when the anchor has no open room (then no gifts). */
  roomId: string | null;
}

/**
 * Gifts to anchors (mrpyq's send_gift): the sender's coins go to the anchor's income in one ledger posting
 * (CoinsService.gift). A room's gifts are those its owner received while it was open.
 */
@Injectable()
export class LiveGiftsService {
  constructor(
    private readonly coins: CoinsService,
    private readonly income: IncomeService,
    private readonly users: UsersRepository,
    private readonly rooms: LiveRoomsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * `anchor` is the anchor's phone (mrpyq's user id). USER_NOT_FOUND for a number with no open account,
   * INVALID_PARAMS for a value that is not a positive whole number of coins, FORBIDDEN for a gift to oneself,
   * INSUFFICIENT_COINS when the sender's balance does not cover it. Every call is a gift of its own: mrpyq has no
   * request id, so a retried request gives again.
   */
  async sendGift(input: {
    senderId: string;
    anchor: string;
    value: number;
    description?: string;
  }): Promise<SentGift> {
    const phone = toE164(input.anchor);
    const anchor = phone ? await this.users.findOpenByPhone(phone) : null;
    if (!anchor) throw new DomainError('USER_NOT_FOUND', 'no such anchor');
    const description = [...(input.description ?? '').trim()].slice(0, MAX_GIFT_DESCRIPTION).join('');
    const gift = await this.coins.gift({
      senderId: input.senderId,
      anchorId: anchor.id,
      value: input.value,
      giftKey: randomUUID(),
      description,
    });
    return { value: gift.value, anchorAmount: gift.anchorAmount, balance: gift.balance };
  }

  /** The gifts received in the anchor's current room (open, live or ended, not closed), newest first. */
  async giftsInCurrentRoom(anchorId: string, page: { maxId?: string; size: number }): Promise<RoomGifts> {
    const room = await this.rooms.findOpenByUser(anchorId);
    if (!room) return { roomId: null, gifts: [], nextMaxId: null };
    const gifts = await this.income.giftsReceived(anchorId, { ...page, from: room.createdAt });
    return { roomId: room.id, ...gifts };
  }

  /** Everything the anchor was given, newest first (the gifts in the anchor's income). */
  giftsReceived(anchorId: string, page: { maxId?: string; size: number }): Promise<ReceivedGifts> {
    return this.income.giftsReceived(anchorId, { ...page, to: this.clock.now() });
  }
}

import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { FeedsService } from '#src/feeds/feeds.service.js';
import { feedItemKey } from '#src/feeds/feed-items.js';

export interface FeedPurchase {
  /** The buyer's coin balance after paying. */
  balance: number;
}

/** Paid videos (nuzzle `/pay/view`): a feed's rules, then one ledger posting. */
@Injectable()
export class FeedPurchasesService {
  constructor(
    private readonly feeds: FeedsService,
    private readonly coins: CoinsService,
  ) {}

  /**
   * The buyer pays the feed's price; its author's income receives it less the platform's share, in one posting.
   * One purchase per buyer and feed: a second one, also when both race, is ALREADY_PURCHASED. NOT_FOUND: no
   * listed feed of this type (deleted, hidden, its author closed); FORBIDDEN: a free feed, a picture, one's own;
   * INSUFFICIENT_COINS: the balance does not cover the price.
   */
  async buy(buyerId: string, feedId: string, type: FeedType): Promise<FeedPurchase> {
    const feed = await this.feeds.listedFeed(feedId, type);
    if (!feed) throw new DomainError('NOT_FOUND', 'no such feed');
    if (feed.type !== 'video' || feed.free) throw new DomainError('FORBIDDEN', 'only paid videos are sold');
    if (feed.authorId === buyerId) throw new DomainError('FORBIDDEN', 'an author cannot buy their own feed');
    const purchase = await this.coins.purchase({
      buyerId,
      sellerId: feed.authorId,
      itemKey: feedItemKey(feed.id),
      price: feed.price,
    });
    // The purchase key is the feed itself (the app sends no request id), so a second purchase is a replay of the
    // first: bought already.
    if (purchase.replayed) throw new DomainError('ALREADY_PURCHASED', 'this user already bought this feed');
    return { balance: purchase.balance };
  }
}

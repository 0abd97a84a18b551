import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';
import { feedItemKey } from '#src/feeds/feed-items.js';
import { FeedsRepository } from '#src/feeds/feeds.repository.js';

/** Who bought which feed, from the ledger's purchases (one entitlement per buyer and feed). */
@Injectable()
export class LedgerFeedEntitlements extends FeedEntitlements {
  constructor(
    private readonly coins: CoinsService,
    private readonly feeds: FeedsRepository,
  ) {
    super();
  }

  /** Purchases are indexed by seller: the feed's author first (a delete, rare, pays the extra lookup). */
  async hasBuyers(feedId: string): Promise<boolean> {
    const feed = isBigintId(feedId) ? await this.feeds.findAnyById(feedId) : null;
    return feed ? this.coins.hasBuyers(feed.authorId, feedItemKey(feed.id)) : false;
  }
}

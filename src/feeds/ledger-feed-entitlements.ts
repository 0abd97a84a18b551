import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';
import { FeedsRepository } from '#src/feeds/feeds.repository.js';

/** A paid feed's item in the coin ledger: what `/pay/view` buys and `/income/*` reports. */
export function feedItemKey(feedId: string): string {
  return `feed:${feedId}`;
}

/** The feed id of a ledger item, or undefined for an item that is not a feed. */
export function feedIdOfItem(itemKey: string): string | undefined {
  return /^feed:(\d{1,19})$/.exec(itemKey)?.[1];
}

/** Who bought which feed, from the ledger's purchases (one entitlement per buyer and feed). */
@Injectable()
export class LedgerFeedEntitlements extends FeedEntitlements {
  constructor(
    private readonly coins: CoinsService,
    private readonly feeds: FeedsRepository,
  ) {
    super();
  }

  async boughtAmong(userId: string, feedIds: readonly string[]): Promise<ReadonlySet<string>> {
    const bought = await this.coins.purchasedAmong(userId, feedIds.map(feedItemKey));
    const ids = new Set<string>();
    for (const item of bought) {
      const id = feedIdOfItem(item);
      if (id) ids.add(id);
    }
    return ids;
  }

  /** Purchases are indexed by seller: the feed's author first (a delete, rare, pays the extra lookup). */
  async hasBuyers(feedId: string): Promise<boolean> {
    const feed = isBigintId(feedId) ? await this.feeds.findAnyById(feedId) : null;
    return feed ? this.coins.hasBuyers(feed.authorId, feedItemKey(feed.id)) : false;
  }
}

import { Injectable } from '@nestjs/common';
import { IncomeService, type IncomePurchase } from '#src/coins/income.service.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { FeedsService, type FeedView } from '#src/feeds/feeds.service.js';
import { feedIdOfItem, feedItemKey } from '#src/feeds/feed-items.js';

export interface FeedIncome {
  feedId: string;
  /** What the author received for it (prices less the platform's share). */
  coins: number;
  counts: number;
  /**
   * The feed as its author sees it (their own: the video's signed address included); undefined once it is no
   * longer listed (hidden by an operator, its income stays).
   */
  feed?: FeedView;
}

export interface FeedIncomeSummary {
  coins: number;
  counts: number;
  /** The most recently bought first. */
  feeds: FeedIncome[];
}

export interface FeedIncomeDetail extends FeedIncome {
  /** Newest first; the last one's id is the next page's `maxId`. */
  purchases: IncomePurchase[];
}

/** An author's income from paid feeds (nuzzle `/income/*`): the ledger's figures beside the feeds they came from. */
@Injectable()
export class FeedIncomeService {
  constructor(
    private readonly income: IncomeService,
    private readonly feeds: FeedsService,
  ) {}

  /** Totals and per-feed figures of every feed the author sold: one query for the figures, one for the feeds. */
  async summary(authorId: string): Promise<FeedIncomeSummary> {
    const figures = await this.income.summary(authorId);
    const items = figures.items.flatMap(({ itemKey, coins, counts }) => {
      const feedId = feedIdOfItem(itemKey);
      return feedId ? [{ feedId, coins, counts }] : [];
    });
    const views = await this.feeds.listedViews(
      authorId,
      items.map((i) => i.feedId),
    );
    return {
      coins: items.reduce((sum, i) => sum + i.coins, 0),
      counts: items.reduce((sum, i) => sum + i.counts, 0),
      feeds: items.map((i) => ({ ...i, feed: views.get(i.feedId) })),
    };
  }

  /**
   * One feed's figures and its buyers, newest first, keyset-paged by `maxId` (the last purchase id of the previous
   * page). NOT_FOUND: no listed feed of this type and no income from such a feed; FORBIDDEN: someone else's feed.
   * INVALID_PARAMS: see IncomeService.detail.
   */
  async detail(
    authorId: string,
    feedId: string,
    type: FeedType,
    page: { maxId?: string; size: number },
  ): Promise<FeedIncomeDetail> {
    if (!isBigintId(feedId)) throw new DomainError('NOT_FOUND', 'no such feed');
    const [views, detail] = await Promise.all([
      this.feeds.listedViews(authorId, [feedId]),
      this.income.detail(authorId, feedItemKey(feedId), page),
    ]);
    const feed = views.get(feedId);
    if (feed) {
      if (feed.type !== type) throw new DomainError('NOT_FOUND', 'no such feed');
      if (feed.authorId !== authorId)
        throw new DomainError('FORBIDDEN', 'the income of another author’s feed');
    } else if (detail.counts === 0 || type !== 'video') {
      // Only videos are sold: income from a feed no longer listed is still its author's to read.
      throw new DomainError('NOT_FOUND', 'no such feed');
    }
    return { feedId, coins: detail.coins, counts: detail.counts, feed, purchases: detail.purchases };
  }
}

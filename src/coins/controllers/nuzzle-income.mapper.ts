import type {
  NuzzleIncomeDetailAnswer,
  NuzzleIncomeFeed,
  NuzzleIncomeSummaryAnswer,
} from '#src/coins/dto/nuzzle-income.dto.js';
import type { FeedIncome, FeedIncomeDetail, FeedIncomeSummary } from '#src/coins/feed-income.service.js';

/** A feed no longer listed keeps its id and type (only videos are sold) and shows no files. */
function toIncomeFeed(income: FeedIncome): NuzzleIncomeFeed {
  const { feed } = income;
  return feed
    ? { id: feed.id, photoUrl: feed.photoUrl, type: feed.type, videoUrl: feed.videoUrl }
    : { id: income.feedId, photoUrl: '', type: 'video', videoUrl: '' };
}

export function toNuzzleIncomeSummary(summary: FeedIncomeSummary): NuzzleIncomeSummaryAnswer {
  return {
    summary: { coins: summary.coins, counts: summary.counts },
    list: summary.feeds.map((f) => ({ coins: f.coins, counts: f.counts, feed: toIncomeFeed(f) })),
  };
}

export function toNuzzleIncomeDetail(detail: FeedIncomeDetail): NuzzleIncomeDetailAnswer {
  return {
    summary: { coins: detail.coins, counts: detail.counts, feed: toIncomeFeed(detail) },
    list: detail.purchases.map((p) => ({
      id: p.id,
      payTime: p.paidAt.getTime(),
      coins: p.coins,
      user: { id: p.buyer.id, nickname: p.buyer.nickname, avatar: p.buyer.avatarUrl },
    })),
  };
}

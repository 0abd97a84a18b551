import { holdsItemSql } from '#src/coins/ledger.repository.js';

/** What a feed's ledger item starts with, then its id (feedIdOfItem reads the same shape). */
const FEED_ITEM_PREFIX = 'feed:';

/** A paid feed's item in the coin ledger: what `/pay/view` buys and `/income/*` reports. */
export function feedItemKey(feedId: string): string {
  return `${FEED_ITEM_PREFIX}${feedId}`;
}

/** The feed id of a ledger item, or undefined for an item that is not a feed. */
export function feedIdOfItem(itemKey: string): string | undefined {
  return /^feed:(\d{1,19})$/.exec(itemKey)?.[1];
}

/**
 * SQL: whether the viewer (the bigint parameter `viewer`; NULL for someone signed out) bought the paid feed `f`. It is
 * a column of the page statements: a page of feeds with its access is one round trip (docs/performance.md, "Feed
 * lists").
 */
export function boughtByViewerSql(viewer: string): string {
  return `(NOT f.free AND ${holdsItemSql(viewer, `'${FEED_ITEM_PREFIX}' || f.id`)})`;
}

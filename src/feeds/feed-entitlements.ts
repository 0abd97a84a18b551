/**
 * Whether a paid feed has buyers: LedgerFeedEntitlements, from the coin ledger's purchases (`/pay/view`). Whether
 * one viewer bought the feeds of a page is read by the page statement itself (boughtByViewerSql).
 */
export abstract class FeedEntitlements {
  /** Whether anyone bought this feed (its author may then not delete it: `USER_BOUGHT`). */
  abstract hasBuyers(feedId: string): Promise<boolean>;
}

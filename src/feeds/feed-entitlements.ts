/**
 * Who has bought which paid feed: LedgerFeedEntitlements, from the coin ledger's purchases (`/pay/view`).
 */
export abstract class FeedEntitlements {
  /**
   * Of these paid feeds, the ids `userId` bought. Called once per page of feeds, with every paid feed of the page
   * that is not the viewer's own: one query, however long the page.
   */
  abstract boughtAmong(userId: string, feedIds: readonly string[]): Promise<ReadonlySet<string>>;

  /** Whether anyone bought this feed (its author may then not delete it: `USER_BOUGHT`). */
  abstract hasBuyers(feedId: string): Promise<boolean>;
}

/** Nobody bought anything: for module tests that leave the ledger out. */
export class NoFeedEntitlements extends FeedEntitlements {
  boughtAmong(): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set());
  }

  hasBuyers(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

/**
 * Who has bought which paid feed. The payments area implements it (purchases of `/pay/view`); until it is wired,
 * nobody has bought anything and only authors watch their paid videos.
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

export class NoFeedEntitlements extends FeedEntitlements {
  boughtAmong(): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set());
  }

  hasBuyers(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

import { Injectable } from '@nestjs/common';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';

export interface AccessSubject {
  id: string;
  authorId: string;
  free: boolean;
}

/**
 * Who may watch a feed: anyone when it is free; when it is paid, its author and those who bought it. The one place
 * that decides, so every endpoint showing feeds answers alike.
 */
@Injectable()
export class FeedAccess {
  constructor(private readonly entitlements: FeedEntitlements) {}

  /** The ids of `feeds` that `viewerId` (undefined: someone signed out) may watch. At most one lookup per call. */
  async watchable(viewerId: string | undefined, feeds: readonly AccessSubject[]): Promise<Set<string>> {
    const allowed = new Set<string>();
    const toCheck: string[] = [];
    for (const feed of feeds) {
      if (feed.free || feed.authorId === viewerId) allowed.add(feed.id);
      else if (viewerId) toCheck.push(feed.id);
    }
    if (viewerId && toCheck.length > 0) {
      for (const id of await this.entitlements.boughtAmong(viewerId, toCheck)) allowed.add(id);
    }
    return allowed;
  }
}

import { Injectable } from '@nestjs/common';

export interface AccessSubject {
  authorId: string;
  free: boolean;
}

/**
 * Who may watch a feed: anyone when it is free; when it is paid, its author and those who bought it. The one place
 * that decides, so every endpoint showing feeds answers alike.
 */
@Injectable()
export class FeedAccess {
  /**
   * Whether `viewerId` (undefined: someone signed out) may watch `feed`; `bought`: whether they bought it (read with
   * the feed, boughtByViewerSql).
   */
  mayWatch(viewerId: string | undefined, feed: AccessSubject, bought: boolean): boolean {
    return feed.free || (viewerId !== undefined && (feed.authorId === viewerId || bought));
  }
}

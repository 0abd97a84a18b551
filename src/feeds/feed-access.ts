import { Injectable } from '@nestjs/common';

export interface AccessSubject {
  authorId: string;
  free: boolean;
  /** Whether the viewer bought it (read with the feed: boughtByViewerSql). */
  bought: boolean;
}

/**
 * Who may watch a feed: anyone when it is free; when it is paid, its author and those who bought it. The one place
 * that decides, so every endpoint showing feeds answers alike.
 */
@Injectable()
export class FeedAccess {
  /** Whether `viewerId` (undefined: someone signed out) may watch `feed`. */
  mayWatch(viewerId: string | undefined, feed: AccessSubject): boolean {
    return feed.free || (viewerId !== undefined && (feed.authorId === viewerId || feed.bought));
  }
}

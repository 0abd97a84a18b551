import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type NuzzleFeed,
  type NuzzlePageDto,
} from '#src/feeds/dto/nuzzle-feed.dto.js';
import type { FeedPage, FeedView } from '#src/feeds/feeds.service.js';

/** `size` defaults to 10 (or `fallback`); a page bigger than 50 is answered with 50. */
export function pageOf(params: NuzzlePageDto, fallback = DEFAULT_PAGE_SIZE): FeedPage {
  return { maxId: params.maxId, size: Math.min(params.size ?? fallback, MAX_PAGE_SIZE) };
}

export function toNuzzleFeed(view: FeedView): NuzzleFeed {
  return {
    id: view.id,
    author: view.authorId,
    type: view.type,
    photoUrl: view.photoUrl,
    videoUrl: view.videoUrl,
    width: view.width,
    height: view.height,
    duration: view.duration,
    words: view.words,
    tag: view.tag ?? '',
    free: view.free,
    price: view.price,
    mute: view.mute,
    shootingTime: view.shootingTime?.getTime() ?? 0,
    publishTime: view.publishedAt.getTime(),
    access: view.access,
    authorUserInfo: { id: view.author.id, nickname: view.author.nickname, avatar: view.author.avatarUrl },
  };
}

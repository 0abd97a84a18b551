import { toNuzzleFeed } from '#src/feeds/controllers/nuzzle-feed.mapper.js';
import type { StarPage, StarView } from '#src/stars/stars.service.js';
import type { NuzzleStar, NuzzleStarTaggedFeeds } from '#src/stars/dto/nuzzle-star.dto.js';
import { toNuzzleUser } from '#src/users/controllers/nuzzle-user.mapper.js';

export function toNuzzleStar(view: StarView, viewerId: string): NuzzleStar {
  return {
    ...toNuzzleUser(view.user, view.user.id === viewerId),
    hasFollow: view.hasFollow,
    feeds: view.previews.map((p) => ({ type: p.type, photoUrl: p.photoUrl })),
  };
}

export function toNuzzleStarTaggedFeeds(page: StarPage, viewerId: string): NuzzleStarTaggedFeeds {
  const own = page.user.id === viewerId;
  return {
    feeds: page.feeds.map(toNuzzleFeed),
    userMap: {
      id: page.user.id,
      ...(page.balance === undefined ? {} : { balance: page.balance }),
      nickname: page.user.nickname,
      facebookId: own ? (page.user.facebookId ?? '') : '',
      hasFollow: page.hasFollow,
      regDone: page.user.regDone,
      code: '',
      avatar: page.user.avatarUrl,
      signature: page.user.signature,
      fansCount: page.fansCount,
    },
  };
}

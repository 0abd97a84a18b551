import { Injectable } from '@nestjs/common';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import { FeedAccess } from '#src/feeds/feed-access.js';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';
import type { FeedEntity, FeedTag, FeedType, ReportType } from '#src/feeds/feed.entity.js';
import { FeedsRepository, type FeedWithAuthor } from '#src/feeds/feeds.repository.js';
import { MediaUrlSigner } from '#src/media/media-url-signer.js';
import { Storage } from '#src/media/storage.js';
import { UploadedMedia } from '#src/media/uploaded-media.service.js';

/** A feed as one viewer sees it: addresses built, and the video's address only when the viewer may watch. */
export interface FeedView {
  id: string;
  authorId: string;
  type: FeedType;
  photoUrl: string;
  /** Empty for a picture, and for a paid video the viewer may not watch; a signed, expiring address otherwise. */
  videoUrl: string;
  width: number;
  height: number;
  duration: number;
  words: string;
  tag: FeedTag | null;
  free: boolean;
  price: number;
  mute: boolean;
  shootingTime: Date | null;
  publishedAt: Date;
  /** Whether the viewer may watch it: free, their own, or bought. */
  access: boolean;
  author: { id: string; nickname: string; avatarUrl: string };
}

export interface NewFeed {
  type: FeedType;
  photoUrl: string;
  videoUrl?: string;
  width: number;
  height: number;
  duration?: number;
  words?: string;
  tag?: FeedTag;
  free: boolean;
  /** Whole coins; required and positive when not free. */
  price?: number;
  mute?: boolean;
  shootingTime?: Date;
}

export interface FeedPage {
  /** The id of the last feed of the previous page. */
  maxId?: string;
  size: number;
}

export const MAX_PRICE = 1_000_000;

/** Feed lookups of `/pay/view`: one at a time while the database keeps up, shared queries beyond that. */
const PURCHASE_LOOKUP_BATCHING = { maxInFlight: 2, maxBatch: 64 };

@Injectable()
export class FeedsService {
  constructor(
    private readonly feeds: FeedsRepository,
    private readonly access: FeedAccess,
    private readonly entitlements: FeedEntitlements,
    private readonly uploads: UploadedMedia,
    private readonly storage: Storage,
    private readonly signer: MediaUrlSigner,
    private readonly clock: Clock,
  ) {}

  /**
   * Publishes a picture or a video. Its files must be the author's own uploads (a video's photo is its cover); a
   * paid video's file leaves public reach before anyone is shown the feed. INVALID_PARAMS: a paid picture, a paid
   * feed without a positive price, a video without its file, or an address that is no upload of ours; FORBIDDEN:
   * someone else's upload; UNSUPPORTED_MEDIA, FILE_TOO_LARGE: see UploadedMedia; CONFLICT: the video already
   * backs another feed.
   */
  async post(authorId: string, input: NewFeed): Promise<string> {
    if (!input.free && input.type !== 'video') {
      throw new DomainError('INVALID_PARAMS', 'only videos can be paid for (/pay/view buys videos)');
    }
    const price = input.free ? 0 : (input.price ?? 0);
    if (!input.free && (!Number.isInteger(price) || price < 1 || price > MAX_PRICE)) {
      throw new DomainError('INVALID_PARAMS', 'a paid feed needs a price of 1 to 1000000 coins');
    }
    if (input.type === 'video' && !input.videoUrl)
      throw new DomainError('INVALID_PARAMS', 'videoUrl is required');

    // Storage calls happen here, before the database is touched (no network call inside a transaction).
    const photo = await this.uploads.requireOwnUpload(authorId, input.photoUrl, 'image');
    const video =
      input.type === 'video'
        ? await this.uploads.requireOwnUpload(authorId, input.videoUrl ?? '', 'video')
        : undefined;
    if (video && (await this.feeds.isVideoUsed([video.key, this.storage.pinnedKeyOf(video.key)]))) {
      throw new DomainError('CONFLICT', 'this video already backs a feed');
    }
    // What was checked is what is shown: published files move out of reach of later uploads (a paid video below).
    const photoKey = await this.storage.pin(photo.key);
    const videoKey = video && input.free ? await this.storage.pin(video.key) : (video?.key ?? null);
    const id = await this.feeds.insert({
      authorId,
      type: input.type,
      photoKey,
      videoKey,
      width: input.width,
      height: input.height,
      duration: input.type === 'video' ? (input.duration ?? 0) : 0,
      words: input.words ?? '',
      tag: input.tag ?? null,
      free: input.free,
      price,
      mute: input.mute ?? false,
      shootingTime: input.shootingTime ?? null,
      createdAt: this.clock.now(),
    });
    if (video && !input.free && !(await this.storage.makePrivate(video.key))) {
      // The file vanished between the check and the move: the feed would show nothing to anyone.
      await this.feeds.discard(id);
      throw new DomainError('INVALID_PARAMS', 'no such upload');
    }
    return id;
  }

  /** Everyone's feeds, newest first. */
  async newest(viewerId: string | undefined, page: FeedPage): Promise<FeedView[]> {
    return this.present(viewerId, await this.feeds.newest(viewerId, page.maxId, page.size));
  }

  /** One author's feeds, newest first; `taggedOnly`: their premieres and exclusives. */
  async byAuthor(
    viewerId: string | undefined,
    authorId: string,
    page: FeedPage,
    options: { taggedOnly?: boolean } = {},
  ): Promise<FeedView[]> {
    return this.present(viewerId, await this.feeds.byAuthor(viewerId, authorId, { ...page, ...options }));
  }

  /** A listed feed of this type. NOT_FOUND: no such feed, another type, deleted, hidden, or its author closed. */
  async detail(viewerId: string | undefined, id: string, type: FeedType): Promise<FeedView> {
    const found = await this.findListed(viewerId, id, type);
    if (!found) throw new DomainError('NOT_FOUND', 'no such feed');
    return this.present(viewerId, [found])[0];
  }

  /** For the share page: as someone signed out sees it; undefined when it is not (or no longer) listed. */
  async forShare(id: string, type: FeedType): Promise<FeedView | undefined> {
    const found = await this.findListed(undefined, id, type);
    return found ? this.present(undefined, [found])[0] : undefined;
  }

  /**
   * Soft delete by the author: gone from every list at once. Deleting it again is a no-op. NOT_FOUND: no such feed
   * of this type; FORBIDDEN: someone else's; ALREADY_PURCHASED: someone bought it.
   */
  async remove(userId: string, id: string, type: FeedType): Promise<void> {
    const feed = isBigintId(id) ? await this.feeds.findAnyById(id) : null;
    if (!feed || feed.type !== type) throw new DomainError('NOT_FOUND', 'no such feed');
    if (feed.authorId !== userId) throw new DomainError('FORBIDDEN', 'only its author may delete a feed');
    if (feed.deletedAt) return;
    if (!feed.free && (await this.entitlements.hasBuyers(feed.id))) {
      throw new DomainError('ALREADY_PURCHASED', 'someone bought this feed');
    }
    await this.feeds.softDelete(feed.id, this.clock.now());
  }

  /**
   * A report for the operators' queue. One open report per person and feed: reporting again while it is open
   * changes nothing. NOT_FOUND: no such listed feed of this type; FORBIDDEN: one's own feed.
   */
  async report(
    userId: string,
    input: { id: string; type: FeedType; reportType: ReportType; reason?: string },
  ): Promise<void> {
    const found = await this.findListed(userId, input.id, input.type);
    if (!found) throw new DomainError('NOT_FOUND', 'no such feed');
    if (found.feed.authorId === userId)
      throw new DomainError('FORBIDDEN', 'one cannot report one’s own feed');
    await this.feeds.addReport({
      feedId: found.feed.id,
      reporterId: userId,
      reportType: input.reportType,
      reason: input.reason ?? '',
      now: this.clock.now(),
    });
  }

  /**
   * A listed feed of this type as stored, for a purchase (its author, price, whether it is free); undefined when
   * there is no such listed feed. Concurrent lookups share a query under load (purchases are a hot path).
   */
  async listedFeed(id: string, type: FeedType): Promise<FeedEntity | undefined> {
    if (!isBigintId(id)) return undefined;
    const found = await this.purchaseLookups.load(BigInt(id).toString());
    return found?.type === type ? found : undefined;
  }

  private readonly purchaseLookups = new BatchWhileBusy<string, FeedEntity>(
    async (ids) => new Map((await this.feeds.listedByIds(undefined, ids)).map(({ feed }) => [feed.id, feed])),
    PURCHASE_LOOKUP_BATCHING,
  );

  /** Listed feeds by id as `viewerId` sees them (access read with them), for the author's income pages. */
  async listedViews(viewerId: string, ids: readonly string[]): Promise<Map<string, FeedView>> {
    const valid = [...new Set(ids.filter(isBigintId))];
    if (valid.length === 0) return new Map();
    const views = this.present(viewerId, await this.feeds.listedByIds(viewerId, valid));
    return new Map(views.map((view) => [view.id, view]));
  }

  /** The public address of a stored picture (covers are public, even a paid video's). */
  photoUrlOf(photoKey: string): string {
    return this.storage.publicUrl(photoKey);
  }

  private async findListed(
    viewerId: string | undefined,
    id: string,
    type: FeedType,
  ): Promise<FeedWithAuthor | undefined> {
    if (!isBigintId(id)) return undefined;
    const found = await this.feeds.findListed(viewerId, id);
    return found?.feed.type === type ? found : undefined;
  }

  /** Each feed's access (read with the page) and addresses. */
  private present(viewerId: string | undefined, rows: readonly FeedWithAuthor[]): FeedView[] {
    return rows.map(({ feed, author, bought }) => {
      const access = this.access.mayWatch(viewerId, feed, bought);
      return {
        id: feed.id,
        authorId: feed.authorId,
        type: feed.type,
        photoUrl: this.storage.publicUrl(feed.photoKey),
        videoUrl: this.videoUrlOf(feed, access),
        width: feed.width,
        height: feed.height,
        duration: feed.duration,
        words: feed.words,
        tag: feed.tag,
        free: feed.free,
        price: feed.price,
        mute: feed.mute,
        shootingTime: feed.shootingTime,
        publishedAt: feed.createdAt,
        access,
        author,
      };
    });
  }

  /** The one place a video's address is made: a paid one only for those who may watch it, and signed. */
  private videoUrlOf(feed: FeedEntity, access: boolean): string {
    if (feed.type !== 'video' || !feed.videoKey) return '';
    if (feed.free) return this.storage.publicUrl(feed.videoKey);
    return access ? this.signer.sign(feed.videoKey) : '';
  }
}

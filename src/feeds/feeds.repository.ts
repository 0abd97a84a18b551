import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { FeedEntity, type FeedTag, type FeedType, type ReportType } from '#src/feeds/feed.entity.js';
import {
  checkPageSize,
  HotStatements,
  keysetPage,
  type NamedStatement,
} from '#src/database/hot-statements.js';
import { boughtByViewerSql } from '#src/feeds/feed-items.js';

/** A listed feed with what every list shows of its author, and whether the viewer it was read for bought it. */
export interface FeedWithAuthor {
  feed: FeedEntity;
  author: { id: string; nickname: string; avatarUrl: string };
  bought: boolean;
}

interface FeedRow {
  id: string;
  authorId: string;
  type: FeedType;
  photoKey: string;
  videoKey: string | null;
  width: number;
  height: number;
  duration: number;
  words: string;
  tag: FeedTag | null;
  free: boolean;
  price: string;
  mute: boolean;
  shootingTime: number | null;
  createdAt: number;
  authorNickname: string;
  authorAvatar: string;
  bought: boolean;
}

/**
 * A page's columns; `viewer` is the parameter holding the viewer's id. Times come as epoch milliseconds (float8,
 * parsed as a number), not as timestamps for the driver to parse row by row.
 */
const columns = (viewer: string) => `f.id, f.author_id AS "authorId", f.type, f.photo_key AS "photoKey",
  f.video_key AS "videoKey", f.width, f.height, f.duration, f.words, f.tag, f.free, f.price, f.mute,
  (extract(epoch FROM f.shooting_time) * 1000)::float8 AS "shootingTime",
  (extract(epoch FROM f.created_at) * 1000)::float8 AS "createdAt",
  u.nickname AS "authorNickname", u.avatar_url AS "authorAvatar", ${boughtByViewerSql(viewer)} AS bought`;

/** Listed: neither deleted by its author nor hidden by an operator, and its author's account is not closed. */
const LISTED = `f.deleted_at IS NULL AND f.hidden_at IS NULL AND u.status <> 'closed'`;

/**
 * The list statements, named so each connection plans them once (keysetPage keeps that plan right for every page).
 * A first page passes the largest bigint as `maxId`, so one statement (and one index range scan) serves every page. The last parameter is the viewer (NULL:
 * signed out), for whether they bought each paid feed: the page and its access in one round trip.
 */
export const FEED_STATEMENTS = {
  newest: {
    name: 'concord_feeds_newest',
    text: keysetPage(
      `SELECT ${columns('$3')} FROM feeds f JOIN users u ON u.id = f.author_id
        WHERE ${LISTED} AND f.id < $1 ORDER BY f.id DESC`,
      'id',
      '$2',
    ),
  },
  byAuthor: {
    name: 'concord_feeds_by_author',
    text: keysetPage(
      `SELECT ${columns('$4')} FROM feeds f JOIN users u ON u.id = f.author_id
        WHERE f.author_id = $1 AND ${LISTED} AND f.id < $2 ORDER BY f.id DESC`,
      'id',
      '$3',
    ),
  },
  taggedByAuthor: {
    name: 'concord_feeds_tagged_by_author',
    text: keysetPage(
      `SELECT ${columns('$4')} FROM feeds f JOIN users u ON u.id = f.author_id
        WHERE f.author_id = $1 AND ${LISTED} AND f.tag IS NOT NULL AND f.id < $2 ORDER BY f.id DESC`,
      'id',
      '$3',
    ),
  },
  listedByIds: {
    name: 'concord_feeds_listed_by_ids',
    text: `SELECT ${columns('$2')} FROM feeds f JOIN users u ON u.id = f.author_id
            WHERE f.id = ANY($1::bigint[]) AND ${LISTED} ORDER BY f.id DESC`,
  },
  listedById: {
    name: 'concord_feeds_listed_by_id',
    text: `SELECT ${columns('$2')} FROM feeds f JOIN users u ON u.id = f.author_id
            WHERE f.id = $1 AND ${LISTED}`,
  },
} as const;

/** Past every id: the first page's `maxId`. */
export const NO_MAX_ID = '9223372036854775807';

function fromRow(row: FeedRow): FeedWithAuthor {
  const feed = Object.assign(new FeedEntity(), {
    id: row.id,
    authorId: row.authorId,
    type: row.type,
    photoKey: row.photoKey,
    videoKey: row.videoKey,
    width: row.width,
    height: row.height,
    duration: row.duration,
    words: row.words,
    tag: row.tag,
    free: row.free,
    price: Number(row.price),
    mute: row.mute,
    shootingTime: row.shootingTime === null ? null : new Date(row.shootingTime),
    createdAt: new Date(row.createdAt),
    deletedAt: null,
    hiddenAt: null,
  });
  return {
    feed,
    author: { id: row.authorId, nickname: row.authorNickname, avatarUrl: row.authorAvatar },
    bought: row.bought,
  };
}

export type NewFeedRow = Omit<FeedEntity, 'id' | 'deletedAt' | 'hiddenAt'>;

@Injectable()
export class FeedsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hot: HotStatements,
  ) {}

  private async rows(statement: NamedStatement, values: unknown[]): Promise<FeedWithAuthor[]> {
    const rows = await this.hot.query<FeedRow>(statement, values);
    return rows.map(fromRow);
  }

  // `viewerId` in each: who the feeds are read for (undefined: someone signed out), for `bought`.

  newest(viewerId: string | undefined, maxId: string | undefined, size: number): Promise<FeedWithAuthor[]> {
    return this.rows(FEED_STATEMENTS.newest, [maxId ?? NO_MAX_ID, checkPageSize(size), viewerId ?? null]);
  }

  /** One author's feeds; `taggedOnly`: only their premieres and exclusives. */
  byAuthor(
    viewerId: string | undefined,
    authorId: string,
    page: { maxId?: string; size: number; taggedOnly?: boolean },
  ): Promise<FeedWithAuthor[]> {
    const statement = page.taggedOnly ? FEED_STATEMENTS.taggedByAuthor : FEED_STATEMENTS.byAuthor;
    return this.rows(statement, [
      authorId,
      page.maxId ?? NO_MAX_ID,
      checkPageSize(page.size),
      viewerId ?? null,
    ]);
  }

  async findListed(viewerId: string | undefined, id: string): Promise<FeedWithAuthor | undefined> {
    return (await this.rows(FEED_STATEMENTS.listedById, [id, viewerId ?? null]))[0];
  }

  listedByIds(viewerId: string | undefined, ids: readonly string[]): Promise<FeedWithAuthor[]> {
    return this.rows(FEED_STATEMENTS.listedByIds, [[...ids], viewerId ?? null]);
  }

  /** Any feed by id, deleted or hidden ones too (for its author's delete). */
  findAnyById(id: string): Promise<FeedEntity | null> {
    return this.dataSource.getRepository(FeedEntity).findOneBy({ id });
  }

  /** Whether any feed, deleted ones included, shows one of these video files. */
  isVideoUsed(videoKeys: string[]): Promise<boolean> {
    return this.dataSource.getRepository(FeedEntity).existsBy({ videoKey: In(videoKeys) });
  }

  async insert(row: NewFeedRow): Promise<string> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(FeedEntity)
      .values(row)
      .returning(['id'])
      .execute();
    return String((result.raw as Array<{ id: string }>)[0].id);
  }

  /** Removes a feed that never became usable (its video could not be made private). */
  async discard(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM feeds WHERE id = $1`, [id]);
  }

  async softDelete(id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE feeds SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, [
      id,
      now,
    ]);
  }

  /** Records a report unless this person already has an open one on this feed. */
  async addReport(
    input: { feedId: string; reporterId: string; reportType: ReportType; reason: string; now: Date },
    em: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await em.query(
      `INSERT INTO feed_reports (feed_id, reporter_id, report_type, reason, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (feed_id, reporter_id) WHERE status = 'open' DO NOTHING`,
      [input.feedId, input.reporterId, input.reportType, input.reason, input.now],
    );
  }
}

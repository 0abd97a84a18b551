import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import { REPORT_TYPES, type FeedType, type ReportType } from '#src/feeds/feed.entity.js';
import { MediaUrlSigner } from '#src/media/media-url-signer.js';
import { Storage } from '#src/media/storage.js';

export interface ReportedFeedItem {
  feed: {
    id: string;
    type: FeedType;
    words: string;
    photoUrl: string;
    /** Operators may watch every video: a paid one's address is signed and expires (MEDIA_URL_TTL). */
    videoUrl: string;
    free: boolean;
    price: number;
    createdAt: string;
    author: { id: string; nickname: string; status: string };
  };
  openReports: number;
  /** How many open reports give each reason type. */
  reportTypes: Partial<Record<ReportType, number>>;
  /** The five newest open reports. */
  latest: Array<{
    id: string;
    reporter: { id: string; nickname: string };
    reportType: ReportType;
    reason: string;
    createdAt: string;
  }>;
  firstReportedAt: string;
}

export interface FeedDecision {
  feedId: string;
  hidden: boolean;
  /** Open reports this decision closed. */
  reportsClosed: number;
}

interface QueueRow {
  firstId: string;
  feedId: string;
  openReports: number;
  types: ReportType[];
  firstAt: Date;
  type: FeedType;
  words: string;
  photoKey: string;
  videoKey: string | null;
  free: boolean;
  price: string;
  createdAt: Date;
  authorId: string;
  authorNickname: string;
  authorStatus: string;
  latest: Array<{
    id: string;
    reporterId: string;
    reporterNickname: string;
    reportType: ReportType;
    reason: string;
    createdAt: string;
  }>;
}

/**
 * Reported feeds, for operators: one item per feed with open reports, the feed reported first on top. Hiding a
 * feed takes it off every list at once and upholds its open reports; dismissing closes them and leaves the feed.
 * Both are audited in the same transaction.
 */
@Injectable()
export class FeedReportQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly storage: Storage,
    private readonly signer: MediaUrlSigner,
    private readonly clock: Clock,
  ) {}

  /** `cursor`: the `nextCursor` of the previous page. */
  async list(filter: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: ReportedFeedItem[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query<QueueRow[]>(
      `WITH q AS (
         SELECT r.feed_id, min(r.id) AS first_id, count(*)::int AS open_reports, array_agg(r.report_type) AS types,
                min(r.created_at) AS first_at
           FROM feed_reports r WHERE r.status = 'open' GROUP BY r.feed_id)
       SELECT q.first_id AS "firstId", q.feed_id AS "feedId", q.open_reports AS "openReports", q.types,
              q.first_at AS "firstAt", f.type, f.words, f.photo_key AS "photoKey", f.video_key AS "videoKey",
              f.free, f.price, f.created_at AS "createdAt", u.id AS "authorId", u.nickname AS "authorNickname",
              u.status AS "authorStatus",
              (SELECT json_agg(x) FROM (
                 SELECT r.id::text, r.reporter_id::text AS "reporterId", ru.nickname AS "reporterNickname",
                        r.report_type AS "reportType", r.reason, r.created_at AS "createdAt"
                   FROM feed_reports r JOIN users ru ON ru.id = r.reporter_id
                  WHERE r.feed_id = q.feed_id AND r.status = 'open' ORDER BY r.id DESC LIMIT 5) x) AS latest
         FROM q JOIN feeds f ON f.id = q.feed_id JOIN users u ON u.id = f.author_id
        WHERE f.deleted_at IS NULL AND f.hidden_at IS NULL AND q.first_id > $1
        ORDER BY q.first_id LIMIT $2`,
      [filter.cursor ?? '0', filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map((row) => this.toItem(row)),
      nextCursor: rows.length > filter.limit ? page[page.length - 1].firstId : null,
    };
  }

  /** Feeds waiting for a decision, and the open reports on them. */
  async pendingCount(): Promise<{ feeds: number; reports: number }> {
    const rows = await this.dataSource.query<Array<{ feeds: number; reports: number }>>(
      `SELECT count(DISTINCT r.feed_id)::int AS feeds, count(*)::int AS reports
         FROM feed_reports r JOIN feeds f ON f.id = r.feed_id
        WHERE r.status = 'open' AND f.deleted_at IS NULL AND f.hidden_at IS NULL`,
    );
    return rows[0] ?? { feeds: 0, reports: 0 };
  }

  /**
   * `hide`: the feed leaves every list (reported or not) and its open reports are upheld; `dismiss`: its open
   * reports are closed and it stays. NOT_FOUND: no such feed; CONFLICT: nothing left to decide (already hidden,
   * deleted by its author, or no open report to dismiss).
   */
  async decide(
    feedId: string,
    verdict: 'hide' | 'dismiss',
    by: { admin: Principal; ip?: string; note?: string },
  ): Promise<FeedDecision> {
    if (!isBigintId(feedId)) throw new DomainError('NOT_FOUND', 'no such feed');
    const now = this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const feeds = await em.query<
        Array<{ authorId: string; hiddenAt: Date | null; deletedAt: Date | null }>
      >(
        `SELECT author_id AS "authorId", hidden_at AS "hiddenAt", deleted_at AS "deletedAt"
           FROM feeds WHERE id = $1 FOR UPDATE`,
        [feedId],
      );
      const feed = feeds[0];
      if (!feed) throw new DomainError('NOT_FOUND', 'no such feed');
      const hide = verdict === 'hide' && !feed.hiddenAt && !feed.deletedAt;
      if (hide) await em.query(`UPDATE feeds SET hidden_at = $2 WHERE id = $1`, [feedId, now]);
      const [closed] = await em.query<[unknown[], number]>(
        `UPDATE feed_reports SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5
          WHERE feed_id = $1 AND status = 'open' RETURNING id`,
        [feedId, verdict === 'hide' ? 'upheld' : 'dismissed', now, by.admin.userId, by.note ?? null],
      );
      if (!hide && closed.length === 0) {
        throw new DomainError('CONFLICT', 'nothing to decide: the feed is gone or has no open report');
      }
      await this.audit.record(em, {
        actorId: by.admin.userId,
        actor: by.admin.user.email ?? `user:${by.admin.userId}`,
        action: verdict === 'hide' ? 'feed.hidden' : 'feed.reports_dismissed',
        subjectUserId: feed.authorId,
        detail: { feedId, reports: closed.length, ...(by.note ? { note: by.note } : {}) },
        ip: by.ip,
      });
      return { feedId, hidden: hide || feed.hiddenAt !== null, reportsClosed: closed.length };
    });
  }

  private toItem(row: QueueRow): ReportedFeedItem {
    const counts: Partial<Record<ReportType, number>> = {};
    for (const type of row.types) counts[type] = (counts[type] ?? 0) + 1;
    const reportTypes = Object.fromEntries(
      REPORT_TYPES.filter((t) => counts[t]).map((t) => [t, counts[t]]),
    ) as Partial<Record<ReportType, number>>;
    return {
      feed: {
        id: row.feedId,
        type: row.type,
        words: row.words,
        photoUrl: this.storage.publicUrl(row.photoKey),
        videoUrl: !row.videoKey
          ? ''
          : row.free
            ? this.storage.publicUrl(row.videoKey)
            : this.signer.sign(row.videoKey),
        free: row.free,
        price: Number(row.price),
        createdAt: new Date(row.createdAt).toISOString(),
        author: { id: row.authorId, nickname: row.authorNickname, status: row.authorStatus },
      },
      openReports: row.openReports,
      reportTypes,
      latest: (row.latest ?? []).map((r) => ({
        id: r.id,
        reporter: { id: r.reporterId, nickname: r.reporterNickname },
        reportType: r.reportType,
        reason: r.reason,
        createdAt: new Date(r.createdAt).toISOString(),
      })),
      firstReportedAt: new Date(row.firstAt).toISOString(),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import { Storage } from '#src/media/storage.js';

export type ReviewKind = 'real_name' | 'qualification';
export type ReviewStatus = 'review' | 'verified' | 'rejected';

export interface ReviewItem {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  /** A newer claim of the same kind by the same user exists: deciding this one no longer changes their state. */
  superseded: boolean;
  user: { id: string; phone: string | null; email: string | null; nickname: string; status: string };
  /** Real-name claims: the name as claimed, and the number masked (the full number is never stored). */
  realName: string | null;
  idNumber: string | null;
  /** Qualification claims: where operators read the certificate image (`/admin/reviews/<id>/picture`). */
  picture: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: { id: string; email: string | null } | null;
  note: string | null;
}

interface ReviewRow {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  superseded: boolean;
  userId: string;
  phone: string | null;
  email: string | null;
  nickname: string;
  userStatus: string;
  realName: string | null;
  idNumber: string | null;
  picture: string | null;
  pictureKey: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  deciderId: string | null;
  deciderEmail: string | null;
  note: string | null;
}

const SELECT_REVIEWS = `
  SELECT v.id, v.kind, v.status,
         EXISTS (SELECT 1 FROM identity_verifications n
                  WHERE n.user_id = v.user_id AND n.kind = v.kind AND n.id > v.id) AS superseded,
         u.id AS "userId", u.phone, u.email, u.nickname, u.status AS "userStatus",
         v.real_name AS "realName", v.id_number_masked AS "idNumber", v.picture_url AS picture, v.picture_key AS "pictureKey",
         v.created_at AS "createdAt", v.decided_at AS "decidedAt",
         d.id AS "deciderId", d.email AS "deciderEmail", v.decision_note AS note
    FROM identity_verifications v
    JOIN users u ON u.id = v.user_id
    LEFT JOIN users d ON d.id = v.decided_by`;

function toItem(row: ReviewRow): ReviewItem {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    superseded: row.superseded,
    user: {
      id: row.userId,
      phone: row.phone,
      email: row.email,
      nickname: row.nickname,
      status: row.userStatus,
    },
    realName: row.realName,
    idNumber: row.idNumber,
    // Certificates are private: read through the admin API. (An address from before they were is shown as it was.)
    picture: row.pictureKey ? `/admin/reviews/${row.id}/picture` : row.picture,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.deciderId ? { id: row.deciderId, email: row.deciderEmail } : null,
    note: row.note,
  };
}

/**
 * The operators' queue: qualification certificates, and real-name claims the verifier could not settle. A
 * decision changes the claim once (a second decision is a conflict, whoever makes it) and is audited in the same
 * transaction.
 */
@Injectable()
export class ReviewQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** Pending ones oldest first (a queue); decided ones newest first. `cursor` is the last id of the previous page. */
  async list(filter: {
    status?: ReviewStatus;
    kind?: ReviewKind;
    userId?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: ReviewItem[]; nextCursor: string | null }> {
    const ascending = filter.status === 'review';
    const rows = await this.dataSource.query<ReviewRow[]>(
      `${SELECT_REVIEWS}
        WHERE ($1::text IS NULL OR v.status = $1::text)
          AND ($2::text IS NULL OR v.kind = $2::text)
          AND ($3::bigint IS NULL OR v.user_id = $3::bigint)
          AND ($4::bigint IS NULL OR ${ascending ? 'v.id > $4::bigint' : 'v.id < $4::bigint'})
        ORDER BY v.id ${ascending ? 'ASC' : 'DESC'} LIMIT $5`,
      [
        filter.status ?? null,
        filter.kind ?? null,
        filter.userId ?? null,
        filter.cursor ?? null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit).map(toItem);
    return { items: page, nextCursor: rows.length > filter.limit ? page[page.length - 1].id : null };
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<ReviewItem> {
    const rows = await em.query<ReviewRow[]>(`${SELECT_REVIEWS} WHERE v.id = $1`, [id]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', 'no such review');
    return toItem(rows[0]);
  }

  /** Approve (`verified`) or reject a pending claim. The user's status and authenticationState follow at once. */
  async decide(
    id: string,
    verdict: 'verified' | 'rejected',
    by: { admin: Principal; ip?: string; note?: string },
  ): Promise<ReviewItem> {
    return this.dataSource.transaction(async (em) => {
      const updated = await em.query<[Array<{ userId: string; kind: ReviewKind }>, number]>(
        `UPDATE identity_verifications
            SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5
          WHERE id = $1 AND status = 'review'
          RETURNING user_id AS "userId", kind`,
        [id, verdict, this.clock.now(), by.admin.userId, by.note ?? null],
      );
      const row = updated[0][0];
      if (!row) {
        const current = await this.get(id, em);
        throw new DomainError('CONFLICT', `this review was already decided: ${current.status}`);
      }
      await this.audit.record(em, {
        actorId: by.admin.userId,
        actor: by.admin.user.email ?? `user:${by.admin.userId}`,
        action: verdict === 'verified' ? 'review.approved' : 'review.rejected',
        subjectUserId: row.userId,
        reviewId: id,
        detail: { kind: row.kind, ...(by.note ? { note: by.note } : {}) },
        ip: by.ip,
      });
      return this.get(id, em);
    });
  }

  /** The certificate image of a qualification claim. */
  async picture(id: string): Promise<{ bytes: Buffer; contentType: string }> {
    const rows = await this.dataSource.query<Array<{ key: string | null }>>(
      `SELECT picture_key AS key FROM identity_verifications WHERE id = $1`,
      [id],
    );
    const key = rows[0]?.key;
    const file = key ? await this.storage.readPrivate(key) : undefined;
    if (!file) throw new DomainError('NOT_FOUND', 'this claim has no certificate image');
    return file;
  }

  /** Counts by kind of what waits, for the queue's header. */
  async pendingCounts(): Promise<Record<ReviewKind, number>> {
    const rows = await this.dataSource.query<Array<{ kind: ReviewKind; n: number }>>(
      `SELECT kind, count(*)::int AS n FROM identity_verifications WHERE status = 'review' GROUP BY kind`,
    );
    return {
      real_name: rows.find((r) => r.kind === 'real_name')?.n ?? 0,
      qualification: rows.find((r) => r.kind === 'qualification')?.n ?? 0,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Review, ReviewKind, ReviewStatus } from '#src/admin/review.js';

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
  pictureBackKey: string | null;
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
         v.picture_back_key AS "pictureBackKey",
         v.created_at AS "createdAt", v.decided_at AS "decidedAt",
         d.id AS "deciderId", d.email AS "deciderEmail", v.decision_note AS note
    FROM identity_verifications v
    JOIN users u ON u.id = v.user_id
    LEFT JOIN users d ON d.id = v.decided_by`;

function reviewOf(row: ReviewRow): Review {
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
    idNumberMasked: row.idNumber,
    pictureUrl: row.picture,
    pictureKey: row.pictureKey,
    pictureBackKey: row.pictureBackKey,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    decidedBy: row.deciderId ? { id: row.deciderId, email: row.deciderEmail } : null,
    note: row.note,
  };
}

/**
 * The operators' view of `identity_verifications` (the identity area writes the claims): claims with their account
 * and decider, and the decision columns.
 */
@Injectable()
export class ReviewQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** In id order, `oldestFirst` or newest first, from after the id `cursor` in that order. */
  async list(filter: {
    status?: ReviewStatus;
    kind?: ReviewKind;
    userId?: string;
    cursor?: string;
    oldestFirst: boolean;
    limit: number;
  }): Promise<Review[]> {
    const ascending = filter.oldestFirst;
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
        filter.limit,
      ],
    );
    return rows.map(reviewOf);
  }

  async findById(em: EntityManager, id: string): Promise<Review | undefined> {
    const [row] = await em.query<ReviewRow[]>(`${SELECT_REVIEWS} WHERE v.id = $1`, [id]);
    return row ? reviewOf(row) : undefined;
  }

  /**
   * Writes the decision on a claim still pending; answers whose claim it was and of what kind, or undefined when
   * there is no pending claim with this id (none, or already decided).
   */
  async decidePending(
    em: EntityManager,
    decision: {
      id: string;
      verdict: 'verified' | 'rejected';
      at: Date;
      deciderId: string;
      note: string | null;
    },
  ): Promise<{ userId: string; kind: ReviewKind } | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = await em.query<[Array<{ userId: string; kind: ReviewKind }>, number]>(
      `UPDATE identity_verifications
          SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5
        WHERE id = $1 AND status = 'review'
        RETURNING user_id AS "userId", kind`,
      [decision.id, decision.verdict, decision.at, decision.deciderId, decision.note],
    );
    return rows[0];
  }

  /**
   * The storage key of a claim's (private) image: the certificate, or an ID card's front; `back` an ID card's back.
   * Undefined when it has none or does not exist.
   */
  async findPictureKey(id: string, side: 'front' | 'back' = 'front'): Promise<string | undefined> {
    const [row] = await this.dataSource.query<Array<{ key: string | null }>>(
      `SELECT ${side === 'back' ? 'picture_back_key' : 'picture_key'} AS key FROM identity_verifications WHERE id = $1`,
      [id],
    );
    return row?.key ?? undefined;
  }

  /** Pending claims by kind; a kind with none is absent. */
  async countPendingByKind(): Promise<Partial<Record<ReviewKind, number>>> {
    const rows = await this.dataSource.query<Array<{ kind: ReviewKind; n: number }>>(
      `SELECT kind, count(*)::int AS n FROM identity_verifications WHERE status = 'review' GROUP BY kind`,
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }
}

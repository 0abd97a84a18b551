import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntry } from '#src/admin/audit-entry.js';

/** The `audit_log` table: append-only (its trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (at, actor_id, actor, action, subject_user_id, review_id, detail, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.at,
        entry.actorId,
        entry.actor,
        entry.action,
        entry.subjectUserId,
        entry.reviewId,
        JSON.stringify(entry.detail),
        entry.ip,
      ],
    );
  }

  /** Newest first, from before the id `before`. */
  list(filter: { before?: string; userId?: string; action?: string; limit: number }): Promise<AuditEntry[]> {
    return this.dataSource.query<AuditEntry[]>(
      `SELECT id, at, actor_id AS "actorId", actor, action, subject_user_id AS "subjectUserId",
              review_id AS "reviewId", detail, ip
         FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1::bigint)
          AND ($2::bigint IS NULL OR subject_user_id = $2::bigint)
          AND ($3::text IS NULL OR action = $3::text)
        ORDER BY id DESC LIMIT $4`,
      [filter.before ?? null, filter.userId ?? null, filter.action ?? null, filter.limit],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  subjectUserId: string | null;
  reviewId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface NewAuditEntry {
  actorId: string | null;
  /** Who, readably: the operator's email, or `cli:<os user>`. */
  actor: string;
  action: string;
  subjectUserId?: string;
  reviewId?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

/** Operators' actions, append-only (the table's trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Written in the caller's transaction, so an action and its record land together or not at all. */
  async record(em: EntityManager, entry: NewAuditEntry): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (at, actor_id, actor, action, subject_user_id, review_id, detail, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        this.clock.now(),
        entry.actorId,
        entry.actor,
        entry.action,
        entry.subjectUserId ?? null,
        entry.reviewId ?? null,
        JSON.stringify(entry.detail ?? {}),
        entry.ip ?? null,
      ],
    );
  }

  /** An action that has no transaction of its own (a sign-in). */
  recordNow(entry: NewAuditEntry): Promise<void> {
    return this.record(this.dataSource.manager, entry);
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(filter: {
    limit: number;
    before?: string;
    userId?: string;
    action?: string;
  }): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
    const rows = await this.dataSource.query<Array<AuditEntry & { at: Date }>>(
      `SELECT id, at, actor_id AS "actorId", actor, action, subject_user_id AS "subjectUserId",
              review_id AS "reviewId", detail, ip
         FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1::bigint)
          AND ($2::bigint IS NULL OR subject_user_id = $2::bigint)
          AND ($3::text IS NULL OR action = $3::text)
        ORDER BY id DESC LIMIT $4`,
      [filter.before ?? null, filter.userId ?? null, filter.action ?? null, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      nextBefore: rows.length > filter.limit ? page[page.length - 1].id : null,
    };
  }
}

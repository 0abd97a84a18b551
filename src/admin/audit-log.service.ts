import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogRepository } from '#src/admin/audit-log.repository.js';
import type { AuditEntry } from '#src/admin/audit-entry.js';
import { Clock } from '#src/common/time/clock.js';

export type { AuditEntry } from '#src/admin/audit-entry.js';

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
    private readonly entries: AuditLogRepository,
    private readonly clock: Clock,
  ) {}

  /** Written in the caller's transaction, so an action and its record land together or not at all. */
  async record(em: EntityManager, entry: NewAuditEntry): Promise<void> {
    await this.entries.insert(em, {
      at: this.clock.now(),
      actorId: entry.actorId,
      actor: entry.actor,
      action: entry.action,
      subjectUserId: entry.subjectUserId ?? null,
      reviewId: entry.reviewId ?? null,
      detail: entry.detail ?? {},
      ip: entry.ip ?? null,
    });
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
    const rows = await this.entries.list({ ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    return { items: page, nextBefore: rows.length > filter.limit ? page[page.length - 1].id : null };
  }
}

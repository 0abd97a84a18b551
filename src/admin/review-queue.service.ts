import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { ReviewQueueRepository } from '#src/admin/review-queue.repository.js';
import type { Review, ReviewKind, ReviewStatus } from '#src/admin/review.js';
import type { Principal } from '#src/auth/principal.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { Storage } from '#src/media/storage.js';

export type { Review, ReviewKind, ReviewStatus } from '#src/admin/review.js';

/**
 * The operators' queue: qualification certificates, ID cards (nggirl), and real-name claims the verifier could not settle. A
 * decision changes the claim once (a second decision is a conflict, whoever makes it) and is audited in the same
 * transaction.
 */
@Injectable()
export class ReviewQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reviews: ReviewQueueRepository,
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
  }): Promise<{ items: Review[]; nextCursor: string | null }> {
    const rows = await this.reviews.list({
      ...filter,
      oldestFirst: filter.status === 'review',
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    return { items: page, nextCursor: rows.length > filter.limit ? page[page.length - 1].id : null };
  }

  /** NOT_FOUND when there is no such claim. */
  get(id: string): Promise<Review> {
    return this.found(this.dataSource.manager, id);
  }

  /**
   * Approve (`verified`) or reject a pending claim. The user's status and authenticationState follow at once.
   * NOT_FOUND for no such claim, CONFLICT for one already decided.
   */
  async decide(
    id: string,
    verdict: 'verified' | 'rejected',
    by: { admin: Principal; ip?: string; note?: string },
  ): Promise<Review> {
    return this.dataSource.transaction(async (em) => {
      const decided = await this.reviews.decidePending(em, {
        id,
        verdict,
        at: this.clock.now(),
        deciderId: by.admin.userId,
        note: by.note ?? null,
      });
      if (!decided) {
        const current = await this.found(em, id);
        throw new DomainError('CONFLICT', `this review was already decided: ${current.status}`);
      }
      await this.audit.record(em, {
        actorId: by.admin.userId,
        actor: by.admin.user.email ?? `user:${by.admin.userId}`,
        action: verdict === 'verified' ? 'review.approved' : 'review.rejected',
        subjectUserId: decided.userId,
        reviewId: id,
        detail: { kind: decided.kind, ...(by.note ? { note: by.note } : {}) },
        ip: by.ip,
      });
      return this.found(em, id);
    });
  }

  /** The certificate image of a qualification claim, or a side of an ID card; NOT_FOUND when the claim has none. */
  async picture(
    id: string,
    side: 'front' | 'back' = 'front',
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const key = await this.reviews.findPictureKey(id, side);
    const file = key ? await this.storage.readPrivate(key) : undefined;
    if (!file) throw new DomainError('NOT_FOUND', 'this claim has no certificate image');
    return file;
  }

  /** Counts by kind of what waits, for the queue's header. */
  async pendingCounts(): Promise<Record<ReviewKind, number>> {
    const counts = await this.reviews.countPendingByKind();
    return {
      real_name: counts.real_name ?? 0,
      qualification: counts.qualification ?? 0,
      id_card: counts.id_card ?? 0,
    };
  }

  private async found(em: EntityManager, id: string): Promise<Review> {
    const review = await this.reviews.findById(em, id);
    if (!review) throw new DomainError('NOT_FOUND', 'no such review');
    return review;
  }
}

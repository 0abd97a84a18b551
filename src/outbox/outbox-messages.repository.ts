import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxMessageEntity, type OutboxChannel } from '#src/outbox/outbox-message.entity.js';

/** What a delivery round needs of a claimed message. */
export type ClaimedOutboxMessage = Pick<
  OutboxMessageEntity,
  'id' | 'channel' | 'recipient' | 'subject' | 'body' | 'html' | 'params' | 'attempts'
>;

export type NewOutboxMessage = Pick<
  OutboxMessageEntity,
  'channel' | 'recipient' | 'subject' | 'body' | 'html' | 'params' | 'createdAt'
>;

/** The `outbox_messages` table. Claims use FOR UPDATE SKIP LOCKED, so several instances may deliver at once. */
@Injectable()
export class OutboxMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Pending and due at once. Joins the caller's transaction: the message commits with the change that causes it,
   * or not at all.
   */
  async insert(em: EntityManager, message: NewOutboxMessage): Promise<void> {
    await em.getRepository(OutboxMessageEntity).insert({
      ...message,
      status: 'pending',
      nextAttemptAt: message.createdAt,
    });
  }

  /** Newest first. */
  latest(filter: {
    limit: number;
    channel?: OutboxChannel;
    recipient?: string;
  }): Promise<OutboxMessageEntity[]> {
    return this.dataSource.getRepository(OutboxMessageEntity).find({
      where: {
        ...(filter.channel ? { channel: filter.channel } : {}),
        ...(filter.recipient ? { recipient: filter.recipient } : {}),
      },
      order: { id: 'DESC' },
      take: filter.limit,
    });
  }

  /**
   * Claims up to `limit` messages due at `now` (pending, or claimed earlier by a worker that never confirmed):
   * marks them `sending`, counts the attempt and hides them from other claims until `claimUntil`.
   */
  async claimDue(now: Date, claimUntil: Date, limit: number): Promise<ClaimedOutboxMessage[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = await this.dataSource.query<[ClaimedOutboxMessage[], number]>(
      `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2
        WHERE id IN (SELECT id FROM outbox_messages
                      WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
                      ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, channel, recipient, subject, body, html, params, attempts`,
      [now, claimUntil, limit],
    );
    return rows;
  }

  /** `forgetContent`: blank the text (a code, a reset link) once a real provider has it. */
  async markSent(id: string, sentAt: Date, options: { forgetContent: boolean }): Promise<void> {
    await this.dataSource.query(
      options.forgetContent
        ? `UPDATE outbox_messages SET status = 'sent', sent_at = $2, body = '', html = NULL, params = NULL
            WHERE id = $1`
        : `UPDATE outbox_messages SET status = 'sent', sent_at = $2 WHERE id = $1`,
      [id, sentAt],
    );
  }

  /** A failed attempt: tried again at `nextAttemptAt` while `pending`, never again once `failed`. */
  async markAttemptFailed(
    id: string,
    outcome: { status: 'pending' | 'failed'; nextAttemptAt: Date; lastError: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1`,
      [id, outcome.status, outcome.nextAttemptAt, outcome.lastError],
    );
  }
}

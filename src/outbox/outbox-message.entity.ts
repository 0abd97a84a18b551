import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxChannel = 'mail' | 'sms';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * A mail or SMS, written in the same transaction as the change that causes it and delivered after commit, so a
 * crash loses no message.
 */
@Entity({ name: 'outbox_messages' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text' })
  channel: OutboxChannel;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  /** Template parameters for providers that send SMS by template (Aliyun's TemplateParam). */
  @Column({ type: 'jsonb', nullable: true })
  params: Record<string, string> | null;

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}

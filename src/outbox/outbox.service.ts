import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { Mailer } from '#src/outbox/mailer.js';
import type { OutboxChannel, OutboxMessageEntity } from '#src/outbox/outbox-message.entity.js';
import {
  OutboxMessagesRepository,
  type ClaimedOutboxMessage,
} from '#src/outbox/outbox-messages.repository.js';
import { SmsSender } from '#src/outbox/sms-sender.js';

export interface OutgoingMessage {
  channel: OutboxChannel;
  to: string;
  subject?: string;
  body: string;
  html?: string;
  /** Template parameters for template-based SMS providers. */
  params?: Record<string, string>;
}

const MAX_ATTEMPTS = 8;
const BATCH = 20;
/** A claimed message not confirmed within this time is assumed lost with its worker and is tried again. */
const CLAIM_TIMEOUT_MS = 120_000;

/**
 * The mail and SMS outbox. `enqueue` joins the caller's transaction; `dispatchSoon` (called after commit) and a
 * poller deliver through the configured adapters, retrying with backoff. Several instances may poll: claims use
 * FOR UPDATE SKIP LOCKED.
 */
@Injectable()
export class OutboxService implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopping = false;
  private readonly preparing = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(
    private readonly messages: OutboxMessagesRepository,
    private readonly mailer: Mailer,
    private readonly sms: SmsSender,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'outbox' });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.dispatchSoon(), this.config.outbox.pollIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    // Messages promised in answers already sent are written first; what is not delivered now the poller sends later.
    await Promise.all(this.preparing);
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Runs `work` (which enqueues messages and calls dispatchSoon) once the current request has been answered. For
   * answers that must not depend on whether there is anything to send: the answer leaves before the work starts, so
   * its timing says nothing about it. A failure is logged as `what`; nobody is waiting for it.
   */
  prepareLater(what: string, work: () => Promise<void>): void {
    const job: Promise<void> = new Promise<void>((afterAnswer) => setImmediate(afterAnswer))
      .then(work)
      .catch((error: unknown) => this.log.error({ err: error }, `${what} failed`))
      .finally(() => this.preparing.delete(job));
    this.preparing.add(job);
  }

  async enqueue(em: EntityManager, message: OutgoingMessage): Promise<void> {
    await this.messages.insert(em, {
      channel: message.channel,
      recipient: message.to,
      subject: message.subject ?? null,
      body: message.body,
      html: message.html ?? null,
      params: message.params ?? null,
      createdAt: this.clock.now(),
    });
  }

  /** Starts a delivery round unless one is running, in which case that round runs once more. */
  dispatchSoon(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((error: unknown) => this.log.error({ err: error }, 'outbox delivery round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.dispatchSoon();
        }
      });
  }

  /** Resolves when nothing is being prepared or delivered (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.preparing.size > 0 || this.running) {
      await Promise.all(this.preparing);
      await this.running;
    }
  }

  /** The latest messages, newest first (the development outbox page). */
  latest(limit: number, channel?: OutboxChannel, to?: string): Promise<OutboxMessageEntity[]> {
    // Mail recipients are stored lower-cased, like account emails; a developer may type them as they like.
    const recipient = to?.includes('@') ? to.toLowerCase() : to;
    return this.messages.latest({ limit, channel, recipient });
  }

  private async deliverDue(): Promise<void> {
    for (;;) {
      const batch = await this.claim();
      for (const message of batch) await this.deliver(message);
      if (batch.length < BATCH || this.stopping) return;
    }
  }

  private claim(): Promise<ClaimedOutboxMessage[]> {
    const now = this.clock.now();
    return this.messages.claimDue(now, new Date(now.getTime() + CLAIM_TIMEOUT_MS), BATCH);
  }

  private deliversForReal(channel: OutboxChannel): boolean {
    return channel === 'mail' ? this.config.mail.transport !== 'local' : this.config.sms.provider !== 'local';
  }

  // Delivery happens outside any transaction: a slow SMTP server never holds a database connection.
  private async deliver(message: ClaimedOutboxMessage): Promise<void> {
    try {
      if (message.channel === 'mail') {
        await this.mailer.send({
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.body,
          html: message.html ?? undefined,
        });
      } else {
        await this.sms.send({
          to: message.recipient,
          text: message.body,
          params: message.params ?? undefined,
        });
      }
      // Once a real provider has the message, its text (a code, a reset link) has no business staying in the
      // database: codes are stored only as HMACs elsewhere. The local adapters keep it — it is what /dev/outbox shows.
      await this.messages.markSent(message.id, this.clock.now(), {
        forgetContent: this.deliversForReal(message.channel),
      });
      this.log.info({ id: message.id, channel: message.channel }, 'outbox message delivered');
    } catch (error) {
      const failed = message.attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(this.clock.now().getTime() + 5_000 * 2 ** Math.min(message.attempts, 10));
      await this.messages.markAttemptFailed(message.id, {
        status: failed ? 'failed' : 'pending',
        nextAttemptAt: retryAt,
        lastError: String((error as Error).message ?? error).slice(0, 500),
      });
      this.log.warn(
        { id: message.id, channel: message.channel, attempts: message.attempts, failed, err: error },
        'outbox delivery failed',
      );
    }
  }
}

import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { MediaUploadsRepository } from '#src/media/media-uploads.repository.js';
import { MediaService, type StoredImage } from '#src/media/media.service.js';
import { Storage } from '#src/media/storage.js';

const HOUR_MS = 3_600_000;
/** Files deleted per sweep round; a round repeats while it finds a full batch. */
const SWEEP_BATCH = 200;

/**
 * Images uploaded before sign-in (mrpyq's `/upload`, whose address registration step 2 takes as `headImage`).
 * Anyone may upload, so uploads are throttled per address (ANONYMOUS_UPLOADS_PER_IP_PER_HOUR) and every one that
 * no registration claims within ANONYMOUS_UPLOAD_TTL is deleted by a periodic sweep, file and row.
 */
@Injectable()
export class AnonymousUploads implements OnModuleInit, OnModuleDestroy {
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    private readonly media: MediaService,
    private readonly uploads: MediaUploadsRepository,
    private readonly storage: Storage,
    private readonly counters: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'anonymous-uploads' });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.log.error({ err: error }, 'anonymous upload sweep failed'));
    }, this.config.anonymousUploads.sweepIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /**
   * Stores an image for someone not signed in. RATE_LIMITED past the address's hourly budget (counted before the
   * image is even read); what MediaService.storeImage throws for the image itself.
   */
  async store(bytes: Buffer, ip: string): Promise<StoredImage> {
    const hour = Math.floor(this.clock.now().getTime() / HOUR_MS);
    const used = await this.counters.increment(`uploads:anonymous:${ip}:${hour}`, 2 * HOUR_MS);
    if (used > this.config.anonymousUploads.perIpPerHour) {
      throw new DomainError('RATE_LIMITED', 'anonymous upload budget of this address spent');
    }
    return this.media.storeUnownedImage(bytes);
  }

  /**
   * Gives the anonymous upload at `url` to a new account, inside the registration's transaction, and answers the
   * address to show. INVALID_PARAMS when `url` is not an unclaimed upload of ours made within ANONYMOUS_UPLOAD_TTL
   * (an address copied from someone's profile, an upload already used, or one swept away).
   */
  async claim(em: EntityManager, url: string, userId: string): Promise<string> {
    const key = this.storage.keyOf(url.trim());
    const since = new Date(this.clock.now().getTime() - this.config.anonymousUploads.claimTtlMs);
    if (!key || !(await this.uploads.claimUnowned(em, key, userId, since))) {
      throw new DomainError('INVALID_PARAMS', 'not an unclaimed upload of ours', { fields: ['headImage'] });
    }
    return this.storage.publicUrl(key);
  }

  /** Deletes every anonymous upload older than ANONYMOUS_UPLOAD_TTL; answers how many. One sweep at a time. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepAll().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepAll(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.anonymousUploads.claimTtlMs);
    let deleted = 0;
    for (;;) {
      // Rows first: a file whose row is gone can no longer be claimed; a file left behind by a failed delete
      // below is only wasted space (logged), never an avatar that vanishes.
      const keys = await this.uploads.deleteUnownedBefore(cutoff, SWEEP_BATCH);
      for (const key of keys) {
        try {
          await this.storage.delete(key);
          deleted++;
        } catch (error) {
          this.log.warn({ err: error, key }, 'could not delete an unclaimed upload');
        }
      }
      if (keys.length < SWEEP_BATCH) break;
    }
    if (deleted > 0) this.log.info({ deleted }, 'unclaimed anonymous uploads deleted');
    return deleted;
  }
}

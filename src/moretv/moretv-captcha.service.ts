import { Inject, Injectable } from '@nestjs/common';
import { CaptchaService, type CaptchaPeek } from '#src/captcha/captcha.service.js';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

const MINUTE_MS = 60_000;

/**
 * moretv's captcha routes over CaptchaService: drawing one costs about 12 ms of CPU, so each client address may ask
 * for MORETV_CAPTCHA_PER_IP_PER_MINUTE a minute (in the counter store: shared through Redis when REDIS_URL is set).
 */
@Injectable()
export class MoretvCaptcha {
  constructor(
    private readonly captcha: CaptchaService,
    private readonly store: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new PNG for the browser; RATE_LIMITED past the address's budget. */
  async generate(browserId: string, ip: string): Promise<Buffer> {
    const window = Math.floor(this.clock.now().getTime() / MINUTE_MS);
    const used = await this.store.increment(`limit:captcha:${ip}:${window}`, 2 * MINUTE_MS);
    if (used > this.config.moretvWeb.captchaPerIpPerMinute) {
      throw new DomainError('RATE_LIMITED', 'captcha budget of this address spent');
    }
    return this.captcha.generate(browserId);
  }

  /** The document's validate: CODE_INVALID unless the answer matches (the captcha stays for the form). */
  async validate(browserId: string, answer: unknown): Promise<void> {
    if ((await this.captcha.validate(browserId, answer)) !== 'ok') {
      throw new DomainError('CODE_INVALID', 'captcha does not match');
    }
  }

  /** Development only (CaptchaService refuses it in production). */
  peek(browserId: string): Promise<CaptchaPeek | null> {
    return this.captcha.peek(browserId);
  }
}

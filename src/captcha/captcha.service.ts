import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { captchaPng, captchaText } from '#src/captcha/captcha-image.js';
import { browserSessionKey } from '#src/sns/browser-session-key.js';

export const CAPTCHA_LENGTH = 5;

/** `ok`; `mismatch` (tries left); `exhausted` (that was the last try, or there were none); `expired` (none, too old, or consumed). */
export type CaptchaVerdict = 'ok' | 'mismatch' | 'exhausted' | 'expired';

/** Development only: what the current captcha of a browser session says. */
export interface CaptchaPeek {
  answer: string;
  expiresAt: Date;
  triesLeft: number;
}

interface StoredCaptcha {
  /** The text as drawn (case kept for `peek`). */
  text: string;
  nonce: string;
  expiresAt: number;
}

const KEY = 'captcha:';
const TRIES = 'captcha-tries:';
const CLAIM = 'captcha-claim:';

function digest(text: string): Buffer {
  return createHash('sha256').update(text.trim().toLowerCase()).digest();
}

/**
 * moretv's image captcha: one live captcha per browser session (a new one replaces the old), CAPTCHA_TTL (5 min)
 * long, CAPTCHA_MAX_TRIES (5) checks in all, compared case-insensitively in constant time. `validate` checks
 * without consuming (the page's live check), `consume` checks and uses it up (the form it protects). Kept in the
 * counter store: Redis when REDIS_URL is set, memory otherwise. Every check counts as a try, right or wrong, so
 * parallel guesses cannot outrun the limit; a person's validate-then-submit uses two.
 */
@Injectable()
export class CaptchaService {
  constructor(
    private readonly store: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A fresh captcha for the session, as `image/png`. */
  async generate(browserSessionId: string): Promise<Buffer> {
    const key = browserSessionKey(browserSessionId);
    const text = captchaText(CAPTCHA_LENGTH);
    const png = await captchaPng(text);
    const stored: StoredCaptcha = {
      text,
      nonce: randomBytes(16).toString('base64url'),
      expiresAt: this.clock.now().getTime() + this.config.captcha.ttlMs,
    };
    await this.store.set(KEY + key, JSON.stringify(stored), this.config.captcha.ttlMs);
    return png;
  }

  /** Checks the answer and leaves the captcha in place (a try is still spent). */
  async validate(browserSessionId: string, answer: unknown): Promise<CaptchaVerdict> {
    return (await this.check(browserSessionId, answer)).verdict;
  }

  /**
   * Checks the answer and uses the captcha up. Throws CODE_INVALID (wrong, tries left), CODE_ATTEMPTS_EXCEEDED
   * (wrong and no tries left, or none left before) and CODE_EXPIRED (no captcha, expired, or already consumed).
   */
  async consume(browserSessionId: string, answer: unknown): Promise<void> {
    const { verdict, key, stored } = await this.check(browserSessionId, answer);
    if (verdict === 'ok') {
      // Two submissions racing with the right answer: the first claim wins.
      if ((await this.store.increment(CLAIM + stored!.nonce, this.config.captcha.ttlMs)) === 1) {
        await this.store.delete(KEY + key);
        return;
      }
      throw new DomainError('CODE_EXPIRED', 'captcha already used');
    }
    switch (verdict) {
      case 'mismatch':
        throw new DomainError('CODE_INVALID', 'captcha mismatch');
      case 'exhausted':
        throw new DomainError('CODE_ATTEMPTS_EXCEEDED', 'captcha tries used up');
      case 'expired':
        throw new DomainError('CODE_EXPIRED', 'no live captcha');
    }
  }

  /**
   * The current answer, for the development route `GET /dev/captcha` (automated browser tests, front-end work).
   * FORBIDDEN in production, whatever route calls it. Does not spend a try.
   */
  async peek(browserSessionId: string): Promise<CaptchaPeek | null> {
    if (this.config.isProduction) throw new DomainError('FORBIDDEN', 'not in production');
    const stored = await this.live(browserSessionKey(browserSessionId));
    if (!stored) return null;
    const tries = Number((await this.store.get(TRIES + stored.nonce)) ?? 0);
    return {
      answer: stored.text,
      expiresAt: new Date(stored.expiresAt),
      triesLeft: Math.max(0, this.config.captcha.maxTries - tries),
    };
  }

  private async check(
    browserSessionId: string,
    answer: unknown,
  ): Promise<{ verdict: CaptchaVerdict; key: string; stored?: StoredCaptcha }> {
    const key = browserSessionKey(browserSessionId);
    const stored = await this.live(key);
    if (!stored) return { verdict: 'expired', key };
    const { maxTries, ttlMs } = this.config.captcha;
    const tries = await this.store.increment(TRIES + stored.nonce, ttlMs);
    if (tries > maxTries) {
      await this.store.delete(KEY + key);
      return { verdict: 'exhausted', key };
    }
    const right =
      typeof answer === 'string' &&
      answer.length <= 64 &&
      timingSafeEqual(digest(answer), digest(stored.text));
    if (right) return { verdict: 'ok', key, stored };
    if (tries >= maxTries) {
      await this.store.delete(KEY + key);
      return { verdict: 'exhausted', key };
    }
    return { verdict: 'mismatch', key };
  }

  private async live(key: string): Promise<StoredCaptcha | undefined> {
    const raw = await this.store.get(KEY + key);
    if (raw === undefined) return undefined;
    const stored = JSON.parse(raw) as StoredCaptcha;
    return stored.expiresAt > this.clock.now().getTime() ? stored : undefined;
  }
}

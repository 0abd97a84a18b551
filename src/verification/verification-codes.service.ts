import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import type { CodeChannel, CodePurpose } from '#src/verification/verification-code.js';
import { VerificationCodesRepository } from '#src/verification/verification-codes.repository.js';

export type { CodeChannel, CodePurpose } from '#src/verification/verification-code.js';

/** Wrong tries a code survives; the fifth wrong one burns it and a later right one fails too. */
export const MAX_CODE_ATTEMPTS = 5;
const HOUR_MS = 3_600_000;

export interface CodeRequest {
  channel: CodeChannel;
  /** Already normalised: E.164 phone or lower-cased email. */
  recipient: string;
  purpose: CodePurpose;
  ip: string;
  /** Digits; the dialect's document decides (6 by default, mrpyq says 4). */
  length?: number;
  /** Builds the message around the code (the dialect's wording). */
  message: (code: string, minutes: number) => { subject?: string; body: string };
}

export interface CodeCheck {
  recipient: string;
  purpose: CodePurpose;
  code: string;
  ip: string;
}

export interface SentCode {
  expiresAt: Date;
  /** The code itself, only when VERIFICATION_ECHO_CODE is on (development): never in production. */
  echo?: string;
}

/**
 * SMS and email verification codes. Digits from a CSPRNG, stored only as an HMAC under a server key (a bare hash
 * of six digits falls to a brute force of a million), scoped to a purpose, single use, expiring, burned after five
 * wrong tries, with a resend cooldown, per-recipient caps and per-address caps. Delivery goes through the outbox,
 * in the same transaction as the code.
 */
@Injectable()
export class VerificationCodesService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly codes: VerificationCodesRepository,
    private readonly outbox: OutboxService,
    private readonly counters: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // A key of its own, derived from the server secret, so codes and tokens never share one.
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'verification-codes', 32));
  }

  /**
   * Counts a request for a code against the address's hourly budget, the recipient's resend cooldown and its hourly
   * and daily caps, and refuses it (RATE_LIMITED) past any of them. A caller that sends a code only to some
   * recipients (a reset code only to a registered number) calls this first, for every request: a refusal then
   * says nothing about the recipient. Deadlines are values from the clock, as the lockouts keep theirs.
   */
  async throttle(request: Pick<CodeRequest, 'recipient' | 'purpose' | 'ip'>): Promise<void> {
    const settings = this.config.verification;
    const now = this.clock.now().getTime();
    const hour = Math.floor(now / HOUR_MS);
    const day = Math.floor(now / (24 * HOUR_MS));
    if (
      (await this.counters.increment(`codes:ip:${request.ip}:${hour}`, 2 * HOUR_MS)) >
      settings.maxSendsPerIpPerHour
    ) {
      throw new DomainError('RATE_LIMITED');
    }
    const cooldownKey = `codes:cooldown:${request.purpose}:${request.recipient}`;
    if (Number((await this.counters.get(cooldownKey)) ?? 0) > now) {
      throw new DomainError('RATE_LIMITED', 'resend cooldown');
    }
    // Only requests let through count towards the caps, as only sent codes do in the stored check.
    const hourKey = `codes:recipient:${request.recipient}:h${hour}`;
    const dayKey = `codes:recipient:${request.recipient}:d${day}`;
    const inHour = Number((await this.counters.get(hourKey)) ?? 0);
    const inDay = Number((await this.counters.get(dayKey)) ?? 0);
    if (inHour >= settings.maxPerHour || inDay >= settings.maxPerDay) {
      throw new DomainError('RATE_LIMITED', 'recipient cap');
    }
    // A zero cooldown (allowed by the config) has nothing to remember, and Redis refuses a zero expiry.
    if (settings.resendCooldownMs > 0) {
      await this.counters.set(
        cooldownKey,
        String(now + settings.resendCooldownMs),
        settings.resendCooldownMs,
      );
    }
    await this.counters.increment(hourKey, 2 * HOUR_MS);
    await this.counters.increment(dayKey, 48 * HOUR_MS);
  }

  /**
   * Sends a code to a request that `throttle` let through. The cooldown and caps are checked again on the stored
   * codes, under a lock, so simultaneous requests cannot slip past them together.
   */
  async sendThrottled(request: CodeRequest): Promise<SentCode> {
    const settings = this.config.verification;
    const now = this.clock.now();
    const length = request.length ?? 6;
    const code = String(randomInt(0, 10 ** length)).padStart(length, '0');
    const expiresAt = new Date(now.getTime() + settings.codeTtlMs);
    const text = request.message(code, Math.round(settings.codeTtlMs / 60_000));
    await this.dataSource.transaction(async (em) => {
      // One sender per recipient at a time: the cooldown and caps are checked and the code written under the same
      // lock, so simultaneous requests cannot all pass the check before any of them writes.
      await this.codes.lockRecipient(em, request.recipient);
      const recent = await this.codes.recentActivity(em, {
        recipient: request.recipient,
        purpose: request.purpose,
        now,
      });
      if (recent.lastSentAt && now.getTime() - recent.lastSentAt.getTime() < settings.resendCooldownMs) {
        throw new DomainError('RATE_LIMITED', 'resend cooldown');
      }
      if (recent.sentInLastHour >= settings.maxPerHour || recent.sentInLastDay >= settings.maxPerDay) {
        throw new DomainError('RATE_LIMITED', 'recipient cap');
      }
      // A new code replaces the previous one of the same purpose.
      await this.codes.supersede(em, { recipient: request.recipient, purpose: request.purpose, now });
      await this.codes.insert(em, {
        channel: request.channel,
        recipient: request.recipient,
        purpose: request.purpose,
        codeHmac: this.hmac(request, code),
        createdAt: now,
        expiresAt,
      });
      await this.outbox.enqueue(em, {
        channel: request.channel,
        to: request.recipient,
        ...text,
        params: { code },
      });
    });
    this.outbox.dispatchSoon();
    return { expiresAt, ...(settings.echoCode ? { echo: code } : {}) };
  }

  /**
   * Checks and consumes a code. CODE_INVALID for a wrong code (the try is counted), CODE_EXPIRED for none, an
   * expired or a used one, CODE_ATTEMPTS_EXCEEDED once five wrong tries burned it (a later right try fails too).
   */
  consume(input: CodeCheck): Promise<void> {
    return this.attempt(input, true);
  }

  /**
   * Checks a code without using it up (moretv's "does this code match" before the form that uses it): the same
   * errors as `consume`, and a wrong try counts towards the five as there.
   */
  check(input: CodeCheck): Promise<void> {
    return this.attempt(input, false);
  }

  private async attempt(input: CodeCheck, consumeOnMatch: boolean): Promise<void> {
    const now = this.clock.now();
    const hourWindow = Math.floor(now.getTime() / HOUR_MS);
    const checks = await this.counters.increment(`codes:check:${input.ip}:${hourWindow}`, 2 * HOUR_MS);
    if (checks > this.config.verification.maxChecksPerIpPerHour) throw new DomainError('RATE_LIMITED');

    // The outcome is decided inside the transaction, and a wrong try's count commits before the error is thrown.
    const outcome = await this.dataSource.transaction(async (em) => {
      const row = await this.codes.findLatestOpenForUpdate(em, {
        recipient: input.recipient,
        purpose: input.purpose,
      });
      if (!row || row.expiresAt <= now) return 'CODE_EXPIRED' as const;
      if (row.attempts >= MAX_CODE_ATTEMPTS) return 'CODE_ATTEMPTS_EXCEEDED' as const;
      const expected = row.codeHmac;
      const given = this.hmac({ ...input, channel: row.channel }, input.code);
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        if (consumeOnMatch) await this.codes.markConsumed(em, row.id, now);
        return 'ok' as const;
      }
      const attempts = await this.codes.countWrongTry(em, row.id);
      return attempts >= MAX_CODE_ATTEMPTS ? ('CODE_ATTEMPTS_EXCEEDED' as const) : ('CODE_INVALID' as const);
    });
    if (outcome !== 'ok') throw new DomainError(outcome);
  }

  /** Bound to recipient and purpose, so a code for one cannot be replayed for the other. */
  private hmac(
    scope: { channel: CodeChannel; recipient: string; purpose: CodePurpose },
    code: string,
  ): Buffer {
    return createHmac('sha256', this.key)
      .update(`${scope.channel}\n${scope.recipient}\n${scope.purpose}\n${code}`)
      .digest();
  }
}

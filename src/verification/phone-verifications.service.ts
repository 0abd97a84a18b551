import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { PhoneVerificationsRepository } from '#src/verification/phone-verifications.repository.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

const MAC_BYTES = 32;
const E164 = /^\+[1-9]\d{6,14}$/;

export interface VerifiedPhone {
  phone: string;
  /** Until when the phone may open an account. */
  verifiedUntil: Date;
}

/**
 * A registration in two requests, as mrpyq has it: the code is checked in one (`code` and the ticket `code_v`), and
 * the account is opened by a later one that carries neither. The send step hands out a ticket instead of the code
 * (the document had the server answer the code itself, for the client to compare): an HMAC-signed, expiring name
 * of the phone the code went to, so the check needs no session and the code never leaves the SMS. A right code
 * marks the phone verified for MRPYQ_VERIFIED_PHONE_TTL; the registration claims that mark in its own transaction.
 */
@Injectable()
export class PhoneVerificationsService {
  private readonly key: Buffer;

  constructor(
    private readonly codes: VerificationCodesService,
    private readonly verifications: PhoneVerificationsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // A key of its own, derived from the server secret: a ticket is never a valid session token or code HMAC.
    this.key = Buffer.from(
      hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'phone-verification-tickets', 32),
    );
  }

  /**
   * The ticket for a registration code sent to `phone` (E.164), valid as long as the code:
   * `base64url("<phone>.<expiry ms>.<nonce>") + "." + base64url(HMAC-SHA256(key, "register\n" + that))`.
   * It names the phone and nothing secret; the nonce makes each ticket unique.
   */
  issueTicket(phone: string, expiresAt: Date): string {
    const payload = `${phone}.${expiresAt.getTime()}.${randomBytes(9).toString('base64url')}`;
    return `${Buffer.from(payload, 'utf8').toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  /**
   * Checks the typed code against the code sent to the ticket's phone (consuming it) and marks the phone verified.
   * CODE_INVALID: a ticket this server did not issue (or altered), or a wrong code; CODE_EXPIRED: an expired ticket,
   * or no open code; CODE_ATTEMPTS_EXCEEDED once five wrong tries burned the code; RATE_LIMITED past the address's
   * checks per hour.
   */
  async verifyWithTicket(input: { ticket: string; code: string; ip: string }): Promise<VerifiedPhone> {
    const ticket = this.readTicket(input.ticket);
    const now = this.clock.now();
    if (ticket.expiresAt <= now.getTime()) throw new DomainError('CODE_EXPIRED', 'ticket expired');
    await this.codes.consume({
      recipient: ticket.phone,
      purpose: 'register',
      code: input.code,
      ip: input.ip,
    });
    const verifiedUntil = new Date(now.getTime() + this.config.mrpyq.verifiedPhoneTtlMs);
    await this.verifications.markVerified(ticket.phone, now, verifiedUntil);
    return { phone: ticket.phone, verifiedUntil };
  }

  /** Whether the phone passed a check and may still register (a cheap look before hashing a password). */
  isVerified(phone: string): Promise<boolean> {
    return this.verifications.isVerified(phone, this.clock.now());
  }

  /** Takes the phone's verification inside the registration's transaction; false when it has none (any more). */
  claim(em: EntityManager, phone: string): Promise<boolean> {
    return this.verifications.claim(em, phone, this.clock.now());
  }

  private readTicket(ticket: string): { phone: string; expiresAt: number } {
    const parts = ticket.split('.');
    if (parts.length !== 2 || parts[0].length > 200) throw new DomainError('CODE_INVALID', 'not a ticket');
    const payload = Buffer.from(parts[0], 'base64url').toString('utf8');
    const given = Buffer.from(parts[1], 'base64url');
    const expected = this.mac(payload);
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) {
      throw new DomainError('CODE_INVALID', 'not a ticket of ours');
    }
    const [phone, expiry] = payload.split('.');
    const expiresAt = Number(expiry);
    // Signed by us, so well formed; checked anyway, as a key change or a bug must not become a crash.
    if (!E164.test(phone ?? '') || !Number.isSafeInteger(expiresAt)) {
      throw new DomainError('CODE_INVALID', 'malformed ticket');
    }
    return { phone, expiresAt };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(`register\n${payload}`).digest();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { type SentCode, VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** How a dialect's document words and sizes its SMS codes (xiaoma 6 digits, mrpyq 4). */
export interface PhoneCodeFormat {
  digits: number;
  sms: (code: string, minutes: number) => string;
}

/** Verification codes by SMS for phone accounts, sent only where they can be used. */
@Injectable()
export class PhoneCodesService {
  constructor(
    private readonly users: UsersRepository,
    private readonly codes: VerificationCodesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends a phone verification code. The answer never says whether the number has an account: a registration
   * code goes only to a number without one, a reset code only to a number with one, and every request is throttled
   * alike before anything looks, so a second request within the cooldown is refused for any number.
   */
  async send(input: {
    phone: string;
    purpose: 'register' | 'reset';
    ip: string;
    format: PhoneCodeFormat;
  }): Promise<SentCode> {
    await this.codes.throttle({ recipient: input.phone, purpose: input.purpose, ip: input.ip });
    const taken = await this.users.isTaken('phone', input.phone);
    const expiresAt = new Date(this.clock.now().getTime() + this.config.verification.codeTtlMs);
    if (taken !== (input.purpose === 'reset')) return { expiresAt };
    return this.codes.sendThrottled({
      channel: 'sms',
      recipient: input.phone,
      purpose: input.purpose,
      ip: input.ip,
      length: input.format.digits,
      message: (code, minutes) => ({ body: input.format.sms(code, minutes) }),
    });
  }

  /**
   * Sends a code where the document answers differently for a registered number (nggirl's getCode says "registered",
   * getCodeForgot "not registered", mrpyq's send says 0001): ACCOUNT_EXISTS or USER_NOT_FOUND when the number is
   * not one this purpose serves. Throttled first, like `send`; the route's address budget limits probing.
   */
  async sendRevealing(input: {
    phone: string;
    purpose: 'register' | 'reset';
    ip: string;
    format: PhoneCodeFormat;
  }): Promise<SentCode> {
    await this.codes.throttle({ recipient: input.phone, purpose: input.purpose, ip: input.ip });
    const taken = await this.users.isTaken('phone', input.phone);
    if (input.purpose === 'register' && taken) throw new DomainError('ACCOUNT_EXISTS');
    if (input.purpose === 'reset' && !taken) throw new DomainError('USER_NOT_FOUND');
    return this.codes.sendThrottled({
      channel: 'sms',
      recipient: input.phone,
      purpose: input.purpose,
      ip: input.ip,
      length: input.format.digits,
      message: (code, minutes) => ({ body: input.format.sms(code, minutes) }),
    });
  }
}

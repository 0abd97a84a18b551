import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialsRepository } from '#src/auth/credentials.repository.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import type { Principal } from '#src/auth/principal.js';
import type { RevokeReason } from '#src/auth/session.entity.js';
import { SessionService } from '#src/auth/session.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { UsersRepository } from '#src/users/users.repository.js';
import {
  PasswordResetTokensService,
  type ResetTokenState,
} from '#src/verification/password-reset-tokens.service.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** The dialect-neutral reset page (PasswordResetPageController). */
const DEFAULT_RESET_PAGE_PATH = '/account/reset-password';

export interface ResetLinkOptions {
  /**
   * The page the mailed link opens, a path on PUBLIC_BASE_URL (never a host: links are built from the configured
   * base URL only), taking `?token=`. moretv mails its own reset page; by default the dialect-neutral one.
   */
  pagePath?: `/${string}`;
}

/**
 * Changing a password: knowing the old one, with a mailed link, or with an SMS code. A change ends every other
 * session of the account, a reset every session, in every dialect.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
    private readonly resetTokens: PasswordResetTokensService,
    private readonly codes: VerificationCodesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Changes the password and ends every other session of the account; the caller's stays signed in. */
  async changePassword(principal: Principal, oldDigest: string, newDigest: string): Promise<void> {
    const stored = await this.credentials.findHash(principal.userId);
    if (!stored || !(await this.hasher.verify(stored, oldDigest))) throw new DomainError('BAD_CREDENTIALS');
    await this.setPassword(principal.userId, newDigest, 'password_changed', principal.sessionId);
  }

  /**
   * Mails a reset link when the address belongs to an open account. Says nothing either way: the caller answers
   * the same whether or not the account exists, and as fast, since the link is issued and mailed after the answer.
   */
  async requestPasswordReset(email: string, options: ResetLinkOptions = {}): Promise<void> {
    const user = await this.users.findOpenByEmail(email.trim().toLowerCase());
    if (!user?.email || user.status !== 'active') return;
    const recipient = { id: user.id, email: user.email, nickname: user.nickname };
    const pagePath = options.pagePath ?? DEFAULT_RESET_PAGE_PATH;
    this.outbox.prepareLater('password reset mail', () => this.mailResetLink(recipient, pagePath));
  }

  private async mailResetLink(
    user: { id: string; email: string; nickname: string },
    pagePath: string,
  ): Promise<void> {
    const issued = await this.dataSource.transaction(async (em) => {
      if (await this.resetTokens.recentlyIssued(em, user.id)) return false;
      const { token } = await this.resetTokens.issue(em, user.id);
      const link = `${this.config.http.publicBaseUrl}${pagePath}?token=${encodeURIComponent(token)}`;
      const minutes = Math.round(this.config.verification.passwordResetTtlMs / 60_000);
      await this.outbox.enqueue(em, {
        channel: 'mail',
        to: user.email,
        subject: '重置密码 / Reset your password',
        body: [
          `${user.nickname || user.email}，您好：`,
          '',
          `请在 ${minutes} 分钟内打开下面的链接设置新密码（链接只能使用一次）：`,
          link,
          '',
          `To choose a new password, open this link within ${minutes} minutes (it works once):`,
          link,
          '',
          '如果这不是您本人的操作，请忽略本邮件。 If you did not ask for this, ignore this mail.',
        ].join('\n'),
      });
      return true;
    });
    if (issued) this.outbox.dispatchSoon();
  }

  inspectResetToken(token: string): Promise<ResetTokenState> {
    return this.resetTokens.inspect(token);
  }

  /**
   * Sets the password from a reset link (the web page sends plain text, hashed by the caller to the shared md5
   * form). CODE_EXPIRED when the link is unknown, expired or already used.
   */
  async completePasswordReset(token: string, newDigest: string): Promise<void> {
    if ((await this.resetTokens.inspect(token)) !== 'valid') throw new DomainError('CODE_EXPIRED');
    const passwordHash = await this.hasher.hash(newDigest);
    await this.dataSource.transaction(async (em) => {
      const userId = await this.resetTokens.consume(em, token);
      await this.credentials.save(em, userId, passwordHash, this.clock.now());
      await this.sessions.revokeAllForUser(em, userId, 'password_reset');
      await this.devices.unregisterEndedSessions(em, userId);
    });
  }

  /** Sets a new password with a reset code sent by SMS; every session of the account ends. Answers whose it was. */
  async resetPasswordWithCode(input: {
    phone: string;
    code: string;
    newDigest: string;
    ip: string;
  }): Promise<string> {
    await this.codes.consume({ recipient: input.phone, purpose: 'reset', code: input.code, ip: input.ip });
    const user = await this.users.findOpenByPhone(input.phone);
    // A reset code is only ever sent to a registered number; the account may have been closed since.
    if (!user) throw new DomainError('CODE_EXPIRED');
    await this.setPassword(user.id, input.newDigest, 'password_reset');
    return user.id;
  }

  private async setPassword(
    userId: string,
    newDigest: string,
    reason: RevokeReason,
    keepSessionId?: string,
  ): Promise<void> {
    const passwordHash = await this.hasher.hash(newDigest);
    await this.dataSource.transaction(async (em) => {
      await this.credentials.save(em, userId, passwordHash, this.clock.now());
      await this.sessions.revokeAllForUser(em, userId, reason, keepSessionId);
      await this.devices.unregisterEndedSessions(em, userId);
    });
  }
}

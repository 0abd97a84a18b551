import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountsRepository, type NewAccount } from '#src/auth/accounts.repository.js';
import { CredentialsRepository, type SignInIdentifier } from '#src/auth/credentials.repository.js';
import { LoginAttemptsService } from '#src/auth/login-attempts.service.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { SessionService, type SessionOrigin } from '#src/auth/session.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { validNickname } from '#src/users/nickname.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import {
  PasswordResetTokensService,
  type ResetTokenState,
} from '#src/verification/password-reset-tokens.service.js';
import { type SentCode, VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** Where a sign-in comes from: the session's origin plus an optional push registration. */
export interface SignInContext extends SessionOrigin {
  push?: { provider: string; token: string };
}

export interface SignedIn {
  user: UserEntity;
  accessToken: string;
  sessionId: string;
}

/** Account and credential flows shared by every dialect. Passwords arrive here as md5 hex digests. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly accounts: AccountsRepository,
    private readonly attempts: LoginAttemptsService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
    private readonly resetTokens: PasswordResetTokensService,
    private readonly codes: VerificationCodesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async registerWithEmail(
    input: { email: string; passwordDigest: string; nickname: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    const email = input.email.trim().toLowerCase();
    const nickname = validNickname(input.nickname);
    const passwordHash = await this.hasher.inTurn(async () => {
      // Cheap refusal before the expensive hash; the unique index still settles a race.
      if (await this.users.isTaken('email', email)) throw new DomainError('ACCOUNT_EXISTS');
      return this.hasher.hash(input.passwordDigest);
    });
    return this.createAccount({ email, nickname, passwordHash }, context);
  }

  /**
   * Sends a phone verification code. The answer never says whether the number has an account: a registration
   * code goes only to a number without one, a reset code only to a number with one, and every request is throttled
   * alike before anything looks, so a second request within the cooldown is refused for any number.
   */
  async sendPhoneCode(input: {
    phone: string;
    purpose: 'register' | 'reset';
    ip: string;
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
      message: (code, minutes) => ({ body: `您的验证码是${code}，${minutes}分钟内有效，请勿泄露给他人。` }),
    });
  }

  /** `phone` in E.164; the code is the one `sendPhoneCode` sent for registration. */
  async registerWithPhone(
    input: { phone: string; code: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    // Paced like the email registration, so a burst of them shares its checks and yields to the hashing threads.
    const passwordHash = await this.hasher.inTurn(async () => {
      if (await this.users.isTaken('phone', input.phone)) throw new DomainError('ACCOUNT_EXISTS');
      await this.codes.consume({
        recipient: input.phone,
        purpose: 'register',
        code: input.code,
        ip: context.ip ?? 'unknown',
      });
      return this.hasher.hash(input.passwordDigest);
    });
    return this.createAccount({ phone: input.phone, nickname: '', passwordHash }, context);
  }

  /** Sets a new password with a reset code sent by SMS; every session of the account ends. */
  async resetPasswordWithCode(input: {
    phone: string;
    code: string;
    newDigest: string;
    ip: string;
  }): Promise<void> {
    await this.codes.consume({ recipient: input.phone, purpose: 'reset', code: input.code, ip: input.ip });
    const user = await this.users.findOpenByPhone(input.phone);
    // A reset code is only ever sent to a registered number; the account may have been closed since.
    if (!user) throw new DomainError('CODE_EXPIRED');
    const passwordHash = await this.hasher.hash(input.newDigest);
    await this.dataSource.transaction(async (em) => {
      await this.credentials.save(em, user.id, passwordHash, this.clock.now());
      await this.sessions.revokeAllForUser(em, user.id, 'password_reset');
      await this.devices.unregisterEndedSessions(em, user.id);
    });
  }

  async loginWithEmail(
    input: { email: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    return this.loginWithPassword(
      { kind: 'email', value: input.email.trim().toLowerCase() },
      input.passwordDigest,
      context,
    );
  }

  /** `phone` in E.164. */
  async loginWithPhone(
    input: { phone: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    return this.loginWithPassword({ kind: 'phone', value: input.phone }, input.passwordDigest, context);
  }

  /**
   * The operators' sign-in: the same password checks and lockouts as any login, then the admin role. The session
   * it opens is good only on `/admin`.
   */
  async loginAdmin(
    input: { email: string; passwordDigest: string },
    context: Omit<SignInContext, 'dialect' | 'push'>,
  ): Promise<SignedIn & { expiresAt: Date }> {
    const user = await this.checkPassword(
      { kind: 'email', value: input.email.trim().toLowerCase() },
      input.passwordDigest,
      context.ip ?? 'unknown',
    );
    if (user.role !== 'admin') throw new DomainError('FORBIDDEN', 'this account is not an administrator');
    const session = await this.sessions.open(this.dataSource.manager, user.id, {
      ...context,
      dialect: 'admin',
    });
    return { user, ...session };
  }

  private async loginWithPassword(
    login: SignInIdentifier,
    passwordDigest: string,
    context: SignInContext,
  ): Promise<SignedIn> {
    const user = await this.checkPassword(login, passwordDigest, context.ip ?? 'unknown');
    // A session alone is one INSERT; with a push token, session and device are written together.
    return context.push
      ? this.dataSource.transaction((em) => this.openSession(em, user, context))
      : this.openSession(this.dataSource.manager, user, context);
  }

  /** Every password sign-in's checks: client and account lockouts, equal work for unknown accounts, bans. */
  private async checkPassword(
    login: SignInIdentifier,
    passwordDigest: string,
    ip: string,
  ): Promise<UserEntity> {
    await this.attempts.assertAllowed(login.value, ip);
    const { account, valid } = await this.hasher.inTurn(async () => {
      const found = await this.credentials.findAccount(login);
      return {
        account: found,
        valid: found?.passwordHash
          ? await this.hasher.verify(found.passwordHash, passwordDigest)
          : await this.hasher.verifyNothing(passwordDigest),
      };
    });
    // Unknown account and wrong password are the same answer, after the same work.
    if (!account || !valid) {
      if ((await this.attempts.recordFailure(login.value, ip)) === 'hard-lock') {
        await this.credentials.lockAccount(login, this.clock.now());
      }
      throw new DomainError('BAD_CREDENTIALS');
    }
    // Locked until a password reset: even the right password is refused.
    if (account.locked) throw new DomainError('ACCOUNT_LOCKED');
    await this.attempts.recordSuccess(login.value, ip);
    if (account.user.status === 'banned') throw new DomainError('ACCOUNT_DISABLED');
    return account.user;
  }

  async logout(principal: Principal): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.sessions.revoke(em, principal.sessionId, 'logout');
      await this.devices.unregisterEndedSessions(em, principal.userId);
    });
  }

  /** Changes the password and ends every other session of the account; the caller's stays signed in. */
  async changePassword(principal: Principal, oldDigest: string, newDigest: string): Promise<void> {
    const stored = await this.credentials.findHash(principal.userId);
    if (!stored || !(await this.hasher.verify(stored, oldDigest))) throw new DomainError('BAD_CREDENTIALS');
    const passwordHash = await this.hasher.hash(newDigest);
    await this.dataSource.transaction(async (em) => {
      await this.credentials.save(em, principal.userId, passwordHash, this.clock.now());
      await this.sessions.revokeAllForUser(em, principal.userId, 'password_changed', principal.sessionId);
      await this.devices.unregisterEndedSessions(em, principal.userId);
    });
  }

  /**
   * Mails a reset link when the address belongs to an open account. Says nothing either way: the caller answers
   * the same whether or not the account exists, and as fast, since the link is issued and mailed after the answer.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.users.findOpenByEmail(email.trim().toLowerCase());
    if (!user?.email || user.status !== 'active') return;
    const recipient = { id: user.id, email: user.email, nickname: user.nickname };
    this.outbox.prepareLater('password reset mail', () => this.mailResetLink(recipient));
  }

  private async mailResetLink(user: { id: string; email: string; nickname: string }): Promise<void> {
    const issued = await this.dataSource.transaction(async (em) => {
      if (await this.resetTokens.recentlyIssued(em, user.id)) return false;
      const { token } = await this.resetTokens.issue(em, user.id);
      const link = `${this.config.http.publicBaseUrl}/account/reset-password?token=${encodeURIComponent(token)}`;
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

  /** Sets the password from a reset link (the web page sends plain text, hashed here to the shared md5 form). */
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

  /** Account and first session in one statement; a push token joins them in a transaction. */
  private createAccount(account: Omit<NewAccount, 'session'>, context: SignInContext): Promise<SignedIn> {
    const create = async (em: EntityManager): Promise<SignedIn> => {
      const { user, sessionId } = await this.accounts.createWithSession(em, {
        ...account,
        session: this.sessions.plan(context),
      });
      await this.registerPush(em, user.id, sessionId, context);
      return {
        user,
        sessionId,
        accessToken: await this.sessions.tokenFor(user.id, sessionId, context.dialect),
      };
    };
    return context.push ? this.dataSource.transaction(create) : create(this.dataSource.manager);
  }

  private async openSession(em: EntityManager, user: UserEntity, context: SignInContext): Promise<SignedIn> {
    const session = await this.sessions.open(em, user.id, context);
    await this.registerPush(em, user.id, session.sessionId, context);
    return { user, accessToken: session.accessToken, sessionId: session.sessionId };
  }

  private async registerPush(
    em: EntityManager,
    userId: string,
    sessionId: string,
    context: SignInContext,
  ): Promise<void> {
    if (!context.push) return;
    await this.devices.register(em, {
      userId,
      sessionId,
      provider: context.push.provider,
      token: context.push.token,
      platform: context.platform,
      now: this.clock.now(),
    });
  }
}

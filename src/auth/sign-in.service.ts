import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { PasswordCheck } from '#src/auth/password-check.js';
import type { Principal } from '#src/auth/principal.js';
import { SessionService, type SessionOrigin } from '#src/auth/session.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { DevicesService } from '#src/devices/devices.service.js';
import type { UserEntity } from '#src/users/user.entity.js';

/** Where a sign-in comes from: the session's origin plus an optional push registration. */
export interface SignInContext extends SessionOrigin {
  push?: { provider: string; token: string };
}

export interface SignedIn {
  user: UserEntity;
  accessToken: string;
  sessionId: string;
}

/** Password sign-in for every dialect and for operators, and sign-out. */
@Injectable()
export class SignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordCheck,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
  ) {}

  loginWithEmail(
    input: { email: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    return this.login(
      { kind: 'email', value: input.email.trim().toLowerCase() },
      input.passwordDigest,
      context,
    );
  }

  /** `phone` in E.164. */
  loginWithPhone(
    input: { phone: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    return this.login({ kind: 'phone', value: input.phone }, input.passwordDigest, context);
  }

  /**
   * The operators' sign-in: the same password checks and lockouts as any login, then the admin role. The session
   * it opens is good only on `/admin`.
   */
  async loginAdmin(
    input: { email: string; passwordDigest: string },
    context: Omit<SignInContext, 'dialect' | 'push'>,
  ): Promise<SignedIn & { expiresAt: Date }> {
    const user = await this.passwords.verify(
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

  async logout(principal: Principal): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.sessions.revoke(em, principal.sessionId, 'logout');
      await this.devices.unregisterEndedSessions(em, principal.userId);
    });
  }

  private async login(
    identifier: { kind: 'email' | 'phone'; value: string },
    passwordDigest: string,
    context: SignInContext,
  ): Promise<SignedIn> {
    const user = await this.passwords.verify(identifier, passwordDigest, context.ip ?? 'unknown');
    // A session alone is one INSERT; with a push token, session and device are written together.
    return context.push
      ? this.dataSource.transaction((em) => this.openSession(em, user, context))
      : this.openSession(this.dataSource.manager, user, context);
  }

  private async openSession(em: EntityManager, user: UserEntity, context: SignInContext): Promise<SignedIn> {
    const session = await this.sessions.open(em, user.id, context);
    if (context.push) await this.devices.registerForSession(em, user.id, session.sessionId, context);
    return { user, accessToken: session.accessToken, sessionId: session.sessionId };
  }
}

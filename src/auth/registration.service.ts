import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountsRepository, type NewAccount } from '#src/auth/accounts.repository.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { SessionService } from '#src/auth/session.service.js';
import type { SignedIn, SignInContext } from '#src/auth/sign-in.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { validNickname } from '#src/users/nickname.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** New accounts, by email (nuzzle) or by a phone verified with a code (xiaoma); each opens its first session. */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
    private readonly codes: VerificationCodesService,
  ) {}

  async registerWithEmail(
    input: { email: string; passwordDigest: string; nickname: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    const email = input.email.trim().toLowerCase();
    const nickname = validNickname(input.nickname);
    // Cheap refusal before the expensive hash; the unique index still settles a race.
    if (await this.users.isTaken('email', email)) throw new DomainError('ACCOUNT_EXISTS');
    const passwordHash = await this.hasher.hash(input.passwordDigest);
    return this.createAccount({ email, nickname, passwordHash }, context);
  }

  /** `phone` in E.164; the code is the one sent for registration (PhoneCodesService). */
  async registerWithPhone(
    input: { phone: string; code: string; passwordDigest: string },
    context: SignInContext,
  ): Promise<SignedIn> {
    if (await this.users.isTaken('phone', input.phone)) throw new DomainError('ACCOUNT_EXISTS');
    await this.codes.consume({
      recipient: input.phone,
      purpose: 'register',
      code: input.code,
      ip: context.ip ?? 'unknown',
    });
    const passwordHash = await this.hasher.hash(input.passwordDigest);
    return this.createAccount({ phone: input.phone, nickname: '', passwordHash }, context);
  }

  /** Account and first session in one statement; a push token joins them in a transaction. */
  private createAccount(account: Omit<NewAccount, 'session'>, context: SignInContext): Promise<SignedIn> {
    const create = async (em: EntityManager): Promise<SignedIn> => {
      const { user, sessionId } = await this.accounts.createWithSession(em, {
        ...account,
        session: this.sessions.plan(context),
      });
      if (context.push) await this.devices.registerForSession(em, user.id, sessionId, context);
      return {
        user,
        sessionId,
        accessToken: await this.sessions.tokenFor(user.id, sessionId, context.dialect),
      };
    };
    return context.push ? this.dataSource.transaction(create) : create(this.dataSource.manager);
  }
}

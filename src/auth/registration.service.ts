import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountsRepository, type NewAccount } from '#src/auth/accounts.repository.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { SessionService } from '#src/auth/session.service.js';
import type { SignedIn, SignInContext } from '#src/auth/sign-in.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { AnonymousUploads } from '#src/media/anonymous-uploads.service.js';
import { isReservedNickname, validNickname } from '#src/users/nickname.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { PhoneVerificationsService } from '#src/verification/phone-verifications.service.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

/**
 * New accounts, by email (nuzzle) or by a phone verified with a code (xiaoma), each opening its first session; or by
 * a phone verified in an earlier request (mrpyq), opening none.
 */
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
    private readonly verifiedPhones: PhoneVerificationsService,
    private readonly anonymousUploads: AnonymousUploads,
    private readonly clock: Clock,
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

  /**
   * A phone account whose number passed the code check in an earlier request (PhoneVerificationsService), with the
   * profile registration collected; no session (mrpyq's client signs in next). The verification is used up by the
   * transaction that creates the account, so it opens one account at most. CODE_INVALID when the number has no
   * verification (any more), ACCOUNT_EXISTS when it is taken, NICKNAME_INVALID, INVALID_PARAMS for an avatar that is
   * not an unclaimed anonymous upload (AnonymousUploads).
   */
  async registerVerifiedPhone(input: {
    phone: string;
    passwordDigest: string;
    nickname?: string;
    gender: 1 | 2 | null;
    avatarUrl?: string;
  }): Promise<UserEntity> {
    // Verification first: whether a number is taken is told only to someone who holds its code.
    if (!(await this.verifiedPhones.isVerified(input.phone))) {
      throw new DomainError('CODE_INVALID', 'this number has not passed the code check');
    }
    const nickname = input.nickname?.trim() ? validNickname(input.nickname) : '';
    if (nickname && isReservedNickname(nickname))
      throw new DomainError('NICKNAME_INVALID', 'reserved nickname');
    if (await this.users.isTaken('phone', input.phone)) throw new DomainError('ACCOUNT_EXISTS');
    const passwordHash = await this.hasher.hash(input.passwordDigest);
    return this.dataSource.transaction(async (em) => {
      if (!(await this.verifiedPhones.claim(em, input.phone))) {
        throw new DomainError('CODE_INVALID', 'this number has not passed the code check');
      }
      const user = await this.accounts.create(
        em,
        { phone: input.phone, nickname, passwordHash, gender: input.gender },
        this.clock.now(),
      );
      if (input.avatarUrl?.trim()) {
        user.avatarUrl = await this.anonymousUploads.claim(em, input.avatarUrl, user.id);
        await this.accounts.setAvatar(em, user.id, user.avatarUrl);
      }
      return user;
    });
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

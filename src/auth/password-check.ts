import { Injectable } from '@nestjs/common';
import { CredentialsRepository, type SignInIdentifier } from '#src/auth/credentials.repository.js';
import { LoginAttemptsService } from '#src/auth/login-attempts.service.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { UserEntity } from '#src/users/user.entity.js';

/**
 * The one seam every password sign-in goes through, whatever the dialect: the address budget and the lockouts,
 * the account lookup, the argon2id verification (paced by the hashing threads' queue, the only pacing there is),
 * equal work for an unknown account, and the account's own state. Passwords arrive as md5 hex digests.
 */
@Injectable()
export class PasswordCheck {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly attempts: LoginAttemptsService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * The user whose password this is. BAD_CREDENTIALS for a wrong password and for an unknown account alike (after
   * the same work), ACCOUNT_LOCKED while locked out, RATE_LIMITED past the address budget, ACCOUNT_DISABLED for a
   * banned account (told only to someone who knows its password).
   */
  async verify(identifier: SignInIdentifier, digest: string, ip: string): Promise<UserEntity> {
    await this.attempts.assertAllowed(identifier.value, ip);
    const account = await this.credentials.findAccount(identifier);
    const valid = account?.passwordHash
      ? await this.hasher.verify(account.passwordHash, digest)
      : await this.hasher.verifyNothing(digest);
    if (!account || !valid) {
      if ((await this.attempts.recordFailure(identifier.value, ip)) === 'hard-lock') {
        await this.credentials.lockAccount(identifier, this.clock.now());
      }
      throw new DomainError('BAD_CREDENTIALS');
    }
    // Locked until a password reset: even the right password is refused.
    if (account.locked) throw new DomainError('ACCOUNT_LOCKED');
    await this.attempts.recordSuccess(identifier.value, ip);
    if (account.user.status === 'banned') throw new DomainError('ACCOUNT_DISABLED');
    return account.user;
  }
}

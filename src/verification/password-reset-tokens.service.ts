import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { PasswordResetTokensRepository } from '#src/verification/password-reset-tokens.repository.js';

export type ResetTokenState = 'valid' | 'expired' | 'unknown';

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** 256-bit, single-use, expiring reset tokens. The token itself only ever exists in the mail. */
@Injectable()
export class PasswordResetTokensService {
  constructor(
    private readonly tokens: PasswordResetTokensRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether a link went out for this user within PASSWORD_RESET_COOLDOWN (a mail-bombing brake). Takes a per-user
   * lock for the rest of the caller's transaction, so simultaneous requests cannot all pass before one issues.
   */
  async recentlyIssued(em: EntityManager, userId: string): Promise<boolean> {
    await this.tokens.lockUser(em, userId);
    const since = new Date(this.clock.now().getTime() - this.config.verification.passwordResetCooldownMs);
    return this.tokens.issuedSince(em, userId, since);
  }

  async issue(em: EntityManager, userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.verification.passwordResetTtlMs);
    await this.tokens.insert(em, { userId, tokenHash: digest(token), createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  async inspect(token: string): Promise<ResetTokenState> {
    const row = await this.tokens.findByHash(digest(token));
    if (!row) return 'unknown';
    return row.usedAt || row.expiresAt <= this.clock.now() ? 'expired' : 'valid';
  }

  /**
   * Consumes the token inside the caller's transaction (row-locked, so two submits cannot both succeed) and
   * retires every other open link of the same user. Returns the user id.
   */
  async consume(em: EntityManager, token: string): Promise<string> {
    const row = await this.tokens.findByHashForUpdate(em, digest(token));
    const now = this.clock.now();
    if (!row || row.usedAt || row.expiresAt <= now) throw new DomainError('CODE_EXPIRED');
    await this.tokens.markAllUsedForUser(em, row.userId, now);
    return row.userId;
  }
}

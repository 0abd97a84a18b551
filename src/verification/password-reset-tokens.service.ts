import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { PasswordResetTokenEntity } from '#src/verification/password-reset-token.entity.js';

export type ResetTokenState = 'valid' | 'expired' | 'unknown';

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** 256-bit, single-use, expiring reset tokens. The token itself only ever exists in the mail. */
@Injectable()
export class PasswordResetTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether a link went out for this user within PASSWORD_RESET_COOLDOWN (a mail-bombing brake). Takes a per-user
   * lock for the rest of the caller's transaction, so simultaneous requests cannot all pass before one issues.
   */
  async recentlyIssued(em: EntityManager, userId: string): Promise<boolean> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`reset:${userId}`]);
    const since = new Date(this.clock.now().getTime() - this.config.verification.passwordResetCooldownMs);
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM password_reset_tokens WHERE user_id = $1 AND created_at > $2 LIMIT 1`,
      [userId, since],
    );
    return rows.length > 0;
  }

  async issue(em: EntityManager, userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.verification.passwordResetTtlMs);
    await em
      .getRepository(PasswordResetTokenEntity)
      .insert({ userId, tokenHash: digest(token), createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  async inspect(token: string): Promise<ResetTokenState> {
    const row = await this.dataSource
      .getRepository(PasswordResetTokenEntity)
      .findOneBy({ tokenHash: digest(token) });
    if (!row) return 'unknown';
    return row.usedAt || row.expiresAt <= this.clock.now() ? 'expired' : 'valid';
  }

  /**
   * Consumes the token inside the caller's transaction (row-locked, so two submits cannot both succeed) and
   * retires every other open link of the same user. Returns the user id.
   */
  async consume(em: EntityManager, token: string): Promise<string> {
    const repo = em.getRepository(PasswordResetTokenEntity);
    const row = await repo.findOne({
      where: { tokenHash: digest(token) },
      lock: { mode: 'pessimistic_write' },
    });
    const now = this.clock.now();
    if (!row || row.usedAt || row.expiresAt <= now) throw new DomainError('CODE_EXPIRED');
    await repo.update({ userId: row.userId, usedAt: IsNull() }, { usedAt: now });
    return row.userId;
  }
}

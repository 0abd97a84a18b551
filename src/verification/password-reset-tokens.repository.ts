import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { PasswordResetTokenEntity } from '#src/verification/password-reset-token.entity.js';

/** The `password_reset_tokens` table, looked up by the token's SHA-256 (the token itself is never stored). */
@Injectable()
export class PasswordResetTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One issuer per user until the caller's transaction ends. */
  async lockUser(em: EntityManager, userId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`reset:${userId}`]);
  }

  /** Whether a link was issued to this user after `since`. */
  async issuedSince(em: EntityManager, userId: string, since: Date): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM password_reset_tokens WHERE user_id = $1 AND created_at > $2 LIMIT 1`,
      [userId, since],
    );
    return rows.length > 0;
  }

  async insert(
    em: EntityManager,
    token: Pick<PasswordResetTokenEntity, 'userId' | 'tokenHash' | 'createdAt' | 'expiresAt'>,
  ): Promise<void> {
    await em.getRepository(PasswordResetTokenEntity).insert(token);
  }

  async findByHash(tokenHash: Buffer): Promise<PasswordResetTokenEntity | null> {
    return this.dataSource.getRepository(PasswordResetTokenEntity).findOneBy({ tokenHash });
  }

  /** Row-locked until the caller's transaction ends, so two submits of one link cannot both use it. */
  async findByHashForUpdate(em: EntityManager, tokenHash: Buffer): Promise<PasswordResetTokenEntity | null> {
    return em.getRepository(PasswordResetTokenEntity).findOne({
      where: { tokenHash },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Marks every unused link of the user used (the one just consumed and any other still open). */
  async markAllUsedForUser(em: EntityManager, userId: string, usedAt: Date): Promise<void> {
    await em.getRepository(PasswordResetTokenEntity).update({ userId, usedAt: IsNull() }, { usedAt });
  }
}

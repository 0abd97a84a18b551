import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { UserEntity } from '#src/users/user.entity.js';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(UserEntity);
  }

  /** A user that is not closed; closed accounts are gone as far as every client can tell. */
  findOpenById(id: string): Promise<UserEntity | null> {
    if (!isBigintId(id)) return Promise.resolve(null);
    return this.repo().findOneBy({ id, status: Not('closed' as const) });
  }

  findOpenByEmail(email: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).findOneBy({ email, status: Not('closed' as const) });
  }

  findOpenByPhone(phone: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ phone, status: Not('closed' as const) });
  }

  /** Whether an open account already uses this email or phone (a cheap check before hashing a password). */
  async isTaken(kind: 'email' | 'phone', value: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM users WHERE ${kind === 'email' ? 'email' : 'phone'} = $1 AND status <> 'closed' LIMIT 1`,
      [value],
    );
    return rows.length > 0;
  }

  async updateSignature(userId: string, signature: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE users SET signature = $2, updated_at = $3 WHERE id = $1`, [
      userId,
      signature,
      now,
    ]);
  }

  /** Sets what is given (nickname, avatar or both) and answers the user as it now is. */
  async updateProfile(
    userId: string,
    changes: { nickname?: string; avatarUrl?: string },
    now: Date,
  ): Promise<UserEntity | null> {
    await this.dataSource.query(
      `UPDATE users SET nickname = COALESCE($2, nickname), avatar_url = COALESCE($3, avatar_url), updated_at = $4
        WHERE id = $1`,
      [userId, changes.nickname ?? null, changes.avatarUrl ?? null, now],
    );
    return this.findOpenById(userId);
  }

  async updateAvatar(userId: string, url: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE users SET avatar_url = $2, updated_at = $3 WHERE id = $1`, [
      userId,
      url,
      now,
    ]);
  }
}

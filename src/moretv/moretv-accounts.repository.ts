import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';

/** What moretv's profile form may change; absent fields stay as they are. */
export interface ProfileChanges {
  nickname?: string;
  /** 0 unknown, 1 male, 2 female. */
  gender?: number;
  signature?: string;
  /** `YYYY-MM-DD`. */
  birthday?: string;
}

/**
 * The account changes only moretv's web account centre makes (email with a mailed code, gender and birthday with
 * the profile, the avatar it uploads itself), on the shared `users` row, and the birthday in `moretv_profiles`.
 */
@Injectable()
export class MoretvAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async isEmailTaken(email: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM users WHERE email = $1 AND status <> 'closed' LIMIT 1`,
      [email],
    );
    return rows.length > 0;
  }

  /** ACCOUNT_EXISTS when another open account took the address meanwhile (the unique index settles the race). */
  async changeEmail(em: EntityManager, userId: string, email: string, now: Date): Promise<void> {
    try {
      await em.query(`UPDATE users SET email = $2, updated_at = $3 WHERE id = $1`, [userId, email, now]);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }

  async updateProfile(userId: string, changes: ProfileChanges, now: Date): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE users SET nickname = COALESCE($2, nickname), gender = COALESCE($3, gender),
                signature = COALESCE($4, signature), updated_at = $5
          WHERE id = $1`,
        [userId, changes.nickname ?? null, changes.gender ?? null, changes.signature ?? null, now],
      );
      if (changes.birthday !== undefined) {
        await em.query(
          `INSERT INTO moretv_profiles (user_id, birthday, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET birthday = EXCLUDED.birthday, updated_at = EXCLUDED.updated_at`,
          [userId, changes.birthday, now],
        );
      }
    });
  }

  async updateAvatar(userId: string, url: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE users SET avatar_url = $2, updated_at = $3 WHERE id = $1`, [
      userId,
      url,
      now,
    ]);
  }

  /** `YYYY-MM-DD`, or null when never given. */
  async findBirthday(userId: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ birthday: string | null }>>(
      `SELECT to_char(birthday, 'YYYY-MM-DD') AS birthday FROM moretv_profiles WHERE user_id = $1`,
      [userId],
    );
    return rows[0]?.birthday ?? null;
  }
}

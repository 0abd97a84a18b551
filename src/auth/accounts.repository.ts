import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NewSession } from '#src/auth/sessions.repository.js';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

export interface NewAccount {
  email?: string;
  phone?: string;
  nickname: string;
  passwordHash: string;
  session: Omit<NewSession, 'userId'>;
}

/** An account opened without a session (the client signs in next), with what its registration collected. */
export interface NewProfileAccount {
  phone: string;
  nickname: string;
  passwordHash: string;
  /** ISO/IEC 5218: 1 male, 2 female; null when not given (docs/dialects/mrpyq.md). */
  gender: 1 | 2 | null;
}

/**
 * Registration writes the user, its credential and its first session in one statement: atomic without a
 * transaction, one round trip instead of six.
 */
@Injectable()
export class AccountsRepository {
  async createWithSession(
    em: EntityManager,
    account: NewAccount,
  ): Promise<{ user: UserEntity; sessionId: string }> {
    const { session } = account;
    try {
      const rows = await em.query<Array<UserSqlColumns & { sessionId: string }>>(
        `WITH u AS (
           INSERT INTO users (email, phone, nickname, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *
         ), credential AS (
           INSERT INTO user_credentials (user_id, password_hash, updated_at) SELECT id, $5, $4 FROM u
         ), s AS (
           INSERT INTO sessions (user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
           SELECT id, $6, $7, $8, $9, $4, $4, $10 FROM u RETURNING id
         )
         SELECT ${USER_COLUMNS}, s.id AS "sessionId" FROM u, s`,
        [
          account.email ?? null,
          account.phone ?? null,
          account.nickname,
          session.now,
          account.passwordHash,
          session.dialect,
          session.platform ?? null,
          session.userAgent ?? null,
          session.ip ?? null,
          session.expiresAt,
        ],
      );
      return { user: userFromRow(rows[0]), sessionId: rows[0].sessionId };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }

  /** The user and its credential in one statement, in the caller's transaction; ACCOUNT_EXISTS when taken. */
  async create(em: EntityManager, account: NewProfileAccount, now: Date): Promise<UserEntity> {
    try {
      const rows = await em.query<UserSqlColumns[]>(
        `WITH u AS (
           INSERT INTO users (phone, nickname, gender, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *
         ), credential AS (
           INSERT INTO user_credentials (user_id, password_hash, updated_at) SELECT id, $5, $4 FROM u
         )
         SELECT ${USER_COLUMNS} FROM u`,
        [account.phone, account.nickname, account.gender, now, account.passwordHash],
      );
      return userFromRow(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }

  async setAvatar(em: EntityManager, userId: string, url: string): Promise<void> {
    await em.query(`UPDATE users SET avatar_url = $2 WHERE id = $1`, [userId, url]);
  }
}

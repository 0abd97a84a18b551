import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevokeReason, SessionChannel } from '#src/auth/session.entity.js';
import { hotQuery, pgPool } from '#src/database/pg-pool.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

export interface LiveSessionRow {
  sessionId: string;
  channel: SessionChannel;
  lastSeenAt: Date;
  expiresAt: Date;
  createdAt: Date;
  user: UserEntity;
}

interface LiveSessionSqlRow extends UserSqlColumns {
  sessionId: string;
  channel: SessionChannel;
  lastSeenAt: Date;
  expiresAt: Date;
  createdAt: Date;
}

export interface NewSession {
  userId: string;
  dialect: SessionChannel;
  platform?: string;
  userAgent?: string;
  ip?: string;
  now: Date;
  expiresAt: Date;
}

/** A login's session row: values (user, dialect, platform, agent, ip, now, expiry). Also run by the bench's stand-in. */
export const INSERT_SESSION = {
  name: 'concord_insert_session',
  text: `INSERT INTO sessions (user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
} as const;

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A single INSERT: outside a transaction (`em` = the data source's manager) it needs no BEGIN/COMMIT. */
  async insert(em: EntityManager, session: NewSession): Promise<string> {
    const rows = await hotQuery<{ id: string }>(em, {
      ...INSERT_SESSION,
      values: [
        session.userId,
        session.dialect,
        session.platform ?? null,
        session.userAgent ?? null,
        session.ip ?? null,
        session.now,
        session.expiresAt,
      ],
    });
    return rows[0].id;
  }

  /**
   * The hot path of every authenticated request: one indexed lookup that also returns the caller's user row, so
   * a route about the caller needs no second query. No ORM hydration.
   */
  async findLive(sessionId: string): Promise<LiveSessionRow | undefined> {
    const { rows } = await pgPool(this.dataSource).query<LiveSessionSqlRow>({
      name: 'concord_live_session',
      text: `SELECT s.id AS "sessionId", s.dialect AS "channel", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
                    s.created_at AS "createdAt", ${USER_COLUMNS}
               FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE s.id = $1 AND s.revoked_at IS NULL`,
      values: [sessionId],
    });
    const row = rows[0];
    if (!row) return undefined;
    const { sessionId: id, channel, lastSeenAt, expiresAt, createdAt } = row;
    return { sessionId: id, channel, lastSeenAt, expiresAt, createdAt, user: userFromRow(row) };
  }

  async touch(sessionId: string, now: Date, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, now, expiresAt],
    );
  }

  async revoke(em: EntityManager, sessionId: string, reason: RevokeReason, now: Date): Promise<boolean> {
    const result = await em.query<[unknown[], number]>(
      `UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, now, reason],
    );
    return result[1] > 0;
  }

  /** Ends every live session of a user but `keepSessionId` (the one that changed the password). */
  async revokeAllForUser(
    em: EntityManager,
    userId: string,
    reason: RevokeReason,
    now: Date,
    keepSessionId?: string,
  ): Promise<void> {
    await em.query(
      `UPDATE sessions SET revoked_at = $2, revoke_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND ($4::bigint IS NULL OR id <> $4::bigint)`,
      [userId, now, reason, keepSessionId ?? null],
    );
  }
}

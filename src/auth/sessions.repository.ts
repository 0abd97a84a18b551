import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevokeReason, SessionChannel } from '#src/auth/session.entity.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';
import { HotStatements } from '#src/database/hot-statements.js';

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

const INSERT_SESSION = `INSERT INTO sessions (user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
   VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`;

/**
 * Live sessions and their users, by id: one statement whatever the batch size. Exported for the suite that watches
 * the session check's batches.
 */
export const SELECT_LIVE_SESSIONS = {
  name: 'concord_live_sessions',
  text: `SELECT s.id AS "sessionId", s.dialect AS "channel", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
                s.created_at AS "createdAt", ${USER_COLUMNS}
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = ANY($1::bigint[]) AND s.revoked_at IS NULL`,
} as const;

/**
 * Two session queries in flight per process: with TypeORM's pool (10 connections by default) the others stay free
 * for the routes' own queries, and under load each query carries the checks that arrived while the last one ran.
 */
const LIVE_SESSION_BATCHING = { maxInFlight: 2, maxBatch: 64 };

@Injectable()
export class SessionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hot: HotStatements,
  ) {}

  async insert(em: EntityManager, s: NewSession): Promise<string> {
    const rows = await em.query<Array<{ id: string }>>(INSERT_SESSION, [
      s.userId,
      s.dialect,
      s.platform ?? null,
      s.userAgent ?? null,
      s.ip ?? null,
      s.now,
      s.expiresAt,
    ]);
    return rows[0].id;
  }

  /**
   * The hot path of every authenticated request: one indexed lookup that also returns the caller's user row, so
   * a route about the caller needs no second query. No ORM hydration. Concurrent checks share a query when the
   * process already has some in flight (see BatchWhileBusy), which keeps PostgreSQL's work per request low under load.
   */
  async findLive(sessionId: string): Promise<LiveSessionRow | undefined> {
    // Keys must match the ids PostgreSQL sends back: "007" is session 7.
    return this.liveSessions.load(BigInt(sessionId).toString());
  }

  private readonly liveSessions = new BatchWhileBusy<string, LiveSessionRow>(
    (ids) => this.findLiveByIds(ids),
    LIVE_SESSION_BATCHING,
  );

  private async findLiveByIds(ids: string[]): Promise<Map<string, LiveSessionRow>> {
    const rows = await this.hot.query<LiveSessionSqlRow>(SELECT_LIVE_SESSIONS, [ids]);
    return new Map(
      rows.map((row) => {
        const { sessionId, channel, lastSeenAt, expiresAt, createdAt } = row;
        return [sessionId, { sessionId, channel, lastSeenAt, expiresAt, createdAt, user: userFromRow(row) }];
      }),
    );
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

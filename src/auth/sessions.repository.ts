import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevokeReason, SessionChannel } from '#src/auth/session.entity.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import { hotQuery } from '#src/database/pg-pool.js';
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

/**
 * Live sessions and their users, by id: one statement whatever the batch size, so one plan per connection.
 * Exported for the suite that watches the session check's batches.
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
    const rows = await hotQuery<LiveSessionSqlRow>(this.dataSource.manager, {
      ...SELECT_LIVE_SESSIONS,
      values: [ids],
    });
    const found = new Map<string, LiveSessionRow>();
    for (const row of rows) {
      const { sessionId: id, channel, lastSeenAt, expiresAt, createdAt } = row;
      found.set(id, { sessionId: id, channel, lastSeenAt, expiresAt, createdAt, user: userFromRow(row) });
    }
    return found;
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

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevokeReason, SessionChannel } from '#src/auth/session.entity.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import { hotQuery, hotQueryByKey } from '#src/database/pg-pool.js';
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

/** A session row, alone (inside a transaction): values (user, dialect, platform, agent, ip, now, expiry). */
export const INSERT_SESSION = {
  name: 'concord_insert_session',
  text: `INSERT INTO sessions (user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
} as const;

/**
 * One or many session rows in one statement: values are seven arrays, one per column of INSERT_SESSION, and the
 * answer is each row's id with its 1-based position in the arrays. The ids are drawn in `input` (materialised: it is
 * read twice and calls nextval), so the id a caller gets back is the id its row was inserted with, whatever order
 * PostgreSQL inserts in. Also run by the bench's stand-in.
 */
export const INSERT_SESSIONS = {
  name: 'concord_insert_sessions',
  text: `WITH input AS MATERIALIZED (
           SELECT nextval(pg_get_serial_sequence('sessions', 'id')) AS id, t.*
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                         $7::timestamptz[]) WITH ORDINALITY
                  AS t(user_id, dialect, platform, user_agent, ip, created_at, expires_at, position)
         ), inserted AS (
           INSERT INTO sessions (id, user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
           OVERRIDING SYSTEM VALUE
           SELECT id, user_id, dialect, platform, user_agent, ip, created_at, created_at, expires_at FROM input
         )
         SELECT id, position FROM input`,
} as const;

/** INSERT_SESSION's values for this row. */
export function insertSessionValues(s: NewSession): unknown[] {
  return [s.userId, s.dialect, s.platform ?? null, s.userAgent ?? null, s.ip ?? null, s.now, s.expiresAt];
}

/** INSERT_SESSIONS' values for these rows, in order: INSERT_SESSION's, one array per column. */
export function insertSessionsValues(sessions: readonly NewSession[]): unknown[] {
  const rows = sessions.map(insertSessionValues);
  return rows[0]?.map((_, column) => rows.map((row) => row[column])) ?? [];
}

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

/** One session INSERT in flight per process; the sign-ins finishing meanwhile share the next. */
const SESSION_INSERT_BATCHING = { maxInFlight: 1, maxBatch: 64 };

type InsertedSession = { id: string } | { error: Error };

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inside a transaction, a single INSERT on its connection. Outside one (`em` = the data source's manager) no
   * BEGIN/COMMIT is needed, and sign-ins that open their sessions together (a group let out of HashAdmission) share
   * one statement.
   */
  async insert(em: EntityManager, session: NewSession): Promise<string> {
    if (em.queryRunner) return this.insertOne(em, session);
    const inserted = await this.newSessions.load(session);
    if (!inserted) throw new Error('session not inserted');
    if ('error' in inserted) throw inserted.error;
    return inserted.id;
  }

  private async insertOne(em: EntityManager, session: NewSession): Promise<string> {
    const rows = await hotQuery<{ id: string }>(em, {
      ...INSERT_SESSION,
      values: insertSessionValues(session),
    });
    return rows[0].id;
  }

  // Keyed by the caller's own object: two sign-ins never share a row, however alike.
  private readonly newSessions = new BatchWhileBusy<NewSession, InsertedSession>(
    (sessions) => this.insertMany(sessions),
    SESSION_INSERT_BATCHING,
  );

  /** A lone session (an idle server) takes the plain INSERT; a group takes INSERT_SESSIONS. */
  private async insertMany(sessions: NewSession[]): Promise<Map<NewSession, InsertedSession>> {
    const inserted = new Map<NewSession, InsertedSession>();
    if (sessions.length === 1) {
      inserted.set(sessions[0], { id: await this.insertOne(this.dataSource.manager, sessions[0]) });
      return inserted;
    }
    try {
      const rows = await hotQuery<{ id: string; position: string }>(this.dataSource.manager, {
        ...INSERT_SESSIONS,
        values: insertSessionsValues(sessions),
      });
      for (const row of rows) inserted.set(sessions[Number(row.position) - 1], { id: row.id });
    } catch {
      // One bad row (its user deleted meanwhile, say) must not fail the others: each is tried on its own.
      await Promise.all(
        sessions.map((session) =>
          this.insertOne(this.dataSource.manager, session).then(
            (id) => inserted.set(session, { id }),
            (failure: unknown) =>
              inserted.set(session, {
                error: failure instanceof Error ? failure : new Error(String(failure)),
              }),
          ),
        ),
      );
    }
    return inserted;
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

  private findLiveByIds(ids: string[]): Promise<Map<string, LiveSessionRow>> {
    return hotQueryByKey(this.dataSource, SELECT_LIVE_SESSIONS, ids, (row: LiveSessionSqlRow) => {
      const { sessionId, channel, lastSeenAt, expiresAt, createdAt } = row;
      return [sessionId, { sessionId, channel, lastSeenAt, expiresAt, createdAt, user: userFromRow(row) }];
    });
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

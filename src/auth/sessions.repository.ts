import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SessionEntity, type RevokeReason } from '#src/auth/session.entity.js';
import type { UserStatus } from '#src/users/user.entity.js';
import type { DialectName } from '#src/dialects/dialect.js';

export interface LiveSessionRow {
  sessionId: string;
  userId: string;
  userStatus: UserStatus;
  lastSeenAt: Date;
  expiresAt: Date;
  createdAt: Date;
}

export interface NewSession {
  userId: string;
  dialect: DialectName;
  platform?: string;
  userAgent?: string;
  ip?: string;
  now: Date;
  expiresAt: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, session: NewSession): Promise<SessionEntity> {
    return em.getRepository(SessionEntity).save(
      em.getRepository(SessionEntity).create({
        userId: session.userId,
        dialect: session.dialect,
        platform: session.platform ?? null,
        userAgent: session.userAgent ?? null,
        ip: session.ip ?? null,
        createdAt: session.now,
        lastSeenAt: session.now,
        expiresAt: session.expiresAt,
      }),
    );
  }

  /** The hot path of every authenticated request: one indexed lookup, no ORM hydration. */
  async findLive(sessionId: string): Promise<LiveSessionRow | undefined> {
    const rows = await this.dataSource.query<LiveSessionRow[]>(
      `SELECT s.id AS "sessionId", s.user_id AS "userId", u.status AS "userStatus",
              s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt", s.created_at AS "createdAt"
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL`,
      [sessionId],
    );
    return rows[0];
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

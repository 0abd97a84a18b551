import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevokeReason } from '#src/auth/session.entity.js';
import type { UserStatus } from '#src/users/user.entity.js';

/** Why a family died: a replayed token, its session ended elsewhere, a new sign-in, or the account's own reason. */
export type FamilyRevokeReason =
  'reuse' | 'session_ended' | 'signed_in_again' | 'password_changed' | 'password_reset' | 'banned' | 'logout';

/**
 * Why this area ends a session: auth's reasons, and two of its own stored beside them in `sessions.revoke_reason`.
 * A rotated session was followed by the next one of its family; a replaced one was issued moments before a retry
 * of the same rotation and handed over to it.
 */
export type RefreshSessionRevokeReason = RevokeReason | 'refresh_rotated' | 'refresh_replaced';

export interface LockedFamily {
  id: string;
  userId: string;
  userStatus: UserStatus;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface StoredRefreshToken {
  id: string;
  familyId: string;
  sessionId: string;
  usedAt: Date | null;
  replacedBy: string | null;
  /** When the session issued with this token was revoked, for whatever reason. */
  sessionRevokedAt: Date | null;
}

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertFamily(em: EntityManager, userId: string, now: Date, expiresAt: Date): Promise<string> {
    const rows = await em.query<Array<{ id: string }>>(
      `INSERT INTO refresh_token_families (user_id, created_at, expires_at) VALUES ($1, $2, $3) RETURNING id`,
      [userId, now, expiresAt],
    );
    return rows[0].id;
  }

  async insertToken(
    em: EntityManager,
    token: { familyId: string; hash: Buffer; sessionId: string; now: Date },
  ): Promise<string> {
    const rows = await em.query<Array<{ id: string }>>(
      `INSERT INTO refresh_tokens (family_id, token_hash, session_id, created_at) VALUES ($1, $2, $3, $4)
       RETURNING id`,
      [token.familyId, token.hash, token.sessionId, token.now],
    );
    return rows[0].id;
  }

  async findByHash(em: EntityManager, hash: Buffer): Promise<{ id: string; familyId: string } | undefined> {
    const rows = await em.query<Array<{ id: string; familyId: string }>>(
      `SELECT id, family_id AS "familyId" FROM refresh_tokens WHERE token_hash = $1`,
      [hash],
    );
    return rows[0];
  }

  /**
   * The family, locked until the transaction ends: every rotation, replay check and revocation of a family takes
   * this lock first, so they happen one after the other and each sees what the previous one committed.
   */
  async lockFamily(em: EntityManager, familyId: string): Promise<LockedFamily | undefined> {
    const rows = await em.query<LockedFamily[]>(
      `SELECT f.id, f.user_id AS "userId", u.status AS "userStatus", f.expires_at AS "expiresAt",
              f.revoked_at AS "revokedAt"
         FROM refresh_token_families f JOIN users u ON u.id = f.user_id
        WHERE f.id = $1
          FOR UPDATE OF f`,
      [familyId],
    );
    return rows[0];
  }

  async findToken(em: EntityManager, tokenId: string): Promise<StoredRefreshToken | undefined> {
    const rows = await em.query<StoredRefreshToken[]>(
      `SELECT t.id, t.family_id AS "familyId", t.session_id AS "sessionId", t.used_at AS "usedAt",
              t.replaced_by AS "replacedBy", s.revoked_at AS "sessionRevokedAt"
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.id = $1`,
      [tokenId],
    );
    return rows[0];
  }

  /** The token was spent: by a rotation (`replacedBy` is what it rotated into) or by being handed over. */
  async markUsed(em: EntityManager, tokenId: string, now: Date, replacedBy: string | null): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET used_at = $2, replaced_by = $3 WHERE id = $1`, [
      tokenId,
      now,
      replacedBy,
    ]);
  }

  async setReplacedBy(em: EntityManager, tokenId: string, replacedBy: string): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET replaced_by = $2 WHERE id = $1`, [tokenId, replacedBy]);
  }

  async revokeSession(
    em: EntityManager,
    sessionId: string,
    reason: RefreshSessionRevokeReason,
    now: Date,
  ): Promise<void> {
    await em.query(
      `UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, now, reason],
    );
  }

  /** The family and every session it issued, the newest included. */
  async revokeFamily(
    em: EntityManager,
    familyId: string,
    reason: FamilyRevokeReason,
    sessionReason: RefreshSessionRevokeReason,
    now: Date,
  ): Promise<void> {
    await em.query(
      `UPDATE refresh_token_families SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [familyId, now, reason],
    );
    await em.query(
      `UPDATE sessions SET revoked_at = $2, revoke_reason = $3
        WHERE id IN (SELECT session_id FROM refresh_tokens WHERE family_id = $1) AND revoked_at IS NULL`,
      [familyId, now, sessionReason],
    );
  }

  /** The live families that issued this session, locked (a sign-in that replaces it ends them). */
  async lockFamiliesOfSession(em: EntityManager, sessionId: string): Promise<string[]> {
    const rows = await em.query<Array<{ id: string }>>(
      `SELECT f.id FROM refresh_token_families f
        WHERE f.revoked_at IS NULL AND f.id IN (SELECT family_id FROM refresh_tokens WHERE session_id = $1)
        ORDER BY f.id
          FOR UPDATE`,
      [sessionId],
    );
    return rows.map((row) => row.id);
  }

  /** Every live family of a user, locked in id order (two revocations never wait on each other crosswise). */
  async lockFamiliesOfUser(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await em.query<Array<{ id: string }>>(
      `SELECT id FROM refresh_token_families WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id FOR UPDATE`,
      [userId],
    );
    return rows.map((row) => row.id);
  }

  /** The session's owner, for a check that a token names a session of the user who presents it. */
  async sessionOwner(em: EntityManager, sessionId: string): Promise<string | undefined> {
    const rows = await em.query<Array<{ userId: string }>>(
      `SELECT user_id AS "userId" FROM sessions WHERE id = $1`,
      [sessionId],
    );
    return rows[0]?.userId;
  }

  /** Families dead for long enough that nobody needs their tokens to recognise a replay. */
  async deleteFamiliesExpiredBefore(before: Date): Promise<number> {
    const result = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM refresh_token_families WHERE expires_at < $1`,
      [before],
    );
    return result[1];
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { SnsIdentityEntity, type SnsIdentityProvider } from '#src/sns/sns-identity.entity.js';
import { SnsPendingSignupEntity } from '#src/sns/sns-pending-signup.entity.js';
import type { SnsIdentity, SnsProviderName } from '#src/sns/sns-provider.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

export interface BoundAccount {
  identityId: string;
  subject: string;
  user: UserEntity;
}

/** The ways an account can sign in, as unbinding must count them. */
export interface SignInMethods {
  /** A password and an email or phone to give with it. */
  password: boolean;
  /** nuzzle's Facebook login (users.facebook_id). */
  facebook: boolean;
  providers: SnsIdentityProvider[];
}

export interface NewPendingSignup {
  browserSession: string;
  identity: SnsIdentity;
  now: Date;
  expiresAt: Date;
}

@Injectable()
export class SnsIdentitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The open account bound to one of these subjects of the provider, the first subject found winning. Identities
   * of closed accounts do not count: the person is new again.
   */
  async findAccount(
    provider: SnsProviderName,
    subjects: readonly string[],
  ): Promise<BoundAccount | undefined> {
    const rows = await this.dataSource.query<Array<UserSqlColumns & { identityId: string; subject: string }>>(
      `SELECT ${USER_COLUMNS}, s.id AS "identityId", s.subject
         FROM sns_identities s JOIN users u ON u.id = s.user_id
        WHERE s.provider = $1 AND s.subject = ANY($2::text[]) AND u.status <> 'closed'
        ORDER BY array_position($2::text[], s.subject)
        LIMIT 1`,
      [provider, subjects],
    );
    return (
      rows[0] && { identityId: rows[0].identityId, subject: rows[0].subject, user: userFromRow(rows[0]) }
    );
  }

  /** Re-keys a binding found by a former subject (WeChat openid → unionid). */
  async moveSubject(identityId: string, subject: string): Promise<void> {
    try {
      await this.dataSource.query(`UPDATE sns_identities SET subject = $2 WHERE id = $1`, [
        identityId,
        subject,
      ]);
    } catch (error) {
      // Another binding already holds the new subject: keep finding this one by its former subject.
      if (!isUniqueViolation(error, 'sns_identities_subject_key')) throw error;
    }
  }

  listForUser(userId: string): Promise<SnsIdentityEntity[]> {
    return this.dataSource
      .getRepository(SnsIdentityEntity)
      .find({ where: { userId }, order: { provider: 'ASC' } });
  }

  /**
   * Binds an identity. ACCOUNT_EXISTS when the identity is bound to another open account, CONFLICT (detail
   * `reason: 'provider-already-bound'`) when this account already has another identity of the provider. Binding
   * the same identity to the same account again changes nothing.
   */
  async insert(em: EntityManager, userId: string, identity: SnsIdentity, now: Date): Promise<void> {
    const subjects = [identity.subject, ...identity.formerSubjects];
    // Bindings left by closed accounts must not keep the person out.
    await em.query(
      `DELETE FROM sns_identities s USING users u
        WHERE u.id = s.user_id AND u.status = 'closed' AND s.provider = $1 AND s.subject = ANY($2::text[])`,
      [identity.provider, subjects],
    );
    const existing = await em.query<Array<{ userId: string; subject: string }>>(
      `SELECT user_id AS "userId", subject FROM sns_identities
        WHERE provider = $1 AND (subject = ANY($2::text[]) OR user_id = $3)`,
      [identity.provider, subjects, userId],
    );
    if (existing.some((row) => row.userId !== userId)) throw new DomainError('ACCOUNT_EXISTS');
    if (existing.some((row) => subjects.includes(row.subject))) return;
    if (existing.length > 0) {
      throw new DomainError('CONFLICT', 'another identity of this provider is bound', {
        reason: 'provider-already-bound',
      });
    }
    try {
      await em.query(
        `INSERT INTO sns_identities (user_id, provider, subject, nickname, avatar_url, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [userId, identity.provider, identity.subject, identity.nickname, identity.avatarUrl, now],
      );
    } catch (error) {
      // A concurrent bind won the race (the failed statement ends the caller's transaction: it is over anyway).
      if (isUniqueViolation(error, 'sns_identities_subject_key')) throw new DomainError('ACCOUNT_EXISTS');
      if (isUniqueViolation(error, 'sns_identities_user_provider_key')) {
        throw new DomainError('CONFLICT', 'another identity of this provider is bound', {
          reason: 'provider-already-bound',
        });
      }
      throw error;
    }
  }

  /** Locks the account's row for the rest of the transaction (unbinds of one account go one at a time). */
  async lockUser(em: EntityManager, userId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `SELECT id FROM users WHERE id = $1 AND status <> 'closed' FOR UPDATE`,
      [userId],
    );
    return rows.length > 0;
  }

  async signInMethods(em: EntityManager, userId: string): Promise<SignInMethods> {
    const rows = await em.query<
      Array<{ password: boolean; facebook: boolean; providers: SnsIdentityProvider[] }>
    >(
      `SELECT (c.user_id IS NOT NULL AND (u.email IS NOT NULL OR u.phone IS NOT NULL)) AS password,
              (u.facebook_id IS NOT NULL) AS facebook,
              ARRAY(SELECT provider FROM sns_identities WHERE user_id = u.id ORDER BY provider) AS providers
         FROM users u LEFT JOIN user_credentials c ON c.user_id = u.id
        WHERE u.id = $1`,
      [userId],
    );
    return rows[0] ?? { password: false, facebook: false, providers: [] };
  }

  async deleteForUser(em: EntityManager, userId: string, provider: SnsIdentityProvider): Promise<boolean> {
    const [, affected] = await em.query<[unknown[], number]>(
      `DELETE FROM sns_identities WHERE user_id = $1 AND provider = $2`,
      [userId, provider],
    );
    return affected > 0;
  }

  async createPendingSignup(pending: NewPendingSignup): Promise<SnsPendingSignupEntity> {
    const { identity } = pending;
    // Expired records are of no use to anyone: each new one clears a few.
    await this.dataSource.query(
      `DELETE FROM sns_pending_signups WHERE id IN (
         SELECT id FROM sns_pending_signups WHERE expires_at < $1 ORDER BY expires_at LIMIT 100)`,
      [pending.now],
    );
    const repo = this.dataSource.getRepository(SnsPendingSignupEntity);
    return repo.save(
      repo.create({
        browserSession: pending.browserSession,
        provider: identity.provider,
        subject: identity.subject,
        nickname: identity.nickname,
        avatarUrl: identity.avatarUrl,
        createdAt: pending.now,
        expiresAt: pending.expiresAt,
        usedAt: null,
      }),
    );
  }

  /** The newest unused, unexpired record of this browser session for this subject. */
  async findPendingSignup(
    browserSession: string,
    subject: string,
    now: Date,
  ): Promise<SnsPendingSignupEntity | null> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM sns_pending_signups
        WHERE browser_session = $1 AND subject = $2 AND used_at IS NULL AND expires_at > $3
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [browserSession, subject, now],
    );
    if (rows.length === 0) return null;
    return this.dataSource.getRepository(SnsPendingSignupEntity).findOneBy({ id: rows[0].id });
  }

  /** Marks a record used; false when another request used it first. */
  async usePendingSignup(em: EntityManager, id: string, now: Date): Promise<boolean> {
    const [, affected] = await em.query<[unknown[], number]>(
      `UPDATE sns_pending_signups SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2`,
      [id, now],
    );
    return affected > 0;
  }

  /** The account of a completed sign-up: user, optional password credential; ACCOUNT_EXISTS for a taken email. */
  async createUser(
    em: EntityManager,
    input: { email: string | null; nickname: string; passwordHash: string | null; now: Date },
  ): Promise<UserEntity> {
    try {
      const rows = await em.query<UserSqlColumns[]>(
        `WITH u AS (
           INSERT INTO users (email, nickname, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING *
         ), credential AS (
           INSERT INTO user_credentials (user_id, password_hash, updated_at) SELECT id, $4, $3 FROM u WHERE $4::text IS NOT NULL
         )
         SELECT ${USER_COLUMNS} FROM u`,
        [input.email, input.nickname, input.now, input.passwordHash],
      );
      return userFromRow(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }
}

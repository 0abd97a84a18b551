import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DialectName } from '#src/dialects/dialect.js';

export type RevokeReason =
  'logout' | 'password_changed' | 'password_reset' | 'banned' | 'refresh_reuse' | 'admin_revoked';

/**
 * Where a session was opened: a dialect's sign-in, or the operators' sign-in. An operator's session is good only
 * on `/admin`, and an app's session never there, so a token stolen from a phone cannot reach the review tools.
 */
export type SessionChannel = DialectName | 'admin';

/**
 * A signed-in device. Access tokens carry its id and every authenticated request checks it is live, so logout,
 * a password change or a ban takes effect at once on every server.
 */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ type: 'text' })
  dialect: SessionChannel;

  @Column({ type: 'text', nullable: true })
  platform: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  /** Slides forward with use, never past `created_at + SESSION_MAX_AGE`. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoke_reason', type: 'text', nullable: true })
  revokeReason: RevokeReason | null;
}

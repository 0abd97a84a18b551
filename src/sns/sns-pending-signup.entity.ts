import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SnsProviderName } from '#src/sns/sns-provider.js';

/**
 * Someone a provider vouched for who has no account yet, waiting on moretv's fill-userinfo page. Bound to the
 * browser session (a digest of it) that signed in, so the page's `openid` parameter alone is worth nothing.
 */
@Entity({ name: 'sns_pending_signups' })
export class SnsPendingSignupEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'browser_session', type: 'text' })
  browserSession: string;

  @Column({ type: 'text' })
  provider: SnsProviderName;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text', default: '' })
  nickname: string;

  @Column({ name: 'avatar_url', type: 'text', default: '' })
  avatarUrl: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** `fb` is reserved for Facebook identities (nuzzle), which the integrator may keep here too. */
export type SnsIdentityProvider = 'qq' | 'wb' | 'db' | 'wx' | 'fb';

/** An external identity bound to an account: unique per (provider, subject) and per (user, provider). */
@Entity({ name: 'sns_identities' })
export class SnsIdentityEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ type: 'text' })
  provider: SnsIdentityProvider;

  /** See SnsIdentity.subject for which id each provider contributes. */
  @Column({ type: 'text' })
  subject: string;

  /** The provider's nickname and avatar when bound, for the account page; never the account's own. */
  @Column({ type: 'text', default: '' })
  nickname: string;

  @Column({ name: 'avatar_url', type: 'text', default: '' })
  avatarUrl: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type UserStatus = 'active' | 'banned' | 'closed';
export type UserType = 'nobody' | 'star';
/** `admin` may sign in to the operators' API (`/admin`); granted only by the CLI or another admin. */
export type UserRole = 'user' | 'admin';

/** One person, whichever client they registered through. Ids are bigint, kept as decimal strings in JS. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** Lower-cased; unique among accounts that are not closed. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164; unique among accounts that are not closed. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', default: '' })
  nickname: string;

  @Column({ name: 'avatar_url', type: 'text', default: '' })
  avatarUrl: string;

  @Column({ type: 'text', default: '' })
  signature: string;

  @Column({ type: 'smallint', nullable: true })
  gender: number | null;

  @Column({ type: 'text', default: 'active' })
  status: UserStatus;

  @Column({ type: 'text', default: 'nobody' })
  type: UserType;

  @Column({ type: 'text', default: 'user' })
  role: UserRole;

  @Column({ name: 'reg_done', type: 'boolean', default: false })
  regDone: boolean;

  @Column({ name: 'facebook_id', type: 'text', nullable: true })
  facebookId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

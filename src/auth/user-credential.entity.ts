import { Column, Entity, PrimaryColumn } from 'typeorm';

/** argon2id over the md5 hex digest of the password, so every dialect verifies the same credential. */
@Entity({ name: 'user_credentials' })
export class UserCredentialEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set after too many failed sign-ins across all clients; cleared by a password reset or change. */
  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt: Date | null;
}

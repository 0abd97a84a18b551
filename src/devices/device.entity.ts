import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A push registration. A token belongs to the account that signed in on it last. */
@Entity({ name: 'devices' })
export class DeviceEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  /** Who delivers to this token: `nuzzle` (APNs/FCM token), `jpush` (xiaoma's RegistrationID), … */
  @Column({ name: 'push_provider', type: 'text' })
  pushProvider: string;

  @Column({ name: 'push_token', type: 'text' })
  pushToken: string;

  @Column({ type: 'text', nullable: true })
  platform: string | null;

  @Column({ name: 'session_id', type: 'bigint', nullable: true })
  sessionId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

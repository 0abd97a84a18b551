import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeviceType } from '#src/devices/device-type.js';

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

  /** nggirl's `deviceType`: `android` or `ios`. */
  @Column({ name: 'device_type', type: 'text', nullable: true })
  deviceType: DeviceType | null;

  /** Baidu push addresses a device by two ids: its channel (the push token) and this user id of the app's install. */
  @Column({ name: 'push_user_id', type: 'text', nullable: true })
  pushUserId: string | null;

  @Column({ name: 'session_id', type: 'bigint', nullable: true })
  sessionId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

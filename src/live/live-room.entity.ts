import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `open`: opened, nobody publishing yet; `live`: the owner is publishing; `ended`: publishing stopped, the room
 * stays open (a dropped connection may publish again with the same key); `closed`: left or expired, for good.
 */
export type LiveRoomStatus = 'open' | 'live' | 'ended' | 'closed';
export type LiveRoomCloseReason = 'left' | 'expired';

/** A user's live room: one stream at the provider, under a key used by no other room. */
@Entity({ name: 'live_rooms' })
export class LiveRoomEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ type: 'text' })
  provider: 'local' | 'pili';

  /** Pili's hub or nginx's RTMP application, as it was when the room opened. */
  @Column({ type: 'text' })
  hub: string;

  /** The stream's name at the provider: the stream object's `title`, in every publish and play URL. */
  @Column({ name: 'stream_key', type: 'text' })
  streamKey: string;

  /** The room's publish secret (local provider, `?key=`); empty where the provider signs publish URLs. */
  @Column({ name: 'publish_key', type: 'text' })
  publishKey: string;

  /** What the owner called the room (mrpyq's `title` parameter). */
  @Column({ type: 'text', default: '' })
  title: string;

  @Column({ type: 'text', default: 'open' })
  status: LiveRoomStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Publishing may not start after this; reopening the room moves it forward. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'live_since', type: 'timestamptz', nullable: true })
  liveSince: Date | null;

  /** The media server's last word that publishing goes on (nginx's on_update); null where none is sent (SRS). */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason: LiveRoomCloseReason | null;
}

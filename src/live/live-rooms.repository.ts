import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import type { LiveRoomCloseReason, LiveRoomEntity } from '#src/live/live-room.entity.js';

const COLUMNS = `id, user_id AS "userId", provider, hub, stream_key AS "streamKey", publish_key AS "publishKey", title,
  status, created_at AS "createdAt", updated_at AS "updatedAt", expires_at AS "expiresAt", live_since AS "liveSince",
  heartbeat_at AS "heartbeatAt", ended_at AS "endedAt", closed_at AS "closedAt", close_reason AS "closeReason"`;

export interface NewLiveRoom {
  userId: string;
  provider: LiveRoomEntity['provider'];
  hub: string;
  streamKey: string;
  publishKey: string;
  title: string;
  now: Date;
  expiresAt: Date;
}

/**
 * The live rooms. Each state change is one conditional UPDATE … RETURNING, so two requests racing on one room (an
 * open and a leave, a publish and a publish_done) each see what the other left, never a half of it.
 */
@Injectable()
export class LiveRoomsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rows of a SELECT or INSERT … RETURNING. */
  private rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query<T[]>(sql, params);
  }

  private async one(sql: string, params: unknown[]): Promise<LiveRoomEntity | undefined> {
    return (await this.rows<LiveRoomEntity>(sql, params))[0];
  }

  /** Rows of an UPDATE … RETURNING, which TypeORM answers with `[rows, affected]`. */
  private async updated<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = await this.dataSource.query<[T[], number]>(sql, params);
    return rows;
  }

  /** The user's room that is not closed (expired or not). */
  findOpenByUser(userId: string): Promise<LiveRoomEntity | undefined> {
    if (!isBigintId(userId)) return Promise.resolve(undefined);
    return this.one(`SELECT ${COLUMNS} FROM live_rooms WHERE user_id = $1 AND status <> 'closed'`, [userId]);
  }

  /** The rooms of these users that are not closed; the friends list reads which of them are live. */
  async findOpenByUsers(userIds: readonly string[]): Promise<LiveRoomEntity[]> {
    const ids = [...new Set(userIds.filter(isBigintId))];
    if (ids.length === 0) return [];
    return this.rows<LiveRoomEntity>(
      `SELECT ${COLUMNS} FROM live_rooms WHERE user_id = ANY($1::bigint[]) AND status <> 'closed'`,
      [ids],
    );
  }

  /** The room publishing under this stream key, unless it is closed. */
  findOpenByStream(
    provider: LiveRoomEntity['provider'],
    hub: string,
    streamKey: string,
  ): Promise<LiveRoomEntity | undefined> {
    return this.one(
      `SELECT ${COLUMNS} FROM live_rooms
        WHERE provider = $1 AND hub = $2 AND stream_key = $3 AND status <> 'closed'`,
      [provider, hub, streamKey],
    );
  }

  /** Opens a room, unless the user already has one that is not closed (then undefined: a concurrent open won). */
  insertOpen(room: NewLiveRoom): Promise<LiveRoomEntity | undefined> {
    return this.one(
      `INSERT INTO live_rooms (user_id, provider, hub, stream_key, publish_key, title, status, created_at, updated_at,
                               expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7, $8)
       ON CONFLICT (user_id) WHERE status <> 'closed' DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        room.userId,
        room.provider,
        room.hub,
        room.streamKey,
        room.publishKey,
        room.title,
        room.now,
        room.expiresAt,
      ],
    );
  }

  /** Reopening: a new expiry, and the new title when one is given. Undefined when the room was closed meanwhile. */
  async reopen(
    roomId: string,
    title: string | undefined,
    expiresAt: Date,
    now: Date,
  ): Promise<LiveRoomEntity | undefined> {
    const rows = await this.updated<LiveRoomEntity>(
      `UPDATE live_rooms SET title = COALESCE($2, title), expires_at = $3, updated_at = $4
        WHERE id = $1 AND status <> 'closed'
        RETURNING ${COLUMNS}`,
      [roomId, title ?? null, expiresAt, now],
    );
    return rows[0];
  }

  /** Closes the room; false when it was already closed. */
  async close(roomId: string, reason: LiveRoomCloseReason, now: Date): Promise<boolean> {
    const rows = await this.updated(
      `UPDATE live_rooms
          SET status = 'closed', closed_at = $3, close_reason = $2, updated_at = $3,
              ended_at = CASE WHEN status = 'live' THEN $3 ELSE ended_at END, live_since = NULL, heartbeat_at = NULL
        WHERE id = $1 AND status <> 'closed'
        RETURNING id`,
      [roomId, reason, now],
    );
    return rows.length > 0;
  }

  /**
   * Publishing started (or goes on): the room is live. `heartbeat`: the media server will keep confirming it
   * (nginx's on_update), so the room stops counting as live when it falls silent. False when the room is closed.
   */
  async markLive(roomId: string, now: Date, heartbeat: boolean): Promise<boolean> {
    const rows = await this.updated(
      `UPDATE live_rooms
          SET status = 'live', live_since = CASE WHEN status = 'live' THEN COALESCE(live_since, $2) ELSE $2 END,
              heartbeat_at = CASE WHEN $3 THEN $2::timestamptz END, updated_at = $2
        WHERE id = $1 AND status <> 'closed'
        RETURNING id`,
      [roomId, now, heartbeat],
    );
    return rows.length > 0;
  }

  /** Publishing stopped: the room stays open, no longer live. */
  async markEnded(roomId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE live_rooms SET status = 'ended', ended_at = $2, live_since = NULL, heartbeat_at = NULL, updated_at = $2
        WHERE id = $1 AND status = 'live'`,
      [roomId, now],
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * mrpyq's live rooms. A room is opened by its owner (live=1), goes live and ends as the media server reports
 * publishing, and is closed by leave=1 or found expired at the next open. At most one room per user is not closed.
 */
export class LiveRooms1764200000000 implements MigrationInterface {
  name = 'LiveRooms1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE live_rooms (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        provider text NOT NULL CHECK (provider IN ('local', 'pili')),
        hub text NOT NULL,
        stream_key text NOT NULL,
        publish_key text NOT NULL,
        title text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'live', 'ended', 'closed')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        live_since timestamptz,
        heartbeat_at timestamptz,
        ended_at timestamptz,
        closed_at timestamptz,
        close_reason text CHECK (close_reason IN ('left', 'expired')),
        CONSTRAINT live_rooms_stream_key UNIQUE (provider, hub, stream_key),
        CONSTRAINT live_rooms_closed CHECK (
          (status = 'closed') = (closed_at IS NOT NULL) AND (closed_at IS NULL) = (close_reason IS NULL)
        )
      )`);
    // One room per user that is not closed: concurrent opens meet here, not in application code. It also serves
    // the friends list's question (which of these users has a room that is live).
    await db.query(
      `CREATE UNIQUE INDEX live_rooms_one_open_per_user ON live_rooms (user_id) WHERE status <> 'closed'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS live_rooms`);
  }
}

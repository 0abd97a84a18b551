import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Friends (src/friends, mrpyq). A request is one row per ordered pair: asking again does not add a second one. It
 * is the message both sides see (the addressee's "pending/accepted", the requester's "waiting/agreed"); each side
 * may hide it from its own list once accepted. A friendship is two rows, one per direction, so a user's friends are
 * one index range.
 */
export class Friends1764702000000 implements MigrationInterface {
  name = 'Friends1764702000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE friend_requests (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        requester_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        addressee_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted')),
        requested_at timestamptz NOT NULL,
        accepted_at timestamptz,
        requester_hidden boolean NOT NULL DEFAULT false,
        addressee_hidden boolean NOT NULL DEFAULT false,
        CONSTRAINT friend_requests_pair UNIQUE (requester_id, addressee_id),
        CONSTRAINT friend_requests_not_self CHECK (requester_id <> addressee_id),
        CONSTRAINT friend_requests_accepted CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
      )`);
    await db.query(
      `CREATE INDEX friend_requests_addressee_idx ON friend_requests (addressee_id, requested_at DESC)`,
    );
    await db.query(`
      CREATE TABLE friendships (
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        friend_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        since timestamptz NOT NULL,
        PRIMARY KEY (user_id, friend_id),
        CONSTRAINT friendships_not_self CHECK (user_id <> friend_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS friendships`);
    await db.query(`DROP TABLE IF EXISTS friend_requests`);
  }
}

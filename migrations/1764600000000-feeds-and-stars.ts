import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nuzzle's content: feeds (pictures and videos, free or paid), reports on them for the operators' queue, and who
 * follows which star.
 *
 * Lists page by keyset (`id < maxId ORDER BY id DESC`), so a deep page costs what the first one does: everyone's
 * newest walk the primary key backwards (deleted and hidden feeds, a small share, are filtered on the way); one
 * author's walk a partial index of their listed feeds. Files are kept as storage keys, not addresses: the address is
 * built when shown (public, or signed and expiring for a paid video).
 */
export class FeedsAndStars1764600000000 implements MigrationInterface {
  name = 'FeedsAndStars1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE feeds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('pic', 'video')),
        photo_key text NOT NULL,
        -- A paid video's file is moved out of public reach when posted; it is read through signed addresses only.
        video_key text,
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        duration integer NOT NULL DEFAULT 0 CHECK (duration >= 0),
        words text NOT NULL DEFAULT '',
        tag text CHECK (tag IN ('exclusive', 'premiere')),
        free boolean NOT NULL,
        -- Whole coins.
        price bigint NOT NULL DEFAULT 0,
        mute boolean NOT NULL DEFAULT false,
        shooting_time timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        hidden_at timestamptz,
        CONSTRAINT feeds_price_check CHECK ((free AND price = 0) OR (NOT free AND price > 0)),
        CONSTRAINT feeds_paid_is_video_check CHECK (free OR type = 'video'),
        CONSTRAINT feeds_video_key_check CHECK ((type = 'video') = (video_key IS NOT NULL))
      )`);
    // One feed per video file: posting it paid moves the file, which would break another feed showing it.
    await db.query(
      `CREATE UNIQUE INDEX feeds_video_key_key ON feeds (video_key) WHERE video_key IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX feeds_author_listed_idx ON feeds (author_id, id DESC)
        WHERE deleted_at IS NULL AND hidden_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX feeds_author_tagged_idx ON feeds (author_id, id DESC)
        WHERE deleted_at IS NULL AND hidden_at IS NULL AND tag IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE feed_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        feed_id bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        reporter_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        report_type text NOT NULL CHECK (report_type IN
          ('adOrPornographic', 'violenceOrIllegal', 'fraud', 'copyright', 'threats', 'other')),
        reason text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by bigint REFERENCES users (id),
        decision_note text
      )`);
    // One open report per person and feed; once decided, the same person may report it again.
    await db.query(
      `CREATE UNIQUE INDEX feed_reports_open_key ON feed_reports (feed_id, reporter_id) WHERE status = 'open'`,
    );
    await db.query(`CREATE INDEX feed_reports_open_idx ON feed_reports (id) WHERE status = 'open'`);
    await db.query(`CREATE INDEX feed_reports_feed_idx ON feed_reports (feed_id, id DESC)`);

    await db.query(`
      CREATE TABLE star_follows (
        follower_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        star_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, star_id)
      )`);
    await db.query(`CREATE INDEX star_follows_star_idx ON star_follows (star_id)`);
    // Kept with each follow and unfollow, so fansCount is one row read, not a count over every fan.
    await db.query(`
      CREATE TABLE star_fan_counts (
        star_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        fans bigint NOT NULL DEFAULT 0 CHECK (fans >= 0)
      )`);
    await db.query(
      `CREATE INDEX users_stars_idx ON users (id DESC) WHERE type = 'star' AND status <> 'closed'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS users_stars_idx`);
    for (const table of ['star_fan_counts', 'star_follows', 'feed_reports', 'feeds']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

-- Seeds feeds fast for the feed-list bench scenario and the scale test: one INSERT … SELECT over generate_series,
-- no round trip per row. 1,000,000 feeds take about half a minute on a small machine (the four feed indexes are
-- the cost). Usage, after migrations:
--   psql "$DATABASE_URL" -f bench/seed-feeds.sql -c "SELECT concord_seed_feeds(1000000, 1000)"
-- Authors are new star accounts without a password (no sign-in); every third feed is a video, every sixth a paid
-- one (10 coins), some are premieres or exclusives, and ids rise with time as the app's own feeds do. Files are
-- keys under each author's upload folder that exist nowhere: lists never read them.
CREATE OR REPLACE FUNCTION concord_seed_feeds(feed_count integer, author_count integer DEFAULT 1000)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  authors bigint[];
  run text := to_char(clock_timestamp(), 'YYYYMMDDHH24MISSUS');
BEGIN
  WITH made AS (
    INSERT INTO users (email, nickname, type, reg_done, created_at, updated_at)
    SELECT 'seed-' || run || '-' || g || '@seed.invalid', 'Seed ' || g, 'star', true, now(), now()
      FROM generate_series(1, author_count) AS g
    RETURNING id)
  SELECT array_agg(id ORDER BY id) INTO authors FROM made;

  INSERT INTO feeds (author_id, type, photo_key, video_key, width, height, duration, words, tag, free, price,
                     created_at)
  SELECT a.id,
         CASE WHEN g % 3 = 0 THEN 'video' ELSE 'pic' END,
         'u/' || a.id || '/seed-' || run || '-' || g || '.jpg',
         CASE WHEN g % 3 = 0 THEN 'u/' || a.id || '/seed-' || run || '-' || g || '.mp4' END,
         320, 240,
         CASE WHEN g % 3 = 0 THEN 30 ELSE 0 END,
         'seeded feed ' || g,
         CASE WHEN g % 7 = 0 THEN 'premiere' WHEN g % 11 = 0 THEN 'exclusive' END,
         g % 6 <> 0,
         CASE WHEN g % 6 = 0 THEN 10 ELSE 0 END,
         now() - (feed_count - g) * interval '1 second'
    FROM generate_series(1, feed_count) AS g
    CROSS JOIN LATERAL (SELECT authors[1 + g % author_count] AS id) AS a
   ORDER BY g;

  ANALYZE users;
  ANALYZE feeds;
  RETURN feed_count;
END $$;

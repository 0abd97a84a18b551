import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nggirl's artist profile (`uploadUserInfo/1.3.0`): what it keeps beyond the shared `users` columns (nickname,
 * gender, avatar) — the real name and the GB/T 2260 city and area — and its ID card claims. An ID card claim is one
 * more kind of identity check waiting for an operator: the number (masked and as an HMAC, as real-name claims keep
 * it) with the photos of both sides, which leave public storage when submitted (`picture_key` the front,
 * `picture_back_key` the back).
 */
export class ArtistProfiles1764900000000 implements MigrationInterface {
  name = 'ArtistProfiles1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE artist_profiles (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        real_name text NOT NULL,
        city_id text NOT NULL CHECK (city_id ~ '^[0-9]{6}$'),
        area_id text NOT NULL CHECK (area_id ~ '^[0-9]{6}$'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE identity_verifications DROP CONSTRAINT identity_verifications_kind_check`);
    await db.query(`ALTER TABLE identity_verifications ADD CONSTRAINT identity_verifications_kind_check
                      CHECK (kind IN ('real_name', 'qualification', 'id_card'))`);
    await db.query(`ALTER TABLE identity_verifications ADD COLUMN picture_back_url text`);
    await db.query(`ALTER TABLE identity_verifications ADD COLUMN picture_back_key text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM identity_verifications WHERE kind = 'id_card'`);
    await db.query(`ALTER TABLE identity_verifications DROP COLUMN IF EXISTS picture_back_key`);
    await db.query(`ALTER TABLE identity_verifications DROP COLUMN IF EXISTS picture_back_url`);
    await db.query(`ALTER TABLE identity_verifications DROP CONSTRAINT identity_verifications_kind_check`);
    await db.query(`ALTER TABLE identity_verifications ADD CONSTRAINT identity_verifications_kind_check
                      CHECK (kind IN ('real_name', 'qualification'))`);
    await db.query(`DROP TABLE IF EXISTS artist_profiles`);
  }
}

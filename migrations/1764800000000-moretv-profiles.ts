import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What moretv's profile form keeps beyond the shared `users` columns (nickname, gender, signature): the birthday,
 * which no other dialect has.
 */
export class MoretvProfiles1764800000000 implements MigrationInterface {
  name = 'MoretvProfiles1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE moretv_profiles (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        birthday date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS moretv_profiles`);
  }
}

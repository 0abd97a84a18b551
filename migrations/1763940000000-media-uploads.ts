import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who uploaded each stored file. A certificate may only be submitted by the account that uploaded it: submission
 * moves the file out of public reach, and an address is easy to copy from someone else's profile.
 */
export class MediaUploads1763940000000 implements MigrationInterface {
  name = 'MediaUploads1763940000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE media_uploads (
        key text PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS media_uploads`);
  }
}

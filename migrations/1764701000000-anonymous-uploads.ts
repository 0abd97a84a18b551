import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploads made before sign-in (mrpyq's avatar is uploaded before the account exists): a `media_uploads` row with no
 * owner yet. The registration that names it claims it (sets the owner); the sweep deletes what nobody claimed in
 * time, file and row.
 */
export class AnonymousUploads1764701000000 implements MigrationInterface {
  name = 'AnonymousUploads1764701000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE media_uploads ALTER COLUMN user_id DROP NOT NULL`);
    await db.query(
      `CREATE INDEX media_uploads_unclaimed_idx ON media_uploads (created_at) WHERE user_id IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS media_uploads_unclaimed_idx`);
    await db.query(`DELETE FROM media_uploads WHERE user_id IS NULL`);
    await db.query(`ALTER TABLE media_uploads ALTER COLUMN user_id SET NOT NULL`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Qualification certificates are identity papers: once submitted, the image leaves the public /media area for
 * private storage, which only operators read (through /admin). `picture_key` names it there.
 */
export class PrivateCertificates1763930000000 implements MigrationInterface {
  name = 'PrivateCertificates1763930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity_verifications ADD COLUMN picture_key text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity_verifications DROP COLUMN IF EXISTS picture_key`);
  }
}

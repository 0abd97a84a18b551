import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gifts an anchor received, newest first (the anchor's income, and a live room's gifts: those received while
 * the room was open), without scanning every posting.
 */
export class GiftReads1764703000000 implements MigrationInterface {
  name = 'GiftReads1764703000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX coin_postings_gift_anchor_idx ON coin_postings ((detail ->> 'anchorId'), id DESC)
         WHERE kind = 'gift'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS coin_postings_gift_anchor_idx`);
  }
}

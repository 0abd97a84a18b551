import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phones that passed a code check and may open an account for a while (mrpyq: the code is checked in one request,
 * the account created in a later one that carries no code). One row per phone; registration deletes it in the
 * transaction that creates the account, so one verification opens at most one account.
 */
export class PhoneVerifications1764700000000 implements MigrationInterface {
  name = 'PhoneVerifications1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE phone_verifications (
        phone text PRIMARY KEY,
        purpose text NOT NULL CHECK (purpose IN ('register')),
        verified_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX phone_verifications_expiry_idx ON phone_verifications (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS phone_verifications`);
  }
}

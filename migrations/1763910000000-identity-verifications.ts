import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Real-name and qualification checks. The identity number is kept only masked (for display) and as an HMAC (to find
 * the same number twice): never in the clear.
 */
export class IdentityVerifications1763910000000 implements MigrationInterface {
  name = 'IdentityVerifications1763910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity_verifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('real_name', 'qualification')),
        status text NOT NULL CHECK (status IN ('verified', 'rejected', 'review')),
        real_name text,
        id_number_masked text,
        id_number_hmac bytea,
        picture_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX identity_verifications_user_idx ON identity_verifications (user_id, kind, created_at DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS identity_verifications`);
  }
}

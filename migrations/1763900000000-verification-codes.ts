import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SMS and email verification codes, stored as an HMAC, scoped to a purpose, single use. */
export class VerificationCodes1763900000000 implements MigrationInterface {
  name = 'VerificationCodes1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE verification_codes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('sms', 'mail')),
        recipient text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('register', 'reset', 'bind', 'change')),
        code_hmac bytea NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX verification_codes_recipient_idx ON verification_codes (recipient, purpose, created_at DESC)`,
    );
    // SMS providers send by template: the outbox keeps the template parameters beside the text.
    await db.query(`ALTER TABLE outbox_messages ADD COLUMN params jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox_messages DROP COLUMN IF EXISTS params`);
    await db.query(`DROP TABLE IF EXISTS verification_codes`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One IM identity per user. The password is AES-256-GCM ciphertext under IM_SECRET_KEY (never plain text); a row
 * without `provisioned_at` was reserved but its creation at the provider is not confirmed yet.
 */
export class ImAccounts1764502000000 implements MigrationInterface {
  name = 'ImAccounts1764502000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE im_accounts (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        provider text NOT NULL,
        account text NOT NULL,
        password_ciphertext bytea NOT NULL,
        created_at timestamptz NOT NULL,
        provisioned_at timestamptz,
        CONSTRAINT im_accounts_account_key UNIQUE (provider, account)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS im_accounts`);
  }
}

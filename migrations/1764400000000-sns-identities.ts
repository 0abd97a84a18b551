import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * External identities bound to accounts (QQ, Weibo, Douban, WeChat; `fb` is reserved for Facebook), and the
 * short-lived "fill userinfo" records of people who signed in with a provider before having an account.
 */
export class SnsIdentities1764400000000 implements MigrationInterface {
  name = 'SnsIdentities1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sns_identities (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        provider text NOT NULL CHECK (provider IN ('qq', 'wb', 'db', 'wx', 'fb')),
        subject text NOT NULL CHECK (subject <> ''),
        nickname text NOT NULL DEFAULT '',
        avatar_url text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sns_identities_subject_key UNIQUE (provider, subject),
        CONSTRAINT sns_identities_user_provider_key UNIQUE (user_id, provider)
      )`);

    await db.query(`
      CREATE TABLE sns_pending_signups (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        browser_session text NOT NULL,
        provider text NOT NULL CHECK (provider IN ('qq', 'wb', 'db', 'wx')),
        subject text NOT NULL CHECK (subject <> ''),
        nickname text NOT NULL DEFAULT '',
        avatar_url text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX sns_pending_signups_lookup_idx ON sns_pending_signups (browser_session, subject, created_at DESC)`,
    );
    await db.query(`CREATE INDEX sns_pending_signups_expiry_idx ON sns_pending_signups (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS sns_pending_signups`);
    await db.query(`DROP TABLE IF EXISTS sns_identities`);
  }
}

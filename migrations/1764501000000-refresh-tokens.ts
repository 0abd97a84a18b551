import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nggirl's refresh tokens. A family starts at sign-in and belongs to one user; each of its tokens was issued with
 * one session (one access token). Tokens are stored as sha256 of the opaque string, used once, and point at the
 * token that replaced them, which is how a retry within seconds is told from a replay.
 */
export class RefreshTokens1764501000000 implements MigrationInterface {
  name = 'RefreshTokens1764501000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE refresh_token_families (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text
      )`);
    await db.query(
      `CREATE INDEX refresh_token_families_user_live_idx ON refresh_token_families (user_id) WHERE revoked_at IS NULL`,
    );
    await db.query(`CREATE INDEX refresh_token_families_expires_idx ON refresh_token_families (expires_at)`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        family_id bigint NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL CONSTRAINT refresh_tokens_hash_key UNIQUE,
        session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        used_at timestamptz,
        replaced_by bigint REFERENCES refresh_tokens (id) ON DELETE SET NULL
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS refresh_tokens`);
    await db.query(`DROP TABLE IF EXISTS refresh_token_families`);
  }
}

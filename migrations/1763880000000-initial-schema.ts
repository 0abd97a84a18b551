import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, credentials, sessions, devices, password reset links and the mail/SMS outbox. PostgreSQL 15+. */
export class InitialSchema1763880000000 implements MigrationInterface {
  name = 'InitialSchema1763880000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text CHECK (email = lower(email)),
        phone text,
        nickname text NOT NULL DEFAULT '',
        avatar_url text NOT NULL DEFAULT '',
        signature text NOT NULL DEFAULT '',
        gender smallint,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned', 'closed')),
        type text NOT NULL DEFAULT 'nobody' CHECK (type IN ('nobody', 'star')),
        reg_done boolean NOT NULL DEFAULT false,
        facebook_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Uniqueness ignores closed accounts, so an address can be registered again after its account is closed.
    await db.query(
      `CREATE UNIQUE INDEX users_email_key ON users (email) WHERE status <> 'closed' AND email IS NOT NULL`,
    );
    await db.query(
      `CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE status <> 'closed' AND phone IS NOT NULL`,
    );
    await db.query(
      `CREATE UNIQUE INDEX users_facebook_id_key ON users (facebook_id) WHERE status <> 'closed' AND facebook_id IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE user_credentials (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE sessions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        dialect text NOT NULL,
        platform text,
        user_agent text,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text
      )`);
    await db.query(`CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL`);

    await db.query(`
      CREATE TABLE devices (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        push_provider text NOT NULL,
        push_token text NOT NULL,
        platform text,
        session_id bigint REFERENCES sessions (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT devices_push_key UNIQUE (push_provider, push_token)
      )`);
    await db.query(`CREATE INDEX devices_user_idx ON devices (user_id)`);

    await db.query(`
      CREATE TABLE password_reset_tokens (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL CONSTRAINT password_reset_tokens_hash_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id, created_at DESC)`,
    );

    await db.query(`
      CREATE TABLE outbox_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('mail', 'sms')),
        recipient text NOT NULL,
        subject text,
        body text NOT NULL,
        html text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_messages',
      'password_reset_tokens',
      'devices',
      'sessions',
      'user_credentials',
      'users',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators: an admin role on accounts, who decided each review and why, and an append-only audit log of every
 * operator action (a trigger refuses UPDATE and DELETE, so a compromised admin session cannot rewrite history
 * through the API or a forgotten WHERE).
 */
export class AdminReview1763920000000 implements MigrationInterface {
  name = 'AdminReview1763920000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin'))`,
    );
    await db.query(`ALTER TABLE identity_verifications ADD COLUMN decided_by bigint REFERENCES users (id)`);
    await db.query(`ALTER TABLE identity_verifications ADD COLUMN decision_note text`);
    await db.query(
      `CREATE INDEX identity_verifications_pending_idx ON identity_verifications (id) WHERE status = 'review'`,
    );
    await db.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id bigint REFERENCES users (id),
        actor text NOT NULL,
        action text NOT NULL,
        subject_user_id bigint REFERENCES users (id),
        review_id bigint REFERENCES identity_verifications (id),
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        ip text
      )`);
    await db.query(`CREATE INDEX audit_log_subject_idx ON audit_log (subject_user_id, id DESC)`);
    await db.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS audit_log`);
    await db.query(`DROP FUNCTION IF EXISTS audit_log_append_only()`);
    await db.query(`DROP INDEX IF EXISTS identity_verifications_pending_idx`);
    await db.query(`ALTER TABLE identity_verifications DROP COLUMN IF EXISTS decision_note`);
    await db.query(`ALTER TABLE identity_verifications DROP COLUMN IF EXISTS decided_by`);
    await db.query(`ALTER TABLE users DROP COLUMN IF EXISTS role`);
  }
}

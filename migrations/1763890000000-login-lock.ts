import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An account locked by too many failed sign-ins across all clients stays locked until its password is reset. */
export class LoginLock1763890000000 implements MigrationInterface {
  name = 'LoginLock1763890000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_credentials ADD COLUMN locked_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_credentials DROP COLUMN locked_at`);
  }
}

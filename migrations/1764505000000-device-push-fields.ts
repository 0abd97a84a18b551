import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nggirl's push registration (Baidu push): the device's type and the push user id that goes with the channel id
 * (the channel id is the record's push token).
 */
export class DevicePushFields1764505000000 implements MigrationInterface {
  name = 'DevicePushFields1764505000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE devices
        ADD COLUMN device_type text CHECK (device_type IN ('android', 'ios')),
        ADD COLUMN push_user_id text`);
    await db.query(`CREATE INDEX devices_session_idx ON devices (session_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS devices_session_idx`);
    await db.query(
      `ALTER TABLE devices DROP COLUMN IF EXISTS push_user_id, DROP COLUMN IF EXISTS device_type`,
    );
  }
}

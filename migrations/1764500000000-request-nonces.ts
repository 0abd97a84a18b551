import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nggirl request nonces, when no Redis is configured. UNLOGGED: no WAL for a row that lives five minutes, at the
 * price of an empty table after a crash (a replay of a request signed just before the crash would pass). Expired
 * rows are deleted by the servers every minute and taken over by a new claim before that.
 */
export class RequestNonces1764500000000 implements MigrationInterface {
  name = 'RequestNonces1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE request_nonces (
        app_id text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (app_id, nonce)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS request_nonces`);
  }
}

import pg from 'pg';
import { createDataSource } from '#src/database/data-source.js';

/** An arbitrary, fixed key: every Concord instance takes the same lock before migrating. */
const MIGRATION_LOCK_KEY = 7_310_442_615n;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several instances may start at once: the first
 * migrates, the others wait and then find nothing to do. Returns the names of the migrations applied.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url, application_name: 'concord-migrate-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    await lock.end();
  }
}

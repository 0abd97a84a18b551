import pg from 'pg';

/** Set by the global setup for every worker: where to create databases, and the migrated template to clone. */
export const ADMIN_URL_ENV = 'CONCORD_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'CONCORD_TEST_TEMPLATE';
/** Names this run's databases, so a run against a shared server never touches another run's. */
export const RUN_ENV = 'CONCORD_TEST_RUN';
/** Where this run records the documented failures its suites reach. */
export const REACHED_ENV = 'CONCORD_TEST_REACHED_DIR';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Clones the migrated template into a database of the suite's own. PostgreSQL refuses to copy a template that
 * another CREATE DATABASE is copying at the same instant, so parallel suites retry briefly.
 */
export async function createSuiteDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!adminUrl || !template) throw new Error('e2e global setup did not run (no template database)');
  const name = `concord_t_${process.env[RUN_ENV] ?? 'x'}_${Math.random().toString(36).slice(2, 10)}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    url: withDatabase(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// Runs outside Jest's module system (no TypeScript transform), so it uses the build that `pretest` makes.
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { migrateDatabase } from '../../dist/src/database/migrate.js';

export const ADMIN_URL_ENV = 'CONCORD_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'CONCORD_TEST_TEMPLATE';
export const RUN_ENV = 'CONCORD_TEST_RUN';
export const REACHED_ENV = 'CONCORD_TEST_REACHED_DIR';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function adminQuery(adminUrl, sql, params = []) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * One PostgreSQL for the whole run — embedded unless DATABASE_URL names one — and one template migrated with
 * the real migrations, which every suite clones. The run id keeps a shared server's other runs untouched.
 */
export default async function globalSetup() {
  const logger = pino({ level: process.env.TEST_PG_LOG ?? 'warn' });
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'concord-test-pg-'));
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
    await chmod(dataDir, 0o755);
    const handle = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'concord_admin',
      logger,
      // Throwaway data: durability off, enough connections for parallel suites.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    globalThis.__concordEmbeddedPg = { handle, dataDir };
    adminUrl = handle.url;
  }
  const run = Math.random().toString(36).slice(2, 8);
  const template = `concord_template_${run}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  await migrateDatabase(withDatabase(adminUrl, template));
  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
  process.env[RUN_ENV] = run;
  // Where each test process records the documented failures its suites reached (see global-teardown.mjs).
  const reached = await mkdtemp(join(tmpdir(), 'concord-reached-'));
  process.env[REACHED_ENV] = reached;
  globalThis.__concordTemplate = { adminUrl, template, run, reached };
}

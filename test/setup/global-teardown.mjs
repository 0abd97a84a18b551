import { rm } from 'node:fs/promises';
import { adminQuery } from './global-setup.mjs';

export default async function globalTeardown() {
  const template = globalThis.__concordTemplate;
  if (template) {
    // Suites drop their own databases; whatever a crashed suite left behind goes here. Only this run's.
    const { rows } = await adminQuery(
      template.adminUrl,
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`concord\\_t\\_${template.run}\\_%`, template.template],
    );
    for (const { datname } of rows) {
      await adminQuery(template.adminUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
  const embedded = globalThis.__concordEmbeddedPg;
  if (embedded) {
    await embedded.handle.stop();
    await rm(embedded.dataDir, { recursive: true, force: true });
  }
}

import 'reflect-metadata';
import { loadConfig } from '#src/config/app-config.js';
import { readEmbeddedRecord, recordUrl } from '#src/database/embedded-postgres.js';
import { migrateDatabase } from '#src/database/migrate.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate     apply pending migrations (safe while the server runs: advisory lock)
  db-url      print the database URL in use (DATABASE_URL, or the embedded one recorded in DATA_DIR)
`;

/**
 * Operations tools. They find the database through DATABASE_URL or, for the embedded PostgreSQL, through what
 * DATA_DIR records, so they work while the server runs.
 */
function databaseUrl(): string {
  const config = loadConfig(process.env);
  if (config.database.url) return config.database.url;
  const record = readEmbeddedRecord(config.dataDir);
  if (!record) {
    throw new Error(
      `No DATABASE_URL and no embedded PostgreSQL recorded in ${config.dataDir}: start the server once first.`,
    );
  }
  return recordUrl(record);
}

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'migrate': {
      const applied = await migrateDatabase(databaseUrl());
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    }
    case 'db-url':
      process.stdout.write(`${databaseUrl()}\n`);
      return 0;
    default:
      process.stderr.write(USAGE);
      return command === undefined || command === 'help' ? 0 : 64;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

import 'reflect-metadata';
import { userInfo } from 'node:os';
import pg from 'pg';
import {
  AdminAccountError,
  checkAdminPassword,
  createAdmin,
  setAdminRole,
} from '#src/admin/admin-accounts.js';
import { auditCoins, formatCoinsAudit } from '#src/coins/coins-audit.js';
import { loadConfig } from '#src/config/app-config.js';
import { readEmbeddedRecord, recordUrl } from '#src/database/embedded-postgres.js';
import { migrateDatabase } from '#src/database/migrate.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate     apply pending migrations (safe while the server runs: advisory lock)
  db-url      print the database URL in use (DATABASE_URL, or the embedded one recorded in DATA_DIR)
  create-admin <email> [--nickname <name>]
              a new account with the admin role, which signs in at POST /admin/session; the password
              (12-128 characters) is asked for on a terminal, or read from the first line of stdin
  grant-admin <email|phone>
              give an existing account the admin role
  revoke-admin <email|phone>
              take the role away; the account's admin sessions end at once
  audit-coins [--json]
              recompute every cached coin balance from the ledger's entries and check that every posting sums
              to zero; exit status 0 when nothing differs, 2 when something does (read-only)

Each of these works while the server runs; the admin commands are recorded in the audit log.
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

/** Who acted, for the audit log: the CLI has no account, so the operating-system user stands for it. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Typed on a terminal without echo, asked twice; or the first line of piped stdin (scripts, tests). */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  // The terminal stops echoing before the prompt is shown, and stays so until both answers are in: characters typed
  // ahead of a prompt (or between the two) would otherwise be echoed by the line discipline.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      process.stderr.write(prompt);
      stdin.resume();
      let typed = '';
      const onData = (chars: string) => {
        for (const ch of chars) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            stdin.pause();
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new Error('cancelled'));
            return;
          }
          typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
        }
      };
      stdin.on('data', onData);
    });
  try {
    const first = await ask('Password for the new admin: ');
    checkAdminPassword(first);
    if ((await ask('Again: ')) !== first) throw new AdminAccountError('the two passwords differ');
    return first;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

async function withDatabase<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: databaseUrl(), application_name: 'concord-cli' });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, subject] = argv;
  switch (command) {
    case 'migrate': {
      const applied = await migrateDatabase(databaseUrl());
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    }
    case 'db-url':
      process.stdout.write(`${databaseUrl()}\n`);
      return 0;
    case 'create-admin': {
      if (!subject) return usage(64);
      const password = await readPassword();
      const admin = await withDatabase((db) =>
        createAdmin(db, {
          email: subject,
          password,
          nickname: option(argv, '--nickname'),
          actor: cliActor(),
        }),
      );
      process.stdout.write(
        `admin ${admin.email} created (user id ${admin.id}); sign in at POST /admin/session\n`,
      );
      return 0;
    }
    case 'grant-admin':
    case 'revoke-admin': {
      if (!subject) return usage(64);
      const admin = command === 'grant-admin';
      const result = await withDatabase((db) =>
        setAdminRole(db, { account: subject, admin, actor: cliActor() }),
      );
      const state = result.changed
        ? admin
          ? 'is now an admin'
          : 'is no longer an admin'
        : admin
          ? 'was already an admin'
          : 'was not an admin';
      process.stdout.write(`user ${result.id} ${state}\n`);
      return 0;
    }
    case 'audit-coins': {
      // One read-only snapshot, so postings committed while it runs cannot look like differences.
      const report = await withDatabase(async (db) => {
        await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        try {
          return await auditCoins(
            async <R>(sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as R[],
            new Date(),
          );
        } finally {
          await db.query('ROLLBACK');
        }
      });
      process.stdout.write(
        argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatCoinsAudit(report),
      );
      return report.ok ? 0 : 2;
    }
    default:
      return usage(command === undefined || command === 'help' ? 0 : 64);
  }
}

function usage(exitCode: number): number {
  process.stderr.write(USAGE);
  return exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  // 65 (EX_DATAERR): the operator's input was refused; 1: anything else.
  process.exitCode = error instanceof AdminAccountError ? 65 : 1;
}

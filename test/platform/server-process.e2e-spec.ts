import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { md5 } from '#test/helpers/nuzzle.js';
import { freePort } from '#test/helpers/processes.js';

const run = promisify(execFile);

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The built server (`npm test` builds first), as `npm start` runs it: no DATABASE_URL, embedded PostgreSQL. */
const started: Server[] = [];

function startServer(env: Record<string, string>): Server {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server = { child, output: () => output, exited };
  started.push(server);
  return server;
}

async function waitForHealth(port: number, server: Server, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy in time:\n${server.output()}`);
}

async function post(port: number, path: string, body: Record<string, string>): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

/** A running process; a zombie (exited, not yet reaped: PID 1 here may never reap orphans) is not. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const file = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  return Number((await readFile(file, 'utf8')).split('\n')[0]);
}

describe('the server process (npm start)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'concord-start-'));
    await chmod(dataDir, 0o755);
    port = await freePort();
    env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      HOST: '127.0.0.1',
    };
  });

  afterEach(async () => {
    // A failed test must not leave its server running into the next one.
    for (const server of started.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
  });

  afterAll(async () => {
    const pid = await postmasterPid(dataDir);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should start on an embedded PostgreSQL, keep its data across restarts and stop it on SIGTERM', async () => {
    const first = startServer(env);
    await waitForHealth(port, first);

    const record = JSON.parse(await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({ host: '127.0.0.1', port: Number(env.EMBEDDED_PG_PORT), user: 'postgres' });
    expect(String(record.password).length).toBeGreaterThanOrEqual(24);
    // The server reaches its embedded database over a Unix socket beside the cluster, not loopback TCP.
    expect(record.socketDir).toBe(join(dataDir, 'run'));
    expect(existsSync(join(dataDir, 'run', `.s.PGSQL.${env.EMBEDDED_PG_PORT}`))).toBe(true);
    const viaSocket = await run(
      process.execPath,
      [
        '-e',
        `const pg = require('pg'); const c = new pg.Client(process.argv[1]); c.connect()
          .then(() => c.query("SELECT count(*)::int AS n, count(client_addr)::int AS tcp FROM pg_stat_activity WHERE application_name = 'concord'"))
          .then((r) => { console.log(JSON.stringify(r.rows[0])); return c.end(); })`,
        `postgres://postgres:${encodeURIComponent(String(record.password))}@127.0.0.1:${env.EMBEDDED_PG_PORT}/concord`,
      ],
      { env: process.env },
    );
    const connections = JSON.parse(viaSocket.stdout) as { n: number; tcp: number };
    expect(connections.n).toBeGreaterThan(0);
    expect(connections.tcp).toBe(0);
    expect((await stat(join(dataDir, 'embedded-postgres.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);

    const registered = (await post(port, '/passport/email/register', {
      email: 'persist@example.com',
      password: md5('persist'),
      nickname: 'Persist',
    })) as { ret: number; data: { token: string } };
    expect(registered.ret).toBe(200);

    // The CLI finds the running embedded database through what DATA_DIR records.
    const cli = await run(process.execPath, ['dist/src/cli.js', 'migrate'], {
      env: { ...process.env, ...env, DATABASE_URL: '' },
    });
    expect(cli.stdout).toContain('schema is up to date');

    // The first operator is made by the CLI while the server runs, and signs in at once.
    const creating = run(process.execPath, ['dist/src/cli.js', 'create-admin', 'ops@example.com'], {
      env: { ...process.env, ...env, DATABASE_URL: '' },
    });
    creating.child.stdin?.end('a long operator password\n');
    expect((await creating).stdout).toContain('admin ops@example.com created');
    const adminSignIn = await fetch(`http://127.0.0.1:${port}/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'a long operator password' }),
    });
    expect(adminSignIn.status).toBe(201);

    const pgPid = await postmasterPid(dataDir);
    expect(pgPid && alive(pgPid)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(pgPid && alive(pgPid)).toBe(false);
    expect(first.output()).toContain('embedded PostgreSQL stopped');

    // Same DATA_DIR: the same password opens the same cluster, the account and the development secret survive.
    const second = startServer(env);
    await waitForHealth(port, second);
    const profile = await fetch(`http://127.0.0.1:${port}/user/profile`, {
      headers: { authorization: registered.data.token },
    });
    expect(await profile.json()).toMatchObject({ ret: 200, data: { email: 'persist@example.com' } });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('should recover after a crash that left PostgreSQL running and its pid file behind', async () => {
    const crashed = startServer(env);
    await waitForHealth(port, crashed);
    const orphan = await postmasterPid(dataDir);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(orphan && alive(orphan)).toBe(true);

    const restarted = startServer(env);
    await waitForHealth(port, restarted);
    expect(orphan && alive(orphan)).toBe(false);
    const login = (await post(port, '/passport/email/login', {
      email: 'persist@example.com',
      password: md5('persist'),
    })) as { ret: number };
    expect(login.ret).toBe(200);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('should survive a stale pid file whose process is gone', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dataDir, 'pg', 'postmaster.pid'), '999999\n');
    const server = startServer(env);
    await waitForHealth(port, server);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('should serve with WEB_CONCURRENCY workers and stop them all, then the database, on SIGTERM', async () => {
    const server = startServer({ ...env, WEB_CONCURRENCY: '2' });
    await waitForHealth(port, server);
    const workers = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
      .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.js'));
    expect(workers).toHaveLength(2);
    const login = (await post(port, '/passport/email/login', {
      email: 'persist@example.com',
      password: md5('persist'),
    })) as { ret: number };
    expect(login.ret).toBe(200);

    const pgPid = await postmasterPid(dataDir);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    expect(pgPid && alive(pgPid)).toBe(false);
  });

  it('should refuse to start on a bad value, naming the variable', async () => {
    const server = startServer({ ...env, PORT: 'eighty' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('PORT');
    const production = startServer({ ...env, NODE_ENV: 'production' });
    expect(await production.exited).toBe(78);
    expect(production.output()).toContain('JWT_SECRET: is required in production');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { md5, newPhone, NGGIRL_PATH, sign } from '#test/helpers/nggirl.js';
import { createSuiteDatabase } from '#test/setup/test-database.js';
import { freePort } from '#test/helpers/processes.js';

interface Server {
  child: ChildProcess;
  port: number;
  dataDir: string;
  output: () => string;
  exited: Promise<number | null>;
}

const running: Server[] = [];
const cleanups: Array<() => Promise<void>> = [];

/** The built server as `npm start` runs it, on a database of its own (migrated already: start-up migrates nothing). */
async function start(env: Record<string, string>): Promise<Server> {
  const database = await createSuiteDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'concord-nggirl-start-'));
  cleanups.push(
    () => database.drop(),
    () => rm(dataDir, { recursive: true, force: true }),
  );
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server: Server = {
    child,
    port,
    dataDir,
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  running.push(server);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy in time:\n${output}`);
}

async function call(server: Server, route: string, params: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${server.port}${NGGIRL_PATH}/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params as Record<string, string>).toString(),
  });
  return res.json();
}

/** What start-up says about request signing, and that a client signing as documented works against `npm start`. */
describe('nggirl at start-up (the built server)', () => {
  afterEach(async () => {
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('should print the development app and its secret when NGGIRL_APPS is unset, and take requests signed with it', async () => {
    const server = await start({ NODE_ENV: 'development' });
    const printed = /app_id=(\S+)\n\s+secret=(\S+)/.exec(server.output());
    expect(printed?.[1]).toBe('dev');
    const secret = printed![2];
    // Generated once and kept under DATA_DIR, so a developer's client keeps working across restarts.
    expect(readFileSync(join(server.dataDir, 'nggirl-dev-app-secret'), 'utf8').trim()).toBe(secret);
    const phone = newPhone();
    const sent = (await call(server, 'getCode', sign({ phoneNum: phone }, { appId: 'dev', secret }))) as {
      code: number;
      data: { code: string };
    };
    expect(sent).toEqual({ code: 0, data: { code: expect.stringMatching(/^\d{6}$/) } });
    const created = await call(
      server,
      'create',
      sign({ phoneNum: phone, password: md5('pw'), code: sent.data.code }, { appId: 'dev', secret }),
    );
    expect(created).toMatchObject({ code: 0, data: { userId: expect.any(Number) } });
    expect(
      await call(server, 'getCode', sign({ phoneNum: newPhone() }, { appId: 'dev', secret: 'x'.repeat(20) })),
    ).toEqual({
      code: 8,
      data: null,
      message: '请求签名无效：签名错误',
    });
    // Printed once, at start; the request log never carries it.
    expect(server.output().split(secret).length - 1).toBe(1);
  });

  it('should say in production that nggirl is refused when NGGIRL_APPS is unset, and refuse it', async () => {
    const server = await start({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48) });
    expect(server.output()).toContain(
      'nggirl: NGGIRL_APPS is unset in production: every nggirl request is refused (unknown app).',
    );
    expect(
      await call(server, 'getCode', sign({ phoneNum: newPhone() }, { appId: 'dev', secret: 'x'.repeat(20) })),
    ).toEqual({
      code: 8,
      data: null,
      message: '请求签名无效：未知的应用 app_id',
    });
  });

  it('should never print a configured secret, and name an app in its migration period', async () => {
    const secret = 'configured-secret-never-printed-42';
    const server = await start({
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(48),
      NGGIRL_APPS: `prod:${secret},old:${secret}-old:unsigned`,
      IM_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
    });
    const phone = newPhone();
    expect(await call(server, 'getCode', sign({ phoneNum: phone }, { appId: 'prod', secret }))).toEqual({
      code: 0,
      data: {},
    });
    expect(server.output()).toContain(
      'nggirl: unsigned requests are accepted from app(s) old (migration period).',
    );
    expect(server.output()).not.toContain(secret);
  });
});

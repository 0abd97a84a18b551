// The benchmark's machinery, used by bench/run.mjs: /proc readings, the PostgreSQL to run against, the server as a
// child process, and the load generators. Each section starts with a comment saying what it is for.
import { availableParallelism } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';

// ============================================================ helpers and /proc readings

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Progress goes to stderr so that stdout stays the readable report. */
export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Rejects if `promise` has not settled within `ms`: every step of the benchmark is bounded in time. */
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port the kernel just handed out on loopback; closed again before use (a tiny race we accept). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The server's processes: the primary and, with WEB_CONCURRENCY > 1, the worker processes it forked. Every server
 * reading (CPU, RSS) is the sum over these.
 */
export function serverProcesses(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return [pid, ...children.map(Number)];
  } catch {
    return [pid];
  }
}

/** RSS of the server summed over its processes, in KiB. */
export function serverMemoryOf(pid) {
  const parts = serverProcesses(pid).map(memoryOf).filter(Boolean);
  if (parts.length === 0) return undefined;
  return { rssKb: parts.reduce((a, m) => a + m.rssKb, 0), hwmKb: parts.reduce((a, m) => a + m.hwmKb, 0) };
}

/** CPU seconds of the server summed over its processes. */
export function serverCpuSeconds(pid) {
  return serverProcesses(pid).reduce((sum, p) => sum + (cpuOf(p)?.seconds ?? 0), 0);
}

/** VmRSS and VmHWM (peak RSS over the process's life) of a live process, in KiB; undefined once it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used so far (user + system), and what its waited-for children used.
 * The children's share is how the CPU of a finished `wrk` run is measured.
 */
export function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = (i) => Number(fields[i - 3]);
    return {
      seconds: (ticks(14) + ticks(15)) / CLOCK_TICKS,
      childrenSeconds: (ticks(16) + ticks(17)) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a process's main thread (the event loop: JavaScript and its syscalls) and of all its other threads
 * together (the hashing threads, libuv's pool, V8's GC and compiler helpers). Node leaves the threads unnamed, so
 * the main thread, whose id is the pid, is the only one told apart.
 */
export function threadCpuOf(pid) {
  let main = 0;
  let others = 0;
  let found = false;
  // With workers, "main" is the sum of every process's event loop.
  for (const process of serverProcesses(pid)) {
    let entries;
    try {
      entries = readdirSync(`/proc/${process}/task`);
    } catch {
      continue;
    }
    found = true;
    for (const tid of entries) {
      const seconds = cpuOf(`${process}/task/${tid}`)?.seconds ?? 0;
      if (Number(tid) === process) main += seconds;
      else others += seconds;
    }
  }
  return found ? { main, others } : undefined;
}

/** Machine-wide CPU time so far (all cores), in seconds: busy and total. Shows how much else ran during a scenario. */
export function machineCpu() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busySeconds: busy / CLOCK_TICKS, totalSeconds: (busy + idle + iowait) / CLOCK_TICKS };
}

// ============================================================ PostgreSQL

// Chooses the PostgreSQL the benchmark runs against and cleans up after it.
//
//   1. DATABASE_URL, when set, is used as is (nothing is created or dropped there).
//   2. Otherwise the machine's own PostgreSQL on 127.0.0.1:5432 (trust auth), when it answers: a throw-away
//      database `concord_bench_<random>` is created there and dropped at the end.
//   3. Otherwise an embedded PostgreSQL started with the project's own launcher, in a temporary folder.
//
// BENCH_PG=embedded forces the third way (to check that it works on a machine that has a PostgreSQL).

const SYSTEM_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SYSTEM_SOCKET_DIR = '/var/run/postgresql';
const SYSTEM_SOCKET = `${SYSTEM_SOCKET_DIR}/.s.PGSQL.5432`;

/** @returns {{kind: string, url: string, cleanup: () => Promise<void>}} */
export async function provisionDatabase() {
  if (process.env.DATABASE_URL) {
    return { kind: 'DATABASE_URL', url: process.env.DATABASE_URL, cleanup: async () => {} };
  }
  if (process.env.BENCH_PG !== 'embedded' && (await answers(SYSTEM_ADMIN_URL))) return systemDatabase();
  return embeddedDatabase();
}

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminQuery(url, sql) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

async function systemDatabase() {
  const name = `concord_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(SYSTEM_ADMIN_URL, `CREATE DATABASE ${name}`);
  log(`using the PostgreSQL on 127.0.0.1:5432, database ${name}`);
  return {
    kind: 'system 127.0.0.1:5432',
    // The server talks to a PostgreSQL on the same machine over its Unix socket when there is one, as production
    // on one host would: cheaper than loopback TCP for both sides.
    url: existsSync(SYSTEM_SOCKET)
      ? `postgres://postgres@localhost:5432/${name}?host=${encodeURIComponent(SYSTEM_SOCKET_DIR)}`
      : `postgres://postgres@127.0.0.1:5432/${name}`,
    // FORCE: a connection the server failed to close must not keep the throw-away database alive.
    cleanup: () =>
      withTimeout(
        adminQuery(SYSTEM_ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        30_000,
        'DROP DATABASE',
      ),
  };
}

async function embeddedDatabase() {
  // Imported late: only this way needs the build's launcher.
  const { startEmbeddedPostgres } = await import('../dist/src/database/embedded-postgres.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'concord-bench-pg-'));
  // mkdtemp makes the folder 700; as root PostgreSQL runs as the `postgres` user, which must reach the cluster.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  log(`no PostgreSQL on 127.0.0.1:5432: starting an embedded one on port ${port} in ${dataDir}`);
  let handle;
  try {
    handle = await withTimeout(
      startEmbeddedPostgres({ dataDir, port, database: 'concord_bench', logger: pino({ level: 'warn' }) }),
      120_000,
      'embedded PostgreSQL start',
    );
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: `embedded (port ${port})`,
    url: handle.url,
    cleanup: async () => {
      await withTimeout(handle.stop(), 30_000, 'embedded PostgreSQL stop');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The settings that change what a write costs, printed with the results so runs can be compared. */
export async function describeDatabase(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const one = async (sql) => (await client.query(sql)).rows[0];
    const version = (await one('SHOW server_version')).server_version;
    const fsync = (await one('SHOW fsync')).fsync;
    const synchronousCommit = (await one('SHOW synchronous_commit')).synchronous_commit;
    return { version, fsync, synchronousCommit };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A small side connection to the benchmark database: reads a stored password hash for the argon2 bound and finds
 * the server's backend processes so their CPU can be counted.
 */
export async function openProbe(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  return {
    async storedHash(email) {
      const { rows } = await client.query(
        'SELECT c.password_hash FROM user_credentials c JOIN users u ON u.id = c.user_id WHERE u.email = $1',
        [email],
      );
      return rows[0]?.password_hash;
    },
    /** Backends of the benchmark database other than this probe: the server's pool. */
    async backendPids() {
      const { rows } = await client.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return rows.map((r) => r.pid);
    },
    close: () => client.end().catch(() => {}),
  };
}

// ============================================================ the server process

// Runs the built server (dist/src/main.js) as a child process, the way production runs it.

/** The server's worker processes in the benchmark: BENCH_WORKERS, else one per two cores (the README's advice). */
export function benchWorkers() {
  return Number(process.env.BENCH_WORKERS ?? Math.max(1, Math.floor(availableParallelism() / 2)));
}

export class ServerProcess {
  /**
   * @param {object} options
   * @param {string} options.root      the project folder (cwd of the server)
   * @param {number} options.port
   * @param {string} options.databaseUrl
   * @param {string} options.dataDir   local storage of the server (uploads); a temporary folder
   * @param {string} options.logFile   the server's stdout/stderr, kept for a failure report
   * @param {string[]} [options.nodeArgs] extra node flags, e.g. --cpu-prof
   * @param {Record<string, string | undefined>} [options.env] extra environment (a scenario's configuration:
   *   nggirl's apps); a variable set to undefined is removed
   */
  constructor(options) {
    this.options = options;
    this.url = `http://127.0.0.1:${options.port}`;
    this.tail = [];
    this.exited = undefined;
  }

  start() {
    const { root, port, databaseUrl, dataDir, logFile, nodeArgs = [], env: extraEnv = {} } = this.options;
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      // A fresh secret per run: tokens of an earlier run must not work, and none is ever written down.
      JWT_SECRET: randomBytes(48).toString('base64url'),
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      // All load comes from 127.0.0.1: the per-address sign-in budget would throttle the login scenario.
      LOGIN_IP_LIMIT_PER_MINUTE: '100000000',
      ACCOUNT_IP_LIMIT_PER_HOUR: '100000000',
      // What the README recommends for a dedicated machine, one worker per two cores (BENCH_WORKERS overrides): each
      // event loop needs a core, and its GC and hashing threads and PostgreSQL backends the other (docs/performance.md).
      WEB_CONCURRENCY: String(benchWorkers()),
      ...extraEnv,
    };
    for (const [name, value] of Object.entries(extraEnv)) if (value === undefined) delete env[name];
    this.child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = createWriteStream(logFile);
    const keep = (chunk) => {
      file.write(chunk);
      this.tail.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        file.end();
        resolve(this.exited);
      });
    });
    return this;
  }

  get pid() {
    return this.child?.pid;
  }

  /** Polls GET /health until it answers 200 (migrations run first, so this can take a few seconds). */
  async waitHealthy(timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the server exited during start-up (${describeExit(this.exited)})`);
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`GET /health did not answer 200 within ${timeoutMs / 1000} s`);
  }

  /** Fails a scenario at once if the server died under load, instead of reporting a flood of socket errors. */
  assertAlive() {
    if (this.exited) throw new Error(`the server exited during the benchmark (${describeExit(this.exited)})`);
  }

  /** SIGTERM lets it drain and close its pool; after 15 s it is killed. */
  async stop() {
    if (!this.child || this.exited) return;
    this.child.kill('SIGTERM');
    try {
      await withTimeout(this.exitPromise, 15_000, 'server shutdown');
    } catch {
      log('the server did not stop within 15 s after SIGTERM: killing it');
      this.child.kill('SIGKILL');
      await withTimeout(this.exitPromise, 5_000, 'server kill').catch(() => {});
    }
  }

  logTail() {
    return this.tail.join('\n');
  }
}

function describeExit({ code, signal }) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Samples a process's RSS while a scenario runs, so its peak is known and not only its final value. */
export function sampleMemory(pid, intervalMs = 200) {
  let peakKb = 0;
  const take = () => {
    const m = serverMemoryOf(pid);
    if (m && m.rssKb > peakKb) peakKb = m.rssKb;
    return m;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const end = take();
      return { endKb: end?.rssKb, peakKb, lifetimePeakKb: end?.hwmKb };
    },
  };
}

// ============================================================ load generators

// Load generators: autocannon (in this process) and, where installed, wrk (a C program, far cheaper per request).
// Both return the same result shape, so the report does not care which one ran.

/** A correct answer of a nuzzle route: `{ret:200,data}`. Business errors also answer HTTP 200, so the body counts. */
export const OK_PREFIX = '{"ret":200';

const BAD_SAMPLES_KEPT = 3;

/** Runs that are in flight, so ctrl-C or a failure can stop them at once. */
const active = new Set();

export function stopAllLoad() {
  for (const stop of active) stop();
}

export function wrkAvailable() {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `wrk -v` prints its version and exits 1; only a missing binary is "not available".
    return error.code !== 'ENOENT';
  }
}

/**
 * Drives one route with autocannon for `durationS` seconds over `connections` keep-alive connections.
 * `setupRequest` (autocannon's per-request hook) may rewrite the body or headers of each request.
 */
export async function runAutocannon({
  url,
  method = 'GET',
  path,
  headers = {},
  body,
  setupRequest,
  connections,
  durationS,
  overallRate,
  signal,
  okPrefix = OK_PREFIX,
}) {
  const badSamples = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationS,
    timeout: 10,
    // A fixed pace (requests per second over all connections) replays a scenario's load; unset, as fast as answered.
    ...(overallRate ? { overallRate } : {}),
    requests: [{ method, path, headers, body, ...(setupRequest ? { setupRequest } : {}) }],
    // Every body is checked (a prefix comparison costs next to nothing next to the HTTP parsing autocannon does).
    verifyBody: (text) => {
      const ok = typeof text === 'string' && text.startsWith(okPrefix);
      if (!ok && badSamples.length < BAD_SAMPLES_KEPT) badSamples.push(String(text).slice(0, 200));
      return ok;
    },
  });
  const stop = () => instance.stop();
  active.add(stop);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const r = await instance;
    const requests = r.requests.total;
    const socketErrors = r.errors - r.timeouts;
    return {
      generator: 'autocannon',
      connections,
      durationS: r.duration,
      requests,
      rps: requests / r.duration,
      p50Ms: r.latency.p50,
      p90Ms: r.latency.p90,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
      // A non-2xx answer also fails the body check, so `badBodies` already includes it.
      non2xx: r.non2xx,
      badBodies: r.mismatches,
      socketErrors,
      timeouts: r.timeouts,
      errors: r.mismatches + r.errors,
      badSamples,
    };
  } finally {
    active.delete(stop);
  }
}

/**
 * Drives a rotation of fixed requests with wrk (one thread: on two cores a second thread would only take CPU
 * from the server). A generated Lua script rotates the requests, checks every body and prints a JSON summary.
 */
/**
 * `requests` are rotated; or, with `pathsFile`, each request is the next line of that file (a GET of that path), each
 * sent once: for requests that may not repeat (nggirl's signed ones, each with its own nonce), in numbers a Lua table
 * could not hold. `okPrefix`: how a correct answer starts.
 */
export async function runWrk({
  url,
  requests,
  pathsFile,
  connections,
  durationS,
  scriptFile,
  okPrefix = OK_PREFIX,
}) {
  writeFileSync(scriptFile, pathsFile ? wrkPathsScript(pathsFile, okPrefix) : wrkScript(requests, okPrefix));
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--timeout', '10s', '-s', scriptFile, url];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const stop = () => child.kill('SIGTERM');
  active.add(stop);
  try {
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, signal) => resolve(signal ?? c));
    });
    const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${out}`);
    const s = JSON.parse(line.slice('BENCH_JSON '.length));
    const durationSeconds = s.durationUs / 1e6;
    const socketErrors = s.connectErrors + s.readErrors + s.writeErrors;
    return {
      generator: 'wrk',
      connections,
      durationS: durationSeconds,
      requests: s.requests,
      rps: s.requests / durationSeconds,
      p50Ms: s.p50Us / 1000,
      p90Ms: s.p90Us / 1000,
      p99Ms: s.p99Us / 1000,
      maxMs: s.maxUs / 1000,
      non2xx: s.statusErrors,
      badBodies: s.badBodies,
      socketErrors,
      timeouts: s.timeouts,
      errors: s.badBodies + socketErrors + s.timeouts,
      badSamples: s.badSample ? [s.badSample] : [],
    };
  } finally {
    active.delete(stop);
  }
}

/** Lua strings for values we generate ourselves (paths, tokens, JSON bodies): only quote and backslash need escaping. */
const lua = (text) => `"${String(text).replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;

/** Requests per generated Lua function: LuaJIT allows 65,536 constants in one function, and each request has its own. */
const SPECS_PER_CHUNK = 5_000;

function wrkScript(requests, okPrefix) {
  const specLines = requests.map(({ method = 'GET', path, headers = {}, body }) => {
    const headerTable = Object.entries(headers)
      .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
      .join(', ');
    return `    { ${lua(method)}, ${lua(path)}, { ${headerTable} }, ${body === undefined ? 'nil' : lua(body)} },`;
  });
  const chunks = [];
  for (let i = 0; i < specLines.length; i += SPECS_PER_CHUNK) {
    chunks.push(
      `  function()\n    return {\n${specLines.slice(i, i + SPECS_PER_CHUNK).join('\n')}\n    }\n  end,`,
    );
  }
  // Globals (bad, checked, badSample) are read from each thread's Lua state by done(); locals could not be.
  return `-- Generated by bench/harness.mjs for one run; rotates requests and checks every body.
local specs = {}
for _, chunk in ipairs({
${chunks.join('\n')}
}) do
  for _, s in ipairs(chunk()) do specs[#specs + 1] = s end
end
local threads = {}
local prepared, index

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for i, s in ipairs(specs) do prepared[i] = wrk.format(s[1], s[2], s[3], s[4]) end
  index = (offset * 97) % #prepared
  bad, checked, badSample = 0, 0, nil
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end
${wrkChecks(okPrefix)}`;
}

/** One thread reading one path a request from `pathsFile`; past its end, the last path again (an error then). */
function wrkPathsScript(pathsFile, okPrefix) {
  return `-- Generated by bench/harness.mjs for one run; sends each line of a file once and checks every body.
local threads = {}
local paths, last

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = io.open(${lua(pathsFile)}, "r")
  bad, checked, badSample = 0, 0, nil
end

function request()
  last = paths:read("*l") or last
  return wrk.format("GET", last)
end
${wrkChecks(okPrefix)}`;
}

/** The body check and the summary every wrk script ends with. */
function wrkChecks(okPrefix) {
  return `
function response(status, headers, body)
  checked = checked + 1
  if string.sub(body, 1, ${okPrefix.length}) ~= ${lua(okPrefix)} then
    bad = bad + 1
    if badSample == nil then badSample = string.sub(body, 1, 200) end
  end
end

local function json_string(s)
  if s == nil then return "null" end
  return '"' .. string.gsub(string.gsub(s, '[%c\\\\"]', ' '), '[^%w%p ]', '?') .. '"'
end

function done(summary, latency, requests)
  local b, c, sample = 0, 0, nil
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    c = c + t:get("checked")
    sample = sample or t:get("badSample")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%.0f,"durationUs":%.0f,"connectErrors":%.0f,"readErrors":%.0f,"writeErrors":%.0f,' ..
    '"statusErrors":%.0f,"timeouts":%.0f,"p50Us":%.0f,"p90Us":%.0f,"p99Us":%.0f,"maxUs":%.0f,' ..
    '"badBodies":%.0f,"checked":%.0f,"badSample":%s}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    b, c, json_string(sample)))
end
`;
}

#!/usr/bin/env node
// Concord's benchmark: `npm run bench` (builds, then runs this), or `node bench/run.mjs` against a current dist/.
//
// It runs the built server as production runs it, against a real PostgreSQL, seeds users through the API, and
// drives each scenario for a fixed time:
//   profile   GET /user/profile with rotating tokens (wrk when on PATH, else autocannon)
//   (every request carries nuzzle's common parameters tz, pf and locale, as real clients send them)
//   login     POST /passport/email/login rotating over the seeded users (autocannon)
//   register  POST /passport/email/register, a new email per request (autocannon)
//   mixed     logins and profile reads at once, half the connections each: profile must stay responsive
// Login and register are bounded by argon2id, so they are reported as a share of the machine's argon2id verify
// rate (the "bound"), measured in the same run. The report is printed and written to bench/results/<time>.json.
//
// Options:  --no-build       accepted for symmetry with `npm run bench`; this script never builds
//           --cpu-prof       run the server under `node --cpu-prof` and summarise where its main thread spent time
//           --scenarios=a,b  run only some of profile,login,register,mixed
// Environment: BENCH_DURATION (s, default 15; 3 for a smoke run), BENCH_CONNECTIONS (32), BENCH_USERS (200),
//           BENCH_WARMUP (s), BENCH_BOUND_SECONDS (8), BENCH_WRK=0 (autocannon even where wrk exists),
//           BENCH_QUIET_WAIT (s, default 0: before each timed run wait up to that long for an idle machine),
//           BENCH_NODE_ARGS (extra node flags for the server, e.g. "--trace-gc"),
//           DATABASE_URL (use this database as is), BENCH_PG=embedded (skip the machine's PostgreSQL).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, summariseProfile } from './cpu-profile-summary.mjs';
import {
  benchHashThreads,
  cpuOf,
  describeDatabase,
  freePort,
  log,
  machineCpu,
  OK_PREFIX,
  openProbe,
  provisionDatabase,
  runAutocannon,
  runWrk,
  sampleMemory,
  ServerProcess,
  sleep,
  stopAllLoad,
  threadCpuOf,
  withTimeout,
  wrkAvailable,
} from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const ALL_SCENARIOS = ['profile', 'login', 'register', 'mixed'];

/** nuzzle's common parameters, which real clients send with every request (the document marks `tz` required). */
const COMMON = { tz: 'Asia/Shanghai', pf: 'android', locale: 'zh_CN' };
const PROFILE_PATH = `/user/profile?${new URLSearchParams(COMMON)}`;

// ---------------------------------------------------------------- configuration

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(readHeaderComment());
  process.exit(0);
}

function envNumber(name, fallback, { integer = false, min = 1 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${raw}"`);
  }
  return value;
}

const DURATION_S = envNumber('BENCH_DURATION', 15);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32, { integer: true });
const MIXED_CONNECTIONS = Math.max(1, Math.round(CONNECTIONS / 2));
const USERS = envNumber('BENCH_USERS', 200, { integer: true });
// Long enough for V8 to optimise the hot paths and for the pool to open all its connections, short for smoke runs.
const WARMUP_S = envNumber('BENCH_WARMUP', Math.min(3, Math.max(1, Math.round(DURATION_S / 5))), { min: 0 });
const BOUND_S = envNumber('BENCH_BOUND_SECONDS', Math.min(8, Math.max(2, DURATION_S)));
const USE_WRK = process.env.BENCH_WRK !== '0' && wrkAvailable();
// On a shared machine, wait up to this many seconds before each timed run for other work to calm down (0: never).
const QUIET_WAIT_S = envNumber('BENCH_QUIET_WAIT', 0, { min: 0 });
const SCENARIOS = flags.scenarios
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of SCENARIOS)
  if (!ALL_SCENARIOS.includes(s))
    throw new Error(`unknown scenario "${s}"; known: ${ALL_SCENARIOS.join(', ')}`);

const TARGET = { profileRps: 2500, profileP99Ms: 25, boundShare: 0.85 };
/** More than this many cores busy outside the server, its PostgreSQL and the load generator marks a run as disturbed. */
const OTHER_CORES_LIMIT = 0.25;
// What the server does with the hash (see src/auth/password-hasher.ts); the bound warns if the stored hash differs.
const EXPECTED_ARGON2 = { variant: 'id', m: 19456, t: 2, p: 1 };

const runId = randomBytes(3).toString('hex');
const md5 = (text) => createHash('md5').update(text).digest('hex');

// ---------------------------------------------------------------- clean-up, interruption, time budget

/** Clean-up steps, run last-in first-out exactly once, on success, failure, ctrl-C or timeout. */
const cleanupSteps = [];
let cleanupPromise;
function cleanup() {
  cleanupPromise ??= (async () => {
    for (const step of cleanupSteps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        log(`clean-up: ${step.name} failed: ${error.message}`);
      }
    }
  })();
  return cleanupPromise;
}
const onCleanup = (name, run) => cleanupSteps.push({ name, run });

let aborting = false;
let boundChild;
async function abort(reason, exitCode) {
  if (aborting) return;
  aborting = true;
  log(`${reason}: stopping`);
  stopAllLoad();
  boundChild?.kill('SIGKILL');
  await cleanup();
  process.exit(exitCode);
}
process.on('SIGINT', () => void abort('interrupted', 130));
process.on('SIGTERM', () => void abort('terminated', 143));

// Everything is bounded: the scenarios' own time plus generous allowances for start-up, seeding and clean-up.
const budgetS =
  180 + // database, server start, seeding
  SCENARIOS.length * (WARMUP_S + DURATION_S + 30 + QUIET_WAIT_S) +
  (SCENARIOS.some((s) => s === 'login' || s === 'register') ? 3 * (BOUND_S + 30 + QUIET_WAIT_S) : 0) +
  60; // clean-up
setTimeout(() => void abort(`time budget of ${budgetS} s exceeded`, 1), budgetS * 1000).unref();

// ---------------------------------------------------------------- main

const startedAt = new Date();
let server;

try {
  await main();
} catch (error) {
  if (!aborting) {
    log(`FAILED: ${error.stack ?? error}`);
    // A server that went away explains a wall of connection errors: say how it ended.
    if (server?.exited) log(`the server had exited (${JSON.stringify(server.exited)})`);
    if (server?.logTail()) log(`last lines of the server's output:\n${server.logTail()}`);
    stopAllLoad();
    await cleanup();
    process.exit(1);
  }
}

async function main() {
  const entry = join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: build first (npm run build), or use npm run bench`);
  const loadAverageAtStart = loadavg();

  const workDir = await mkdtemp(join(tmpdir(), 'concord-bench-'));
  onCleanup('remove the work folder', () => rm(workDir, { recursive: true, force: true }));

  const db = await provisionDatabase();
  onCleanup('drop/stop the database', db.cleanup);

  const port = await freePort();
  const profileDir = join(RESULTS_DIR, `cpuprof-${stamp(startedAt)}`);
  server = new ServerProcess({
    root: ROOT,
    port,
    databaseUrl: db.url,
    dataDir: join(workDir, 'data'),
    logFile: join(workDir, 'server.log'),
    nodeArgs: [
      ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      ...(flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
  });
  log(`starting the server on 127.0.0.1:${port} (migrations run first)`);
  server.start();
  onCleanup('stop the server', () => server.stop());
  await server.waitHealthy();

  const dbInfo = { kind: db.kind, ...(await describeDatabase(db.url)) };
  const probe = await openProbe(db.url);
  onCleanup('close the probe connection', () => probe.close());

  log(`seeding ${USERS} users through POST /passport/email/register`);
  const users = await withTimeout(seedUsers(server.url, USERS), 180_000, 'seeding');
  const { loginAnswer } = await preflight(server.url, users[0]);

  const load = makeLoad(server.url, users, workDir);
  const scenarios = [];
  const bounds = {};
  const storedHash = await probe.storedHash(users[0].email);
  if (!storedHash) throw new Error('no stored password hash found for a seeded user');

  const measure = makeMeasure(probe);
  if (SCENARIOS.includes('profile')) {
    scenarios.push(await measure('profile', load.profile, CONNECTIONS));
  }
  if (SCENARIOS.includes('login')) {
    // The bound is taken right before and right after the login run, each time with PostgreSQL and the load
    // generator doing what they do in the scenario (see measureBound), and once more with nothing else running.
    const answerFile = join(workDir, 'login-answer.json');
    writeFileSync(answerFile, loginAnswer);
    const standIn = await startStandIn(db.url, answerFile);
    onCleanup('stop the stand-in', () => standIn.stop());
    const beside = (rate) => ({ rate, standIn, probe, replay: load.replayLogin });
    const login = await measure('login', load.login, CONNECTIONS, {
      afterWarmup: async ([warm]) => {
        bounds.before = await measureBound(storedHash, users[0].digest, 'before login', beside(warm.rps));
      },
    });
    scenarios.push(login);
    bounds.after = await measureBound(storedHash, users[0].digest, 'after login', beside(login.parts[0].rps));
    await standIn.stop();
    bounds.quiet = await measureBound(storedHash, users[0].digest, 'quiet');
  } else if (SCENARIOS.includes('register')) {
    bounds.quiet = await measureBound(storedHash, users[0].digest, 'quiet');
  }
  if (SCENARIOS.includes('register')) {
    scenarios.push(await measure('register', load.register, CONNECTIONS));
  }
  if (SCENARIOS.includes('mixed')) {
    scenarios.push(await measure('mixed', load.mixed, MIXED_CONNECTIONS));
  }
  const lifetimePeakKb = scenarios.at(-1)?.memory.lifetimePeakKb;

  await probe.close();
  await server.stop();
  const cpuProfile = flags['cpu-prof'] ? summariseProfiles(profileDir, scenarios) : undefined;

  const bound = combineBounds(bounds);
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    env: {
      node: process.version,
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model,
      loadAverageAtStart,
      commit: gitCommit(),
      database: dbInfo,
      generators: USE_WRK
        ? 'wrk for /user/profile (also in mixed), autocannon for login and register'
        : 'autocannon for every scenario (wrk not on PATH or BENCH_WRK=0)',
      durationS: DURATION_S,
    },
    config: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      mixedConnections: MIXED_CONNECTIONS,
      users: USERS,
      boundSeconds: BOUND_S,
      quietWaitS: QUIET_WAIT_S,
    },
    scenarios,
    serverLifetimePeakRssKb: lifetimePeakKb,
    bound,
    targets: evaluateTargets(scenarios, bound),
    cpuProfile,
  };

  const report = formatReport(results);
  console.log(report);
  if (cpuProfile) for (const summary of cpuProfile) console.log(`\n${formatSummary(summary)}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${stamp(startedAt)}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${file}`);

  // Keep the server's own log beside the results when it said anything at warn level or above.
  if (server.logTail())
    copyFileSync(join(workDir, 'server.log'), join(RESULTS_DIR, `${stamp(startedAt)}-server.log`));
  await cleanup();
}

// ---------------------------------------------------------------- seeding

async function seedUsers(baseUrl, count) {
  const users = new Array(count);
  let next = 0;
  // A few at a time: registration hashes, and the server caps hashing at the core count anyway.
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const email = `bench-${runId}-u${i}@example.com`;
      const digest = md5(`concord-bench-${runId}-${i}`);
      const body = await postJson(`${baseUrl}/passport/email/register`, {
        email,
        password: digest,
        nickname: `bench${i}`,
      });
      if (body.ret !== 200 || typeof body.data?.token !== 'string') {
        throw new Error(`seeding user ${i} failed: ${JSON.stringify(body).slice(0, 200)}`);
      }
      users[i] = { email, digest, token: body.data.token };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

async function postJson(url, payload, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
}

/** One request of each kind before any timing, so a broken route fails in a second with a clear message. */
async function preflight(baseUrl, user) {
  const res = await fetch(`${baseUrl}${PROFILE_PATH}`, {
    headers: { authorization: user.token },
    signal: AbortSignal.timeout(10_000),
  });
  const profile = await res.text();
  if (!profile.startsWith(OK_PREFIX))
    throw new Error(`GET /user/profile with a seeded token answered ${profile.slice(0, 200)}`);
  const res2 = await fetch(`${baseUrl}/passport/email/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.digest, ...COMMON }),
    signal: AbortSignal.timeout(30_000),
  });
  const login = await res2.text();
  if (!login.startsWith(OK_PREFIX)) throw new Error(`login of a seeded user answered ${login.slice(0, 200)}`);
  // The stand-in that answers the load generator while the bound is measured gives this same answer.
  return { loginAnswer: login };
}

// ---------------------------------------------------------------- scenarios

function makeLoad(baseUrl, users, workDir) {
  const json = { 'content-type': 'application/json' };
  const tokens = users.map((u) => u.token);
  const loginBodies = users.map((u) => JSON.stringify({ email: u.email, password: u.digest, ...COMMON }));
  const registerDigest = md5(`concord-bench-${runId}-register`);
  let registered = 0;

  const profile = (connections, durationS) =>
    USE_WRK
      ? runWrk({
          url: baseUrl,
          connections,
          durationS,
          scriptFile: join(workDir, `profile-${connections}.lua`),
          requests: tokens.map((token) => ({
            method: 'GET',
            path: PROFILE_PATH,
            headers: { Authorization: token },
          })),
        })
      : (() => {
          let i = 0;
          return runAutocannon({
            url: baseUrl,
            path: PROFILE_PATH,
            connections,
            durationS,
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, authorization: tokens[i++ % tokens.length] },
            }),
          });
        })();

  const login = (connections, durationS) => {
    let i = 0;
    return runAutocannon({
      url: baseUrl,
      method: 'POST',
      path: '/passport/email/login',
      headers: json,
      connections,
      durationS,
      setupRequest: (req) => ({ ...req, body: loginBodies[i++ % loginBodies.length] }),
    });
  };

  // Every request a new account (an existing email would be refused before hashing and look cheap).
  const register = (connections, durationS) =>
    runAutocannon({
      url: baseUrl,
      method: 'POST',
      path: '/passport/email/register',
      headers: json,
      connections,
      durationS,
      setupRequest: (req) => {
        const n = registered++;
        return {
          ...req,
          body: JSON.stringify({
            email: `bench-${runId}-r${n}@example.com`,
            password: registerDigest,
            nickname: `r${n}`,
            ...COMMON,
          }),
        };
      },
    });

  // The login's requests, at a fixed pace, sent to the stand-in server while the bound is measured.
  const replayLogin = (url, connections, rate, signal) => {
    let i = 0;
    return runAutocannon({
      url,
      method: 'POST',
      path: '/passport/email/login',
      headers: json,
      connections,
      durationS: BOUND_S + 120,
      overallRate: rate,
      signal,
      setupRequest: (req) => ({ ...req, body: loginBodies[i++ % loginBodies.length] }),
    });
  };

  const label = (name, result) => ({ label: name, ...result });
  return {
    replayLogin,
    profile: async (c, d) => [label('GET /user/profile', await profile(c, d))],
    login: async (c, d) => [label('POST /passport/email/login', await login(c, d))],
    register: async (c, d) => [label('POST /passport/email/register', await register(c, d))],
    // Both at once: logins keep every core hashing while profile reads must still be answered promptly.
    mixed: async (c, d) => {
      const [l, p] = await Promise.all([login(c, d), profile(c, d)]);
      return [label('login', l), label('profile', p)];
    },
  };
}

/**
 * Runs one scenario: an untimed warm-up, then the timed run, with the server's memory sampled throughout and the
 * CPU of the server, its PostgreSQL backends, the load generator and the rest of the machine counted.
 */
function makeMeasure(probe) {
  return async function measure(name, drive, connections, { afterWarmup } = {}) {
    // Before the warm-up, so that the timed run follows the warm-up at once.
    const quiet = await waitForQuiet(name);
    if (WARMUP_S > 0 || afterWarmup) {
      log(`${name}: warm-up ${Math.max(1, WARMUP_S)} s`);
      const warm = await drive(connections, Math.max(1, WARMUP_S));
      await afterWarmup?.(warm);
    }
    log(`${name}: ${DURATION_S} s at ${connections} connections${name === 'mixed' ? ' per route' : ''}`);
    const pidsBefore = await probe.backendPids();
    const before = cpuSnapshot(pidsBefore);
    const sampler = sampleMemory(server.pid);
    let parts;
    let memory;
    // The timed window on the monotonic clock, in µs: the clock of V8's CPU profiles, to cut --cpu-prof per scenario.
    const window = { label: `the ${name} scenario`, startUs: monotonicUs() };
    try {
      parts = await drive(connections, DURATION_S);
    } finally {
      memory = sampler.stop();
      window.endUs = monotonicUs();
    }
    const after = cpuSnapshot([...new Set([...pidsBefore, ...(await probe.backendPids())])]);
    server.assertAlive();
    const cpu = cpuDelta(before, after);
    // The event loop's cost of one request: what caps a single Node process once the main thread is saturated.
    if (parts.length === 1) cpu.mainMsPerRequest = (cpu.serverMain * 1000) / parts[0].rps;
    return { name, connections, parts, memory, cpu, quiet, window };
  };
}

function cpuSnapshot(pgPids) {
  const self = cpuOf(process.pid);
  const usage = process.cpuUsage();
  return {
    t: performance.now(),
    server: threadCpuOf(server.pid) ?? { main: 0, others: 0 },
    postgres: new Map(pgPids.map((pid) => [pid, cpuOf(pid)?.seconds])),
    // autocannon runs in this process; wrk is a child whose CPU lands in our children's total once it exits.
    generator: (usage.user + usage.system) / 1e6 + (self?.childrenSeconds ?? 0),
    machine: machineCpu(),
  };
}

/** Average cores used during the run by each party; "other" is everything else busy on the machine. */
function cpuDelta(a, b) {
  const wall = (b.t - a.t) / 1000;
  let pgSeconds = 0;
  for (const [pid, end] of b.postgres) {
    if (end === undefined) continue; // closed before the end: its share is lost (pool connections rarely close)
    pgSeconds += end - (a.postgres.get(pid) ?? 0); // a backend opened during the run counts from zero
  }
  const serverMain = (b.server.main - a.server.main) / wall;
  const serverThreads = (b.server.others - a.server.others) / wall;
  const server = serverMain + serverThreads;
  const postgres = pgSeconds / wall;
  const generator = (b.generator - a.generator) / wall;
  const machine = (b.machine.busySeconds - a.machine.busySeconds) / wall;
  return {
    wallS: wall,
    server,
    serverMain,
    serverThreads,
    postgres,
    generator,
    machine,
    other: Math.max(0, machine - server - postgres - generator),
  };
}

/**
 * With BENCH_QUIET_WAIT set, waits (at most that long) until the machine, the server idle, has had a second with
 * under a quarter of a core busy, so a timed run does not start in the middle of someone else's build or test run.
 */
async function waitForQuiet(what) {
  if (QUIET_WAIT_S <= 0) return undefined;
  const started = performance.now();
  let busy;
  for (;;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    busy = ((b.busySeconds - a.busySeconds) / (b.totalSeconds - a.totalSeconds)) * availableParallelism();
    const waited = (performance.now() - started) / 1000;
    if (busy < 0.25 || waited >= QUIET_WAIT_S) {
      if (waited > 2)
        log(`${what}: waited ${waited.toFixed(0)} s for a quiet machine (${busy.toFixed(2)} cores busy)`);
      return { waitedS: waited, busyCores: busy };
    }
  }
}

// ---------------------------------------------------------------- the argon2id bound

/**
 * How the bound is measured, and why so. The issue defines it: verify operations per second with every core busy,
 * no HTTP, measured while PostgreSQL and the load generator run as they do in the scenario.
 *
 * A separate Node process runs @node-rs/argon2 `verify` on a hash the server itself stored while seeding (so the
 * parameters are exactly the server's), with as many verifications in flight as the machine has cores (the
 * server's default hashing threads), for BENCH_BOUND_SECONDS; the server is up and idle.
 * Beside it (`beside`): the load generator sends the login's requests, at the rate the login reached, to a stand-in
 * (bench/login-stand-in.mjs) that runs a login's two statements on PostgreSQL and answers with a real login answer,
 * without a framework, hashing or JWT. So PostgreSQL and the generator take what they take in the scenario, and
 * nothing of the server's own work is counted into the bound; the stand-in's CPU is reported beside it.
 * Taken right before the login run (at the warm-up's rate) and right after it (at the run's rate); the bound is the
 * mean of the two, which brackets the run in time (the machine's argon2 rate drifts between samples on a VM). A
 * sample that other work on the machine disturbed is left out when the other one is clean. A third sample with
 * nothing beside it ("quiet") is shown for reference: the ratios against it are the stricter reading.
 */
async function measureBound(storedHash, digest, label, beside) {
  await sleep(1000); // let the previous run's last requests and any GC finish
  await waitForQuiet(`bound ${label}`);
  log(
    `argon2id bound (${label}): ${BOUND_S} s of verify at concurrency ${availableParallelism()}` +
      (beside ? `, logins replayed to the stand-in at ${beside.rate.toFixed(1)}/s` : ''),
  );
  const stopReplay = new AbortController();
  let replay;
  if (beside) {
    replay = beside.replay(beside.standIn.url, CONNECTIONS, beside.rate, stopReplay.signal);
    await sleep(1000); // connections open, pace settles
  }
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'argon2-bound.mjs'), storedHash, digest, String(BOUND_S)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: (BOUND_S + 60) * 1000,
    },
  );
  boundChild = child;
  // The machine's CPU around the run shows whether something else took cores from the bound.
  const pgPids = beside ? await beside.probe.backendPids() : [];
  const before = cpuSnapshot(pgPids);
  // The generator is this process alone here: the children's total would count the bound process once it exits.
  const ownBefore = process.cpuUsage();
  const standInBefore = beside ? (cpuOf(beside.standIn.pid)?.seconds ?? 0) : 0;
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const code = await new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', (c, signal) => res(signal ?? c));
  });
  boundChild = undefined;
  const after = cpuSnapshot(pgPids);
  const own = process.cpuUsage(ownBefore);
  before.generator = 0;
  after.generator = (own.user + own.system) / 1e6;
  const standInSeconds = beside ? (cpuOf(beside.standIn.pid)?.seconds ?? 0) - standInBefore : 0;
  stopReplay.abort();
  const replayed = replay ? await replay : undefined;
  if (code !== 0) throw new Error(`the argon2 bound process failed (${code}): ${err || out}`);
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const cpu = cpuDelta(before, after);
  const standInCores = standInSeconds / cpu.wallS;
  // Over the whole child's life (start-up and warm-up included), so slightly low; enough to see a busy machine.
  result.otherCores = Math.max(0, cpu.other - standInCores - (result.coresUsed * result.seconds) / cpu.wallS);
  result.label = label;
  if (beside) {
    if (replayed.errors > 0) throw new Error(`the stand-in failed ${replayed.errors} replayed logins`);
    result.beside = {
      rate: beside.rate,
      replayedRps: replayed.rps,
      postgresCores: cpu.postgres,
      generatorCores: cpu.generator,
      standInCores,
    };
  }
  const p = result.params;
  if (
    !p ||
    p.variant !== EXPECTED_ARGON2.variant ||
    p.m !== EXPECTED_ARGON2.m ||
    p.t !== EXPECTED_ARGON2.t ||
    p.p !== EXPECTED_ARGON2.p
  ) {
    log(
      `WARNING: the server's stored hash has parameters ${JSON.stringify(p)}, not the expected ${JSON.stringify(EXPECTED_ARGON2)}`,
    );
  }
  log(
    `  ${result.opsPerSec.toFixed(1)} verify/s (${result.msPerOp.toFixed(1)} ms each, ${result.coresUsed.toFixed(2)} cores ` +
      `busy; other processes ${result.otherCores.toFixed(2)} cores` +
      (result.beside
        ? `; beside it PostgreSQL ${result.beside.postgresCores.toFixed(2)}, generator ` +
          `${result.beside.generatorCores.toFixed(2)}, stand-in ${result.beside.standInCores.toFixed(2)} cores)`
        : ')'),
  );
  return result;
}

/** The stand-in server of the login scenario (bench/login-stand-in.mjs) on a free port. */
async function startStandIn(databaseUrl, answerFile) {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'login-stand-in.mjs'), databaseUrl, answerFile],
    {
      cwd: ROOT,
      // Its groups are the server's for as many hashing threads (signInPacing in src/auth/password-hasher.ts).
      env: { ...process.env, STAND_IN_HASH_THREADS: String(benchHashThreads()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const port = await withTimeout(
    new Promise((resolvePort, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /listening (\d+)/.exec(out);
        if (m) resolvePort(Number(m[1]));
      });
      child.once('exit', (c) => reject(new Error(`the stand-in exited (${c}): ${err}`)));
    }),
    15_000,
    'the stand-in server',
  );
  let stopped;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      (stopped ??= new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      })),
  };
}

function boundDisturbed(sample) {
  return sample.coresUsed < 0.8 * sample.concurrency || sample.otherCores > OTHER_CORES_LIMIT;
}

function combineBounds({ before, after, quiet }) {
  const beside = [before, after].filter(Boolean);
  const samples = beside.length > 0 ? beside : [quiet].filter(Boolean);
  if (samples.length === 0) return undefined;
  const clean = samples.filter((b) => !boundDisturbed(b));
  const used = clean.length > 0 ? clean : samples;
  const opsPerSec = used.reduce((sum, b) => sum + b.opsPerSec, 0) / used.length;
  return {
    opsPerSec,
    concurrency: used[0].concurrency,
    msPerOp: (1000 * used[0].concurrency) / opsPerSec,
    params: used[0].params,
    samplesUsed: used.map((b) => b.label),
    before,
    after,
    quiet,
    method:
      beside.length > 0
        ? 'bound = @node-rs/argon2 verify in a separate process, concurrency = cores, on a hash the server stored, no ' +
          'HTTP, the server idle, while the load generator replays the logins at the rate they reached to a stand-in ' +
          "that runs a login's SQL on PostgreSQL (the issue's definition); the mean of samples just before and just " +
          'after the login run (a disturbed sample is dropped if the other is clean). Register hashes instead of ' +
          'verifying: same parameters, same cost. "quiet": the same with nothing else running.'
        : 'bound = @node-rs/argon2 verify in a separate process, concurrency = cores, on a hash the server stored, ' +
          'no HTTP, the server idle and nothing else running (no login run to replay beside it).',
  };
}

// ---------------------------------------------------------------- targets

function evaluateTargets(scenarios, bound) {
  const part = (scenario, index = 0) => scenarios.find((s) => s.name === scenario)?.parts[index];
  const targets = [];
  const profile = part('profile');
  if (profile) {
    targets.push({
      target: `/user/profile ≥ ${fmt(TARGET.profileRps)} req/s at ${CONNECTIONS} connections`,
      result: `${fmt(profile.rps)} req/s`,
      met: profile.rps >= TARGET.profileRps,
    });
    targets.push({
      target: `/user/profile p99 < ${TARGET.profileP99Ms} ms at ${CONNECTIONS} connections`,
      result: `${fmt(profile.p99Ms, 2)} ms`,
      met: profile.p99Ms < TARGET.profileP99Ms,
    });
  }
  for (const name of ['login', 'register']) {
    const p = part(name);
    if (!p || !bound) continue;
    const share = p.rps / bound.opsPerSec;
    p.boundShare = share;
    targets.push({
      target: `${name} ≥ ${TARGET.boundShare * 100}% of the argon2id bound`,
      result: `${fmt(share * 100, 1)}% (${fmt(p.rps, 1)} of ${fmt(bound.opsPerSec, 1)}/s)`,
      met: share >= TARGET.boundShare,
    });
    if (bound.quiet && bound.before) {
      p.quietBoundShare = p.rps / bound.quiet.opsPerSec;
      targets.push({
        target: `  ${name} against the quiet bound (nothing beside it; for reference)`,
        result: `${fmt(p.quietBoundShare * 100, 1)}% (${fmt(p.rps, 1)} of ${fmt(bound.quiet.opsPerSec, 1)}/s)`,
        met: undefined,
      });
    }
  }
  const mixedProfile = part('mixed', 1);
  if (mixedProfile) {
    const mixedLogin = part('mixed', 0);
    targets.push({
      target: `mixed: /user/profile p99 while logins saturate the CPU (${MIXED_CONNECTIONS}+${MIXED_CONNECTIONS} conns; no set target)`,
      result: `${fmt(mixedProfile.p99Ms, 2)} ms p99, ${fmt(mixedProfile.rps)} req/s; logins ${fmt(mixedLogin.rps, 1)}/s`,
      met: undefined,
    });
  }
  const errors = scenarios.flatMap((s) => s.parts).reduce((sum, p) => sum + p.errors, 0);
  targets.push({
    target: 'every answer {ret:200}, no socket errors or timeouts',
    result: `${fmt(errors)} errors`,
    met: errors === 0,
  });
  return targets;
}

// ---------------------------------------------------------------- small things

/** One summary per scenario, of the server's main thread during that scenario's timed run only. */
function summariseProfiles(dir, scenarios) {
  // With WEB_CONCURRENCY > 1 the primary (which only hands connections out) writes a profile too: summarise the
  // largest, a worker's.
  const file = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]
    : undefined;
  if (!file) {
    log(`no .cpuprofile was written in ${dir}`);
    return [];
  }
  log(`CPU profile: ${join(dir, file)}`);
  return scenarios.map((s) => summariseProfile(join(dir, file), 15, s.window));
}

function monotonicUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

function stamp(date) {
  return date.toISOString().replace(/[:.]/g, '-');
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** --help prints the comment at the top of this file. */
function readHeaderComment() {
  const lines = [];
  for (const line of readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1)) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- the printed report: one table of scenarios,
// then the argon2 bound, then each target beside its result

// (Function declarations: main() runs from a top-level await above, before `const`s down here would exist.)

/** A number with thousands separators, or '-' when there is none. */
function fmt(value, digits = 0) {
  return value === undefined || value === null || Number.isNaN(value)
    ? '-'
    : Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function mb(kb) {
  return kb === undefined ? '-' : fmt(kb / 1024, 0);
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function formatReport(results) {
  const { env, scenarios, bound, targets } = results;
  const out = [];
  out.push('');
  out.push(`Concord benchmark  ${results.startedAt}  commit ${env.commit ?? '?'}`);
  out.push(
    `node ${env.node}, ${env.cores} cores, PostgreSQL ${env.database.version} (${env.database.kind}; fsync=${env.database.fsync}, ` +
      `synchronous_commit=${env.database.synchronousCommit}), ${env.durationS} s per scenario, load generators: ${env.generators}`,
  );
  if (env.loadAverageAtStart[0] > 0.5) {
    out.push(
      `NOTE: load average was ${env.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start; other work on the ` +
        'machine lowers these numbers (see the "other" CPU column).',
    );
  }
  out.push('');

  const header = [
    'scenario',
    'generator',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'RSS end MB',
    'RSS peak MB',
    'CPU main/thr/pg/gen/other',
    'main ms/req',
  ];
  const rows = [];
  for (const s of scenarios) {
    for (const part of s.parts) {
      rows.push([
        s.parts.length > 1 ? `${s.name}: ${part.label}` : s.name,
        part.generator,
        part.connections,
        fmt(part.rps, 1),
        fmt(part.p50Ms, part.generator === 'wrk' ? 2 : 0),
        fmt(part.p99Ms, part.generator === 'wrk' ? 2 : 0),
        fmt(part.non2xx),
        fmt(part.errors),
        mb(s.memory.endKb),
        mb(s.memory.peakKb),
        s.cpu
          ? [s.cpu.serverMain, s.cpu.serverThreads, s.cpu.postgres, s.cpu.generator, s.cpu.other]
              .map((v) => fmt(v, 2))
              .join('/')
          : '-',
        fmt(s.cpu?.mainMsPerRequest, 2),
      ]);
    }
  }
  out.push(table(header, rows));
  out.push(
    "  (latencies: autocannon measures whole milliseconds. CPU: cores used on average by the server's main thread (the " +
      'event loop; 1.00 = saturated), its other threads (the hashing threads, GC), its PostgreSQL backends, the load ' +
      'generator(s), and everything else on the machine; main ms/req: main-thread CPU per request)',
  );
  for (const s of scenarios)
    for (const part of s.parts)
      if (part.badSamples?.length)
        out.push(
          `  ${s.name}/${part.label}: first bad bodies: ${part.badSamples.map((b) => JSON.stringify(b)).join(' | ')}`,
        );

  // A benchmark on a shared machine is only as good as the machine was quiet: say so where it was not.
  const disturbed = [];
  for (const s of scenarios) {
    if (s.cpu?.other > OTHER_CORES_LIMIT)
      disturbed.push(`${s.name} (${fmt(s.cpu.other, 2)} cores used by other processes)`);
  }
  for (const b of [bound?.before, bound?.after, bound?.quiet].filter(Boolean)) {
    if (boundDisturbed(b)) {
      disturbed.push(
        `bound ${b.label} (it got ${fmt(b.coresUsed, 2)} of ${b.concurrency} cores; others used ${fmt(b.otherCores, 2)})`,
      );
    }
  }
  if (disturbed.length) {
    out.push('');
    out.push(
      `WARNING: other work on the machine disturbed: ${disturbed.join('; ')}. Re-run on a quiet machine for numbers to compare.`,
    );
  }

  if (bound) {
    out.push('');
    out.push(
      `argon2id bound: ${fmt(bound.opsPerSec, 1)} verify/s (${bound.concurrency} concurrent, ${fmt(bound.msPerOp, 1)} ms each, ` +
        `${bound.params ? `m=${bound.params.m} t=${bound.params.t} p=${bound.params.p}` : 'params ?'}; ` +
        `before login ${fmt(bound.before?.opsPerSec, 1)}, after login ${fmt(bound.after?.opsPerSec, 1)}, ` +
        `quiet ${fmt(bound.quiet?.opsPerSec, 1)}; mean of ${bound.samplesUsed.join(' and ')})`,
    );
    const login = scenarios.find((s) => s.name === 'login');
    for (const b of [bound.before, bound.after].filter((x) => x?.beside)) {
      out.push(
        `  beside the bound ${b.label}: logins replayed at ${fmt(b.beside.replayedRps, 1)}/s; PostgreSQL ` +
          `${fmt(b.beside.postgresCores, 2)} cores, generator ${fmt(b.beside.generatorCores, 2)}, stand-in ` +
          `${fmt(b.beside.standInCores, 2)}` +
          (login?.cpu
            ? ` (in the login run: PostgreSQL ${fmt(login.cpu.postgres, 2)}, generator ${fmt(login.cpu.generator, 2)})`
            : ''),
      );
    }
    out.push(`  ${bound.method}`);
  }

  out.push('');
  out.push('Targets');
  out.push(
    table(
      ['target', 'result', 'met'],
      targets.map((t) => [t.target, t.result, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO']),
    ),
  );
  out.push(
    '  (for reference on this kind of machine: a hand-written Fastify + pg server does ~4,000 profile req/s, Parse Server ~700)',
  );
  return out.join('\n');
}

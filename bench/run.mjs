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
//   feed-list GET /feed/list, pages of 20 with authors and `access`, signed in, over BENCH_FEEDS (1,000,000) seeded
//             feeds (seeded once per database): the first page, then a deep page (maxId near the end), each timed
//   purchase  POST /pay/view, every request a new purchase: distinct buyers of distinct authors (autocannon or wrk)
//   purchase-one-author  the same, every buyer buying from one author (one hot income account)
//   nggirl-cosmetics  GET nggirl listCosmeticsClass, every request signed with a nonce of its own (the PostgreSQL
//             nonce store), artists signed in through nggirl logon; target ≥ 75% of /user/profile of the same run
// Login and register are bounded by argon2id, so they are reported as a share of the machine's argon2id verify
// rate (the "bound"), measured in the same run. The report is printed and written to bench/results/<time>.json.
//
// Options:  --no-build       accepted for symmetry with `npm run bench`; this script never builds
//           --cpu-prof       run the server under `node --cpu-prof` and summarise where its main thread spent time
//           --scenarios=a,b  run only some of profile,login,register,mixed,feed-list,purchase,
//                            purchase-one-author,nggirl-cosmetics
// Environment: BENCH_DURATION (s, default 15; 3 for a smoke run), BENCH_CONNECTIONS (32), BENCH_USERS (200),
//           BENCH_FEEDS (1000000) and BENCH_FEED_AUTHORS (1000) for feed-list,
//           BENCH_WARMUP (s), BENCH_BOUND_SECONDS (8), BENCH_WRK=0 (autocannon even where wrk exists),
//           BENCH_QUIET_WAIT (s, default 0: before each timed run wait up to that long for an idle machine),
//           BENCH_NODE_ARGS (extra node flags for the server, e.g. "--trace-gc"),
//           DATABASE_URL (use this database as is), BENCH_PG=embedded (skip the machine's PostgreSQL).

// The parts, in the order a run goes through them: config.mjs (the options above), lifecycle.mjs (clean-up,
// interruption, the time budget), harness.mjs (PostgreSQL, the server process, /proc readings, the load generators),
// seed.mjs (users through the API), measure.mjs (one timed scenario and the CPU around it), scenarios/*.mjs (what
// each scenario sends), bound.mjs (the argon2id bound, login-stand-in.mjs beside it), report.mjs (targets, report).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineBounds, makeBound } from './bound.mjs';
import {
  BOUND_S,
  CONNECTIONS,
  CPU_PROF,
  DURATION_S,
  FEED_AUTHORS,
  FEEDS,
  MIXED_CONNECTIONS,
  QUIET_WAIT_S,
  RESULTS_DIR,
  ROOT,
  SCENARIOS,
  USE_WRK,
  USERS,
  WARMUP_S,
} from './config.mjs';
import { formatSummary } from './cpu-profile-summary.mjs';
import {
  describeDatabase,
  freePort,
  log,
  openProbe,
  provisionDatabase,
  ServerProcess,
  stopAllLoad,
  withTimeout,
} from './harness.mjs';
import { abortOnSignalsAndAfter, cleanup, isAborting, onCleanup } from './lifecycle.mjs';
import { makeMeasure } from './measure.mjs';
import { evaluateTargets, formatReport, summariseProfiles } from './report.mjs';
import {
  feedListDeepScenario,
  feedListFirstScenario,
  feedListTargets,
  preflightFeedList,
} from './scenarios/feed-list.mjs';
import { runLoginWithBound } from './scenarios/login.mjs';
import { mixedScenario } from './scenarios/mixed.mjs';
import { profileScenario } from './scenarios/profile.mjs';
import {
  nggirlCosmeticsScenario,
  nggirlServerEnv,
  nggirlTargets,
  seedNggirlArtists,
} from './scenarios/nggirl-cosmetics.mjs';
import { purchaseScenarios, purchaseTargets } from './scenarios/purchase.mjs';
import { registerScenario } from './scenarios/register.mjs';
import { preflight, seedFeeds, seedUsers } from './seed.mjs';

// Everything is bounded: the scenarios' own time plus generous allowances for start-up, seeding and clean-up.
abortOnSignalsAndAfter(
  180 + // database, server start, seeding
    SCENARIOS.length * (WARMUP_S + DURATION_S + 30 + QUIET_WAIT_S) +
    (SCENARIOS.some((s) => s === 'login' || s === 'register') ? 3 * (BOUND_S + 30 + QUIET_WAIT_S) : 0) +
    // feed-list: seeding (about a minute per million feeds on a shared 2-core machine), and its second timed page
    (SCENARIOS.includes('feed-list')
      ? 60 + Math.ceil(FEEDS / 1_000_000) * 240 + WARMUP_S + DURATION_S + 30 + QUIET_WAIT_S
      : 0) +
    (SCENARIOS.some((s) => s.startsWith('purchase')) ? 60 : 0) + // grants and paid videos for the purchases
    (SCENARIOS.includes('nggirl-cosmetics') ? 60 : 0) + // artists signing in, signed paths written per run
    60, // clean-up
);

const startedAt = new Date();
let server;

try {
  await main();
} catch (error) {
  if (!isAborting()) {
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
      ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    // nggirl's apps, and its nonces in PostgreSQL.
    env: SCENARIOS.includes('nggirl-cosmetics') ? nggirlServerEnv() : {},
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

  const target = { baseUrl: server.url, users, workDir };
  const scenarios = [];
  let bounds = {};
  let feedList;
  const storedHash = await probe.storedHash(users[0].email);
  if (!storedHash) throw new Error('no stored password hash found for a seeded user');

  const measure = makeMeasure(server, probe);
  const measureBound = makeBound({ server, storedHash, digest: users[0].digest });
  if (SCENARIOS.includes('profile')) {
    scenarios.push(await measure('profile', profileScenario(target), CONNECTIONS));
  }
  if (SCENARIOS.includes('login')) {
    const login = await runLoginWithBound({
      target,
      measure,
      measureBound,
      probe,
      databaseUrl: db.url,
      workDir,
      loginAnswer,
    });
    scenarios.push(login.scenario);
    bounds = login.bounds;
  } else if (SCENARIOS.includes('register')) {
    bounds.quiet = await measureBound('quiet');
  }
  if (SCENARIOS.includes('register')) {
    scenarios.push(await measure('register', registerScenario(target), CONNECTIONS));
  }
  if (SCENARIOS.includes('mixed')) {
    scenarios.push(await measure('mixed', mixedScenario(target), MIXED_CONNECTIONS));
  }
  if (SCENARIOS.includes('feed-list')) {
    const { listed, deepMaxId } = await withTimeout(
      seedFeeds(db.url, FEEDS, FEED_AUTHORS),
      (60 + Math.ceil(FEEDS / 1_000_000) * 240) * 1000,
      'seeding feeds',
    );
    feedList = { listed, deepMaxId };
    await preflightFeedList(server.url, users[0], deepMaxId);
    scenarios.push(await measure('feed-list first', feedListFirstScenario(target), CONNECTIONS));
    scenarios.push(await measure('feed-list deep', feedListDeepScenario(target, deepMaxId), CONNECTIONS));
  }
  if (SCENARIOS.some((s) => s.startsWith('purchase'))) {
    const purchases = await withTimeout(
      purchaseScenarios({ ...target, databaseUrl: db.url, scenarios: SCENARIOS }),
      120_000,
      'seeding purchases',
    );
    for (const name of ['purchase', 'purchase-one-author']) {
      if (purchases[name]) scenarios.push(await measure(name, purchases[name], CONNECTIONS));
    }
  }
  if (SCENARIOS.includes('nggirl-cosmetics')) {
    const tokens = await withTimeout(
      seedNggirlArtists({ ...target, databaseUrl: db.url }),
      60_000,
      'signing nggirl artists in',
    );
    const nggirl = nggirlCosmeticsScenario(target, tokens);
    scenarios.push(
      await measure('nggirl-cosmetics', nggirl.drive, CONNECTIONS, { afterWarmup: nggirl.prepare }),
    );
  }
  const lifetimePeakKb = scenarios.at(-1)?.memory.lifetimePeakKb;

  await probe.close();
  await server.stop();
  const cpuProfile = CPU_PROF ? summariseProfiles(profileDir, scenarios) : undefined;

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
        ? 'wrk for /user/profile (also in mixed), /feed/list and /pay/view, autocannon for login and register'
        : 'autocannon for every scenario (wrk not on PATH or BENCH_WRK=0)',
      durationS: DURATION_S,
    },
    config: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      mixedConnections: MIXED_CONNECTIONS,
      users: USERS,
      ...(feedList
        ? { feeds: feedList.listed, feedAuthors: FEED_AUTHORS, deepMaxId: feedList.deepMaxId }
        : {}),
      boundSeconds: BOUND_S,
      quietWaitS: QUIET_WAIT_S,
    },
    scenarios,
    serverLifetimePeakRssKb: lifetimePeakKb,
    bound,
    targets: [
      ...evaluateTargets(scenarios, bound),
      ...feedListTargets(scenarios, CONNECTIONS),
      ...purchaseTargets(scenarios),
      ...nggirlTargets(scenarios),
    ],
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

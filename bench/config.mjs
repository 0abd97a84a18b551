// The benchmark's settings: the command line and BENCH_* variables (documented at the top of bench/run.mjs), read
// once when the benchmark starts, and the fixed values every part of it shares.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wrkAvailable } from './harness.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const ALL_SCENARIOS = [
  'profile',
  'login',
  'register',
  'mixed',
  'feed-list',
  'purchase',
  'purchase-one-author',
  'nggirl-cosmetics',
];

/** nuzzle's common parameters, which real clients send with every request (the document marks `tz` required). */
export const COMMON = { tz: 'Asia/Shanghai', pf: 'android', locale: 'zh_CN' };
export const PROFILE_PATH = `/user/profile?${new URLSearchParams(COMMON)}`;

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(readHeaderComment(join(ROOT, 'bench', 'run.mjs')));
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

export const CPU_PROF = flags['cpu-prof'];
export const DURATION_S = envNumber('BENCH_DURATION', 15);
export const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32, { integer: true });
export const MIXED_CONNECTIONS = Math.max(1, Math.round(CONNECTIONS / 2));
export const USERS = envNumber('BENCH_USERS', 200, { integer: true });
/** Feeds the feed-list scenario lists (bench/seed-feeds.sql), their authors, and the page it asks for. */
export const FEEDS = envNumber('BENCH_FEEDS', 1_000_000, { integer: true });
export const FEED_AUTHORS = envNumber('BENCH_FEED_AUTHORS', 1000, { integer: true });
export const FEED_PAGE_SIZE = 20;
/** The deep page starts this many listed feeds above the oldest one: "near the end" of the newest-first list. */
export const FEED_DEEP_OFFSET = 1000;
// Long enough for V8 to optimise the hot paths and for the pool to open all its connections, short for smoke runs.
export const WARMUP_S = envNumber('BENCH_WARMUP', Math.min(3, Math.max(1, Math.round(DURATION_S / 5))), {
  min: 0,
});
export const BOUND_S = envNumber('BENCH_BOUND_SECONDS', Math.min(8, Math.max(2, DURATION_S)));
export const USE_WRK = process.env.BENCH_WRK !== '0' && wrkAvailable();
// On a shared machine, wait up to this many seconds before each timed run for other work to calm down (0: never).
export const QUIET_WAIT_S = envNumber('BENCH_QUIET_WAIT', 0, { min: 0 });
export const SCENARIOS = flags.scenarios
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of SCENARIOS)
  if (!ALL_SCENARIOS.includes(s))
    throw new Error(`unknown scenario "${s}"; known: ${ALL_SCENARIOS.join(', ')}`);

export const TARGET = {
  profileRps: 2500,
  profileP99Ms: 25,
  boundShare: 0.8,
  feedListRps: 1500,
  feedListRssMb: 300,
};
/** More than this many cores busy outside the server, its PostgreSQL and the load generator marks a run as disturbed. */
export const OTHER_CORES_LIMIT = 0.25;
// What the server does with the hash (see src/auth/password-hasher.ts); the bound warns if the stored hash differs.
export const EXPECTED_ARGON2 = { variant: 'id', m: 19456, t: 2, p: 1 };

/** Names this run's users apart from any earlier run's in the same database. */
export const runId = randomBytes(3).toString('hex');
export const md5 = (text) => createHash('md5').update(text).digest('hex');

/** --help prints the comment at the top of bench/run.mjs. */
function readHeaderComment(file) {
  const lines = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${lines.join('\n')}\n`;
}

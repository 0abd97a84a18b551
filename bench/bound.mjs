// The argon2id bound: how many password verifications per second this machine does with every core busy, no HTTP
// (bench/argon2-bound.mjs, in a process of its own). Login and register are reported as a share of it.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BOUND_S, CONNECTIONS, EXPECTED_ARGON2, OTHER_CORES_LIMIT, ROOT } from './config.mjs';
import { cpuOf, log, sleep, withTimeout } from './harness.mjs';
import { killOnAbortWhileRunning } from './lifecycle.mjs';
import { cpuDelta, cpuSnapshot, waitForQuiet } from './measure.mjs';

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
export function makeBound({ server, storedHash, digest }) {
  return (label, beside) => measureBound(server, storedHash, digest, label, beside);
}

async function measureBound(server, storedHash, digest, label, beside) {
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
  const forgetChild = killOnAbortWhileRunning(child);
  // The machine's CPU around the run shows whether something else took cores from the bound.
  const pgPids = beside ? await beside.probe.backendPids() : [];
  const before = cpuSnapshot(server.pid, pgPids);
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
  forgetChild();
  const after = cpuSnapshot(server.pid, pgPids);
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
export async function startStandIn(databaseUrl, answerFile) {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'login-stand-in.mjs'), databaseUrl, answerFile],
    {
      cwd: ROOT,
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

/** A sample that did not get its cores, or shared the machine with other work. */
export function boundDisturbed(sample) {
  return sample.coresUsed < 0.8 * sample.concurrency || sample.otherCores > OTHER_CORES_LIMIT;
}

/** The bound of the run, from its samples: see measureBound. */
export function combineBounds({ before, after, quiet }) {
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

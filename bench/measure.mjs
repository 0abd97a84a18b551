// How one scenario is run and what is counted around it: an untimed warm-up, the timed run, the server's memory
// sampled throughout, and the CPU each party took (the server's main thread and its other threads, its PostgreSQL
// backends, the load generator, everything else on the machine).
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DURATION_S, QUIET_WAIT_S, WARMUP_S } from './config.mjs';
import { cpuOf, log, machineCpu, sampleMemory, sleep, threadCpuOf } from './harness.mjs';

/**
 * Runs one scenario: an untimed warm-up, then the timed run, with the server's memory sampled throughout and the
 * CPU of the server, its PostgreSQL backends, the load generator and the rest of the machine counted.
 */
export function makeMeasure(server, probe) {
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
    const before = cpuSnapshot(server.pid, pidsBefore);
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
    const after = cpuSnapshot(server.pid, [...new Set([...pidsBefore, ...(await probe.backendPids())])]);
    server.assertAlive();
    const cpu = cpuDelta(before, after);
    // The event loop's cost of one request: what caps a single Node process once the main thread is saturated.
    if (parts.length === 1) cpu.mainMsPerRequest = (cpu.serverMain * 1000) / parts[0].rps;
    return { name, connections, parts, memory, cpu, quiet, window };
  };
}

/** The CPU seconds so far of the server (by thread), of these PostgreSQL backends, of the generator and the machine. */
export function cpuSnapshot(serverPid, pgPids) {
  const self = cpuOf(process.pid);
  const usage = process.cpuUsage();
  return {
    t: performance.now(),
    server: threadCpuOf(serverPid) ?? { main: 0, others: 0 },
    postgres: new Map(pgPids.map((pid) => [pid, cpuOf(pid)?.seconds])),
    // autocannon runs in this process; wrk is a child whose CPU lands in our children's total once it exits.
    generator: (usage.user + usage.system) / 1e6 + (self?.childrenSeconds ?? 0),
    machine: machineCpu(),
  };
}

/** Average cores used during the run by each party; "other" is everything else busy on the machine. */
export function cpuDelta(a, b) {
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
export async function waitForQuiet(what) {
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

/** The monotonic clock in µs, as V8's CPU profiles count time. */
function monotonicUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

// Clean-up and interruption: whatever the benchmark starts (a database, the server, the stand-in, temporary
// folders) is stopped exactly once, whether the run succeeds, fails, is interrupted or runs out of time.
import { log, stopAllLoad } from './harness.mjs';

/** Clean-up steps, run last-in first-out exactly once, on success, failure, ctrl-C or timeout. */
const cleanupSteps = [];
let cleanupPromise;

export function onCleanup(name, run) {
  cleanupSteps.push({ name, run });
}

export function cleanup() {
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

/** What must die at once when the run is aborted (a child that would otherwise run its course). */
const killOnAbort = new Set();

/** Kills `child` if the run is aborted while it runs; returns the function that forgets it. */
export function killOnAbortWhileRunning(child) {
  const kill = () => child.kill('SIGKILL');
  killOnAbort.add(kill);
  return () => killOnAbort.delete(kill);
}

let aborting = false;

export function isAborting() {
  return aborting;
}

/** Stops the load, kills what must die, cleans up and exits with `exitCode`. */
export async function abort(reason, exitCode) {
  if (aborting) return;
  aborting = true;
  log(`${reason}: stopping`);
  stopAllLoad();
  for (const kill of killOnAbort) kill();
  await cleanup();
  process.exit(exitCode);
}

/** ctrl-C, SIGTERM and the time budget all abort the run. */
export function abortOnSignalsAndAfter(budgetS) {
  process.on('SIGINT', () => void abort('interrupted', 130));
  process.on('SIGTERM', () => void abort('terminated', 143));
  setTimeout(() => void abort(`time budget of ${budgetS} s exceeded`, 1), budgetS * 1000).unref();
}

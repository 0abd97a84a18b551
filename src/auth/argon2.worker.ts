import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashSync, verifySync } from '@node-rs/argon2';
import type { Argon2Job } from '#src/auth/argon2-threads.js';

/**
 * One of Argon2Threads' threads (src/auth/argon2-threads.ts), which starts it from the build: it hashes and verifies
 * the jobs posted to it, one at a time, and answers each with the times it ran, on the clock all threads share.
 */

export interface Argon2ThreadData {
  /** 0 keeps the process's priority; 1–19 lowers this thread's below the event loop's. */
  nice: number;
}

export type Argon2ThreadJob = Argon2Job & { id: number };

export interface Argon2ThreadReply {
  id: number;
  value?: string | boolean;
  error?: string;
  startedNs: bigint;
  endedNs: bigint;
}

const port = parentPort;
if (!port) throw new Error('argon2.worker runs as a worker thread only');
const { nice } = workerData as Argon2ThreadData;

if (nice > 0) {
  // Linux applies setpriority() to the one thread whose id it is given, and /proc/thread-self names this thread.
  // Elsewhere (or without /proc) the thread keeps the process's priority.
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // Not Linux: nothing to lower.
  }
}

port.on('message', (job: Argon2ThreadJob) => {
  const startedNs = process.hrtime.bigint();
  let reply: Argon2ThreadReply;
  try {
    const value = job.op === 'hash' ? hashSync(job.digest, job.options) : verifySync(job.stored, job.digest);
    reply = { id: job.id, value, startedNs, endedNs: process.hrtime.bigint() };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    reply = { id: job.id, error: message || String(error), startedNs, endedNs: process.hrtime.bigint() };
  }
  port.postMessage(reply);
});

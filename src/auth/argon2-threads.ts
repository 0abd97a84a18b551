import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type Argon2Options = Readonly<{
  algorithm: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}>;

export type Argon2Job =
  { op: 'hash'; digest: string; options: Argon2Options } | { op: 'verify'; stored: string; digest: string };

/** What a thread reports of one job: its answer, which thread ran it, and when (a clock shared by all threads). */
export interface Argon2Outcome<T> {
  value: T;
  thread: number;
  startedNs: bigint;
  endedNs: bigint;
}

interface Reply {
  id: number;
  value?: string | boolean;
  error?: string;
  startedNs: bigint;
  endedNs: bigint;
}

interface Pending {
  resolve: (outcome: Argon2Outcome<string | boolean>) => void;
  reject: (error: Error) => void;
}

interface Lane {
  worker: Worker;
  pending: Map<number, Pending>;
}

// Eval'd rather than loaded from a file, so it runs the same from dist/ and under ts-jest (which has no .js beside
// the .ts). The argon2 binding is resolved by the parent and handed over, not looked up from the thread's cwd.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hashSync, verifySync } = require(workerData.argon2);
if (workerData.nice > 0) {
  // Linux applies setpriority() to the one thread whose id it is given, and /proc/thread-self names this thread.
  // Elsewhere (or without /proc) the thread keeps the process's priority.
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.nice);
  } catch {}
}
parentPort.on('message', (job) => {
  const startedNs = process.hrtime.bigint();
  try {
    const value = job.op === 'hash' ? hashSync(job.digest, job.options) : verifySync(job.stored, job.digest);
    parentPort.postMessage({ id: job.id, value, startedNs, endedNs: process.hrtime.bigint() });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.message) || error), startedNs, endedNs: process.hrtime.bigint() });
  }
});
`;

/**
 * A fixed number of threads that only hash and verify, each working through its own queue.
 *
 * Why not libuv's pool behind a semaphore: there, a finished hash frees its slot only when the event loop gets round
 * to the completion, so under load a core waits for the loop between two hashes; and queued hashes would hold up the
 * pool's other users (file system, DNS). Here a thread takes its next job the moment it finishes one, and the event
 * loop only posts and receives messages. The number of threads caps hashing's share of the CPU.
 */
export class Argon2Threads {
  private readonly lanes: Array<Lane | undefined>;
  private readonly binding = createRequire(import.meta.url).resolve('@node-rs/argon2');
  private readonly nice: number;
  private nextId = 0;
  private closed = false;

  /**
   * `nice` (0–19) lowers the threads' scheduling priority below the event loop's: when both want a core, the loop
   * gets it, so the requests it serves (a profile read, say) wait less while logins saturate the machine, and hashing
   * still takes every cycle the loop leaves. Linux only; elsewhere it is ignored.
   */
  constructor(size: number, { nice = 0 }: { nice?: number } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`argon2 threads: ${size} is not a count`);
    if (!Number.isInteger(nice) || nice < 0 || nice > 19)
      throw new RangeError(`argon2 threads: nice ${nice}`);
    this.nice = nice;
    this.lanes = new Array<Lane | undefined>(size).fill(undefined);
  }

  get size(): number {
    return this.lanes.length;
  }

  run(job: Argon2Job & { op: 'hash' }): Promise<Argon2Outcome<string>>;
  run(job: Argon2Job & { op: 'verify' }): Promise<Argon2Outcome<boolean>>;
  run(job: Argon2Job): Promise<Argon2Outcome<string | boolean>> {
    if (this.closed) return Promise.reject(new Error('argon2 threads are closed'));
    const lane = this.leastBusy();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      lane.pending.set(id, { resolve, reject });
      lane.worker.postMessage({ ...job, id });
    });
  }

  /** Stops every thread; jobs still queued are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (lane, i) => {
        if (!lane) return;
        this.lanes[i] = undefined;
        this.fail(lane, new Error('argon2 threads are closed'));
        await lane.worker.terminate();
      }),
    );
  }

  /** Threads start on first use: a process that never hashes (a CLI command, most tests) starts none. */
  private leastBusy(): Lane {
    let best: Lane | undefined;
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = (this.lanes[i] ??= this.spawn(i));
      if (!best || lane.pending.size < best.pending.size) best = lane;
      if (best.pending.size === 0) break;
    }
    return best!;
  }

  private spawn(index: number): Lane {
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { argon2: this.binding, nice: this.nice },
      name: `argon2-${index}`,
    });
    const lane: Lane = { worker, pending: new Map() };
    // The threads never keep the process alive on their own: shutdown does not wait for an idle pool.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const job = lane.pending.get(reply.id);
      if (!job) return;
      lane.pending.delete(reply.id);
      if (reply.error !== undefined) job.reject(new Error(`argon2: ${reply.error}`));
      else {
        job.resolve({
          value: reply.value!,
          thread: worker.threadId,
          startedNs: reply.startedNs,
          endedNs: reply.endedNs,
        });
      }
    });
    // A thread that dies takes only its own queue with it; the next job starts a replacement.
    const lost = (error: Error) => {
      if (this.lanes[index] === lane) this.lanes[index] = undefined;
      this.fail(lane, error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`argon2 thread exited (${code})`)));
    return lane;
  }

  private fail(lane: Lane, error: Error): void {
    for (const job of lane.pending.values()) job.reject(error);
    lane.pending.clear();
  }
}

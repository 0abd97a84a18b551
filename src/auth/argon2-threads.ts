import { Worker } from 'node:worker_threads';
import type { Argon2ThreadData, Argon2ThreadJob, Argon2ThreadReply } from '#src/auth/argon2.worker.js';

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

interface Pending {
  resolve: (outcome: Argon2Outcome<string | boolean>) => void;
  reject: (error: Error) => void;
}

interface Lane {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * The threads' own file, from the build: the package's `imports` map sends `#src/` to dist/ (under jest too, which
 * builds first and maps `*.worker.js` to dist/: a thread runs outside jest's module graph, so never the .ts).
 * Resolved when the first thread starts.
 */
let threadFile: URL | undefined;

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
      lane.worker.postMessage({ ...job, id } satisfies Argon2ThreadJob);
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
    threadFile ??= new URL(import.meta.resolve('#src/auth/argon2.worker.js'));
    const worker = new Worker(threadFile, {
      workerData: { nice: this.nice } satisfies Argon2ThreadData,
      name: `argon2-${index}`,
    });
    const lane: Lane = { worker, pending: new Map() };
    // The threads never keep the process alive on their own: shutdown does not wait for an idle pool.
    worker.unref();
    worker.on('message', (reply: Argon2ThreadReply) => {
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

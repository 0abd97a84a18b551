import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Argon2Outcome, Argon2Threads } from '#src/auth/argon2-threads.js';
import { ARGON2ID } from '#src/auth/password-hasher.js';

// Cheap parameters: these tests are about the threads, not the hash.
const FAST = { ...ARGON2ID, memoryCost: 1024, timeCost: 1 };

describe(Argon2Threads.name, () => {
  let sut: Argon2Threads | undefined;
  afterEach(() => sut?.close());

  const hash = (threads: Argon2Threads, digest = 'digest', options = FAST) =>
    threads.run({ op: 'hash', digest, options });
  /** Whether two jobs' run times overlap, by the clock all threads share. */
  const overlap = (a: Argon2Outcome<unknown>, b: Argon2Outcome<unknown>) =>
    a.startedNs < b.endedNs && b.startedNs < a.endedNs;

  it('should hash and verify on its threads', async () => {
    sut = new Argon2Threads(1);
    const { value: stored } = await hash(sut);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect((await sut.run({ op: 'verify', stored, digest: 'digest' })).value).toBe(true);
    expect((await sut.run({ op: 'verify', stored, digest: 'other' })).value).toBe(false);
  });

  it('should reject a job the library refuses, and go on working', async () => {
    sut = new Argon2Threads(1);
    await expect(sut.run({ op: 'verify', stored: 'not a hash', digest: 'x' })).rejects.toThrow(/^argon2: /);
    await expect(hash(sut)).resolves.toMatchObject({ value: expect.stringMatching(/^\$argon2id\$/) });
  });

  it('should run one job at a time on a single thread', async () => {
    sut = new Argon2Threads(1);
    const jobs = await Promise.all([hash(sut), hash(sut), hash(sut)]);
    expect(new Set(jobs.map((j) => j.thread)).size).toBe(1);
    expect(overlap(jobs[0], jobs[1]) || overlap(jobs[1], jobs[2]) || overlap(jobs[0], jobs[2])).toBe(false);
  });

  it('should spread jobs over its threads and never use more', async () => {
    sut = new Argon2Threads(2);
    await Promise.all([hash(sut), hash(sut)]); // both threads started and warm
    // The real parameters: long enough that jobs posted together run side by side.
    const jobs = await Promise.all(Array.from({ length: 4 }, () => hash(sut!, 'digest', ARGON2ID)));
    expect(new Set(jobs.map((j) => j.thread)).size).toBe(2);
    expect(jobs.some((a) => jobs.some((b) => a.thread !== b.thread && overlap(a, b)))).toBe(true);
    // At every job's start, at most two jobs are running.
    for (const job of jobs) {
      expect(
        jobs.filter((other) => other.startedNs <= job.startedNs && job.startedNs < other.endedNs).length,
      ).toBeLessThanOrEqual(2);
    }
  });

  it('should fail the jobs of a thread that dies, and replace the thread', async () => {
    sut = new Argon2Threads(1);
    const first = await hash(sut);
    const lanes = (sut as unknown as { lanes: Array<{ worker: { terminate(): Promise<number> } }> }).lanes;
    const pending = hash(sut, 'digest', ARGON2ID);
    await lanes[0].worker.terminate();
    await expect(pending).rejects.toThrow(/exited/);
    const next = await hash(sut);
    expect(next.thread).not.toBe(first.thread);
  });

  it('should refuse work once closed, and refuse what was queued', async () => {
    sut = new Argon2Threads(1);
    const queued = Promise.allSettled([hash(sut, 'a', ARGON2ID), hash(sut, 'b', ARGON2ID)]);
    await sut.close();
    expect((await queued).map((r) => r.status === 'rejected' && String(r.reason))).toEqual([
      'Error: argon2 threads are closed',
      'Error: argon2 threads are closed',
    ]);
    await expect(hash(sut)).rejects.toThrow('closed');
  });

  it('should refuse a thread count that is not one or more', () => {
    expect(() => new Argon2Threads(0)).toThrow(RangeError);
    expect(() => new Argon2Threads(1.5)).toThrow(RangeError);
  });

  it('should refuse a nice value outside 0–19', () => {
    expect(() => new Argon2Threads(1, { nice: -1 })).toThrow(RangeError);
    expect(() => new Argon2Threads(1, { nice: 20 })).toThrow(RangeError);
  });

  const linux = existsSync('/proc/thread-self') ? it : it.skip;

  /** The nice value of each thread of this process, from /proc (field 19 of a task's stat). */
  const threadNices = (): number[] =>
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

  linux('should lower the priority of its threads, and only theirs, to the nice it was given', async () => {
    const before = threadNices();
    sut = new Argon2Threads(2, { nice: 7 });
    await Promise.all([hash(sut), hash(sut)]);

    const after = threadNices();
    expect(after.filter((nice) => nice === 7)).toHaveLength(before.filter((nice) => nice === 7).length + 2);
    expect(after.filter((nice) => nice !== 7).length).toBeGreaterThanOrEqual(
      before.filter((n) => n !== 7).length,
    );
  });
});

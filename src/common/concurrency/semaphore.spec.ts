import { describe, expect, it } from '@jest/globals';
import { Semaphore } from '#src/common/concurrency/semaphore.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(Semaphore.name, () => {
  it('should never run more than its limit at once', async () => {
    const sut = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, (_, i) =>
      sut.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
        active--;
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(active).toBe(0);
  });

  it('should start waiting tasks only when a running one finishes', async () => {
    const sut = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      sut.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);

    gates[1].resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);

    gates[0].resolve();
    gates[2].resolve();
    await Promise.all(runs);
  });

  it('should start waiting tasks in arrival order', async () => {
    const sut = new Semaphore(1);
    const order: string[] = [];
    const first = deferred();
    const runs = [
      sut.run(async () => {
        order.push('a');
        await first.promise;
      }),
      ...['b', 'c', 'd', 'e'].map((name) =>
        sut.run(async () => {
          order.push(name);
          await settle();
        }),
      ),
    ];
    await settle();
    expect(order).toEqual(['a']);
    first.resolve();
    await Promise.all(runs);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('should pass the task result and rejection through', async () => {
    const sut = new Semaphore(1);
    await expect(sut.run(() => Promise.resolve('value'))).resolves.toBe('value');
    await expect(sut.run(() => Promise.reject(new Error('task failed')))).rejects.toThrow('task failed');
  });

  it('should release its slot when a task rejects', async () => {
    const sut = new Semaphore(1);
    const failing = deferred();
    const failed = sut.run(() => failing.promise);
    let nextRan = false;
    const next = sut.run(() => {
      nextRan = true;
      return Promise.resolve('next');
    });
    await settle();
    expect(nextRan).toBe(false);

    failing.reject(new Error('boom'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(nextRan).toBe(true);
  });

  it('should release its slot when a task throws synchronously', async () => {
    const sut = new Semaphore(1);
    await expect(
      sut.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(sut.run(() => Promise.resolve('after'))).resolves.toBe('after');
  });

  it('should keep its limit after many rejections', async () => {
    const sut = new Semaphore(2);
    await Promise.allSettled(Array.from({ length: 10 }, () => sut.run(() => Promise.reject(new Error('x')))));
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        sut.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await settle();
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});

import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { HashAdmission, type HashAdmissionOptions } from '#src/auth/hash-admission.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Checks whose work the test finishes by hand; records when each started and when its caller got the answer. */
function harness(options: Partial<HashAdmissionOptions> = {}) {
  const sut = new HashAdmission({ depth: 2, maxGroup: 64, exitGroup: 2, maxHoldMs: 1_000, ...options });
  const events: string[] = [];
  const finishers = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  const outcomes = new Map<string, Promise<string>>();
  const start = (name: string): void => {
    const outcome = sut.run(
      () =>
        new Promise<string>((resolve, reject) => {
          events.push(`start ${name}`);
          finishers.set(name, { ok: () => resolve(name), fail: reject });
        }),
    );
    outcome.then(
      () => events.push(`answer ${name}`),
      () => events.push(`failure ${name}`),
    );
    outcomes.set(name, outcome);
  };
  const finish = async (name: string) => {
    finishers.get(name)!.ok();
    await settle();
  };
  return { sut, events, start, finish, outcomes, finishers };
}

describe(HashAdmission.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should let checks straight in while fewer than depth are inside', async () => {
    const { sut, events, start } = harness({ depth: 2 });

    start('a');
    start('b');
    start('c');
    await settle();

    expect(events).toEqual(['start a', 'start b']);
    expect(sut.load).toEqual({ inside: 2, waiting: 1, held: 0 });
  });

  it('should let every waiting check in together once fewer than depth are inside', async () => {
    const { sut, events, start, finish } = harness({ depth: 2, exitGroup: 10 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) start(name);
    await settle();

    await finish('a');

    expect(events.filter((e) => e.startsWith('start'))).toEqual([
      'start a',
      'start b',
      'start c',
      'start d',
      'start e',
    ]);
    expect(sut.load).toEqual({ inside: 4, waiting: 0, held: 0 });
  });

  it('should let in at most maxGroup at a time, oldest first', async () => {
    const { sut, events, start, finish } = harness({ depth: 1, maxGroup: 2 });
    for (const name of ['a', 'b', 'c', 'd']) start(name);
    await settle();

    await finish('a');

    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start a', 'start b', 'start c']);
    expect(sut.load.waiting).toBe(1);
  });

  it('should answer at once while fewer than exitGroup other checks are queued', async () => {
    const { events, start, finish } = harness({ depth: 2, exitGroup: 3 });
    for (const name of ['a', 'b', 'c']) start(name);
    await settle();

    // Two others are still queued (b hashing, c let in as a left): fewer than three.
    await finish('a');

    expect(events).toContain('answer a');
  });

  it('should hold finished checks while exitGroup others are queued, and answer them together once exitGroup have finished', async () => {
    const { sut, events, start, finish } = harness({ depth: 2, exitGroup: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) start(name);
    await settle();

    await finish('a');
    expect(events).not.toContain('answer a');
    expect(sut.load).toEqual({ inside: 4, waiting: 0, held: 1 });

    await finish('b');
    expect(events.slice(-2)).toEqual(['answer a', 'answer b']);
    expect(sut.load.held).toBe(0);
  });

  it('should answer a held check after maxHoldMs when no other finishes', async () => {
    jest.useFakeTimers();
    const { events, start, finishers } = harness({ depth: 1, exitGroup: 2, maxHoldMs: 40 });
    for (const name of ['a', 'b', 'c']) start(name);
    await jest.advanceTimersByTimeAsync(0);

    finishers.get('a')!.ok();
    await jest.advanceTimersByTimeAsync(39);
    expect(events).not.toContain('answer a');

    await jest.advanceTimersByTimeAsync(1);
    expect(events).toContain('answer a');
  });

  it('should answer every held check as soon as the queue runs short', async () => {
    const { events, start, finish } = harness({ depth: 2, exitGroup: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) start(name);
    await settle();

    await finish('a');
    await finish('b');
    expect(events.filter((e) => e.startsWith('answer'))).toEqual([]);

    // Only d and e are left queued when c finishes: the held checks come out with it.
    await finish('c');
    expect(events.slice(-3)).toEqual(['answer a', 'answer b', 'answer c']);
  });

  it('should never hold with maxHoldMs 0', async () => {
    const { events, start, finish } = harness({ depth: 1, exitGroup: 1, maxHoldMs: 0 });
    for (const name of ['a', 'b', 'c']) start(name);
    await settle();

    await finish('a');

    expect(events).toContain('answer a');
  });

  it('should carry a failure out like an answer, held the same way, and count the check as gone', async () => {
    const { sut, events, start, finish, finishers, outcomes } = harness({ depth: 2, exitGroup: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) start(name);
    await settle();

    finishers.get('a')!.fail(new Error('wrong password'));
    await settle();
    expect(events).not.toContain('failure a');

    await finish('b');
    expect(events.slice(-2)).toEqual(['failure a', 'answer b']);
    await expect(outcomes.get('a')).rejects.toThrow('wrong password');
    expect(sut.load).toEqual({ inside: 3, waiting: 0, held: 0 });
  });

  it('should refuse options that would stall or never hold', () => {
    const base = { depth: 1, maxGroup: 1, exitGroup: 1, maxHoldMs: 0 };
    expect(() => new HashAdmission({ ...base, depth: 0 })).toThrow(RangeError);
    expect(() => new HashAdmission({ ...base, maxGroup: 0 })).toThrow(RangeError);
    expect(() => new HashAdmission({ ...base, exitGroup: 0 })).toThrow(RangeError);
    expect(() => new HashAdmission({ ...base, maxHoldMs: -1 })).toThrow(RangeError);
    expect(() => new HashAdmission({ ...base, depth: Number.NaN })).toThrow(RangeError);
  });
});

import { describe, expect, it } from '@jest/globals';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';

/** A fetch whose queries the test answers by hand, recording the keys of each. */
function manualFetch() {
  const queries: {
    keys: number[];
    answer: (values?: Map<number, string>) => void;
    fail: (e: Error) => void;
  }[] = [];
  const fetch = (keys: number[]) =>
    new Promise<ReadonlyMap<number, string>>((resolve, reject) => {
      queries.push({
        keys,
        answer: (values) => resolve(values ?? new Map(keys.map((k) => [k, `v${k}`]))),
        fail: reject,
      });
    });
  return { fetch, queries };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A loader of one query in flight, kept busy by a first lookup, so the next lookups wait and share a query. */
function busyLoader() {
  const { fetch, queries } = manualFetch();
  const sut = new BatchWhileBusy(fetch, { maxInFlight: 1, maxBatch: 10 });
  void sut.load(0);
  /** Ends the first query; what waited is then sent as the second. */
  const release = async () => {
    queries[0].answer();
    await settle();
  };
  return { sut, queries, release };
}

describe(BatchWhileBusy.name, () => {
  it('should send a lookup at once while under maxInFlight', async () => {
    const { fetch, queries } = manualFetch();
    const sut = new BatchWhileBusy(fetch, { maxInFlight: 2, maxBatch: 10 });

    const first = sut.load(1);
    const second = sut.load(2);

    expect(queries.map((q) => q.keys)).toEqual([[1], [2]]);
    queries[1].answer();
    queries[0].answer();
    await expect(Promise.all([first, second])).resolves.toEqual(['v1', 'v2']);
  });

  it('should gather lookups that arrive while busy into one query sent when a query finishes', async () => {
    const { fetch, queries } = manualFetch();
    const sut = new BatchWhileBusy(fetch, { maxInFlight: 1, maxBatch: 10 });

    const first = sut.load(1);
    const waiting = [sut.load(2), sut.load(3), sut.load(4)];
    expect(queries).toHaveLength(1);

    queries[0].answer();
    await settle();

    expect(queries.map((q) => q.keys)).toEqual([[1], [2, 3, 4]]);
    queries[1].answer();
    await expect(first).resolves.toBe('v1');
    await expect(Promise.all(waiting)).resolves.toEqual(['v2', 'v3', 'v4']);
  });

  it('should give each waiter its own key’s value, and undefined for a key the query did not find', async () => {
    const { sut, queries, release } = busyLoader();
    const results = [sut.load(7), sut.load(8), sut.load(9)];
    await release();

    queries[1].answer(
      new Map([
        [9, 'nine'],
        [7, 'seven'],
      ]),
    );

    await expect(Promise.all(results)).resolves.toEqual(['seven', undefined, 'nine']);
  });

  it('should ask once for a key several waiters want, and answer all of them', async () => {
    const { sut, queries, release } = busyLoader();
    const same = [sut.load(5), sut.load(5), sut.load(5)];
    await release();

    expect(queries[1].keys).toEqual([5]);
    queries[1].answer();
    await expect(Promise.all(same)).resolves.toEqual(['v5', 'v5', 'v5']);
  });

  it('should never answer a lookup from a query sent before the lookup was made', async () => {
    const { fetch, queries } = manualFetch();
    const sut = new BatchWhileBusy(fetch, { maxInFlight: 2, maxBatch: 10 });

    const early = sut.load(1); // sent at once
    const late = sut.load(1); // the same key, asked after that query left: it must get a query of its own

    expect(queries.map((q) => q.keys)).toEqual([[1], [1]]);
    queries[0].answer(new Map([[1, 'before the write']]));
    queries[1].answer(new Map([[1, 'after the write']]));
    await expect(early).resolves.toBe('before the write');
    await expect(late).resolves.toBe('after the write');
  });

  it('should split what waits into batches of maxBatch, oldest first, filling every free slot', async () => {
    const { fetch, queries } = manualFetch();
    const sut = new BatchWhileBusy(fetch, { maxInFlight: 2, maxBatch: 3 });
    const all = [sut.load(1), sut.load(2)];
    for (let key = 3; key <= 9; key += 1) all.push(sut.load(key));
    expect(queries).toHaveLength(2);

    queries[0].answer();
    await settle();
    expect(queries.map((q) => q.keys)).toEqual([[1], [2], [3, 4, 5]]);

    queries[1].answer();
    await settle();
    expect(queries.map((q) => q.keys)).toEqual([[1], [2], [3, 4, 5], [6, 7, 8]]);

    queries[2].answer();
    queries[3].answer();
    await settle();
    expect(queries[4].keys).toEqual([9]);
    queries[4].answer();
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `v${k}`));
  });

  it('should reject every waiter of a failed query, and go on with the next batch', async () => {
    const { fetch, queries } = manualFetch();
    const sut = new BatchWhileBusy(fetch, { maxInFlight: 1, maxBatch: 10 });
    const first = sut.load(1);
    const batch = [sut.load(2), sut.load(3)].map((lookup) => lookup.catch((error: Error) => error.message));
    queries[0].answer();
    await settle();
    const after = sut.load(4);

    queries[1].fail(new Error('connection lost'));
    await settle();

    await expect(first).resolves.toBe('v1');
    await expect(Promise.all(batch)).resolves.toEqual(['connection lost', 'connection lost']);
    expect(queries[2].keys).toEqual([4]);
    queries[2].answer();
    await expect(after).resolves.toBe('v4');
  });

  it('should turn a fetch that throws instead of rejecting into a rejection, without wedging', async () => {
    let calls = 0;
    const sut = new BatchWhileBusy<number, string>(
      (keys) => {
        calls += 1;
        if (calls === 1) throw new Error('bad statement');
        return Promise.resolve(new Map(keys.map((k) => [k, `v${k}`])));
      },
      { maxInFlight: 1, maxBatch: 10 },
    );

    await expect(sut.load(1)).rejects.toThrow('bad statement');
    await expect(sut.load(2)).resolves.toBe('v2');
  });

  it('should refuse limits below one', () => {
    const fetch = () => Promise.resolve(new Map<number, string>());
    expect(() => new BatchWhileBusy(fetch, { maxInFlight: 0, maxBatch: 1 })).toThrow(RangeError);
    expect(() => new BatchWhileBusy(fetch, { maxInFlight: 1, maxBatch: 0 })).toThrow(RangeError);
  });
});

export interface BatchWhileBusyOptions {
  /** Queries of this loader in flight at once; a lookup arriving beyond it waits for the next batch. */
  maxInFlight: number;
  /** Keys per query at most. */
  maxBatch: number;
}

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * Point lookups by key that share round trips under load. While fewer than `maxInFlight` queries of this loader are
 * running, a lookup is sent at once on its own, so an idle server answers as fast as with one query per request.
 * Beyond that, lookups wait, and when a query finishes everything that waited goes out as one query for all the keys
 * (`WHERE id = ANY($1)`). Under load a batch of N keys costs the database one statement instead of N, and the
 * process one result to parse instead of N.
 *
 * A lookup never joins a query that is already in flight, only one not yet sent: the answer it gets was read after
 * it was asked, so a write committed before the lookup began (a revoked session, say) is always seen.
 */
export class BatchWhileBusy<K, V> {
  private inFlight = 0;
  private pending = new Map<K, Waiter<V>[]>();

  constructor(
    private readonly fetch: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly options: BatchWhileBusyOptions,
  ) {
    if (!(options.maxInFlight >= 1) || !(options.maxBatch >= 1)) {
      throw new RangeError('maxInFlight and maxBatch must be at least 1');
    }
  }

  /** The value for `key`, or undefined when the query found none. Rejects when the query fails. */
  load(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.inFlight < this.options.maxInFlight) this.dispatch();
    });
  }

  private dispatch(): void {
    const batch = this.takeBatch();
    this.inFlight += 1;
    // A fetch that throws instead of rejecting still settles its waiters.
    new Promise<ReadonlyMap<K, V>>((resolve) => resolve(this.fetch([...batch.keys()]))).then(
      (values) => {
        for (const [key, waiters] of batch) {
          const value = values.get(key);
          for (const waiter of waiters) waiter.resolve(value);
        }
        this.settled();
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        this.settled();
      },
    );
  }

  /** Up to `maxBatch` keys, oldest first: a Map iterates in insertion order, so nobody waits behind later arrivals. */
  private takeBatch(): Map<K, Waiter<V>[]> {
    if (this.pending.size <= this.options.maxBatch) {
      const all = this.pending;
      this.pending = new Map();
      return all;
    }
    const batch = new Map<K, Waiter<V>[]>();
    for (const [key, waiters] of this.pending) {
      if (batch.size === this.options.maxBatch) break;
      batch.set(key, waiters);
      this.pending.delete(key);
    }
    return batch;
  }

  private settled(): void {
    this.inFlight -= 1;
    while (this.pending.size > 0 && this.inFlight < this.options.maxInFlight) this.dispatch();
  }
}

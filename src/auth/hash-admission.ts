export interface HashAdmissionOptions {
  /** Password checks inside at once before newcomers wait: enough to keep every hashing thread busy. */
  depth: number;
  /** The most waiting checks let in together. */
  maxGroup: number;
  /** While at least this many other checks are queued, a finished check is held until this many have finished... */
  exitGroup: number;
  /** ...or this long after the first of them finished, whichever comes first. 0 releases every check at once. */
  maxHoldMs: number;
}

/**
 * Paces password work (an account lookup and its hash, or a registration's check and hash) to what the hashing
 * threads can take, and moves it in groups while they are the bottleneck.
 *
 * Going in: while fewer than `depth` checks are inside, a newcomer goes straight in, so an idle server adds no
 * wait. Beyond that, newcomers wait here instead of in the threads' queue, and when the threads run low every waiting
 * check goes in together: their lookups start in the same turn of the event loop and share one query (see
 * BatchWhileBusy). A check waits no longer than it would have in the threads' queue, since `depth` checks ahead of
 * it keep the threads busy while its lookup runs.
 *
 * Coming out: while at least `exitGroup` other checks are queued (inside or waiting), hashing is the bottleneck and
 * its queue is several hashes deep, so a finished check is held until `exitGroup` have finished or `maxHoldMs` has
 * passed, and the group goes on together: its session INSERTs share a statement, its answers leave in one burst and
 * its clients' next requests arrive together. A wake-up of the event loop is expensive on virtual machines where
 * every system call goes through the hypervisor (here 0.1-0.2 ms each, docs/performance.md); handling a group per
 * wake-up instead of one sign-in leaves that CPU to argon2, and the queue moves faster for everyone behind. With a shorter queue nothing is held: there the hold
 * would cost a sign-in more time than the faster queue saves it.
 */
export class HashAdmission {
  private inside = 0;
  private readonly waiting: Array<() => void> = [];
  private held: Array<() => void> = [];
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: HashAdmissionOptions) {
    const { depth, maxGroup, exitGroup, maxHoldMs } = options;
    if (!(depth >= 1) || !(maxGroup >= 1) || !(exitGroup >= 1) || !(maxHoldMs >= 0)) {
      throw new RangeError('depth, maxGroup and exitGroup must be at least 1, maxHoldMs at least 0');
    }
  }

  /**
   * Runs `work` once admitted and settles with its outcome, success or failure alike held the same way (an answer's
   * timing must not tell a wrong password from an unknown account or a right one).
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inside < this.options.depth && this.waiting.length === 0) this.inside += 1;
    else await new Promise<void>((admit) => this.waiting.push(admit));
    let outcome: PromiseSettledResult<T>;
    try {
      outcome = { status: 'fulfilled', value: await work() };
    } catch (reason) {
      outcome = { status: 'rejected', reason };
    }
    this.leave();
    await this.exit();
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }

  /** Checks inside (looking up or hashing), waiting to go in, and held on their way out; for tests and diagnostics. */
  get load(): { inside: number; waiting: number; held: number } {
    return { inside: this.inside, waiting: this.waiting.length, held: this.held.length };
  }

  private leave(): void {
    this.inside -= 1;
    if (this.inside >= this.options.depth || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.options.maxGroup);
    this.inside += group.length;
    for (const admit of group) admit();
  }

  private exit(): Promise<void> {
    if (this.inside + this.waiting.length < this.options.exitGroup || this.options.maxHoldMs === 0) {
      // A short queue: this check and any held before it go on now.
      this.releaseHeld();
      return Promise.resolve();
    }
    return new Promise<void>((release) => {
      this.held.push(release);
      if (this.held.length >= this.options.exitGroup) this.releaseHeld();
      else this.holdTimer ??= setTimeout(() => this.releaseHeld(), this.options.maxHoldMs);
    });
  }

  private releaseHeld(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const group = this.held;
    this.held = [];
    for (const release of group) release();
  }
}

/** Where a partition got to: its newest finished record. */
export interface CommitPoint {
  readonly topic: string;
  readonly partition: number;
}

/**
 * The offsets a consumer loop finished, committed at most once per `intervalMs`: every commit
 * takes the newest finished record of each partition since the one before, in one request.
 *
 * With one record per batch (a quiet stack) a commit per batch would be a third of all requests
 * the broker serves; Kafka's own consumer auto-commits every 5 s for the same reason. A crash
 * redoes what was finished but not committed yet, which at-least-once processing with idempotent
 * consumers already allows; `close()` commits what is left, so a clean stop redoes nothing (a
 * rebalance redoes what it interrupted, as before any commit). Commits run one after the other, in order; after a failed one none follows, and
 * `failure` tells the loop to stop (its records come again).
 */
export class PeriodicCommits<M extends CommitPoint> {
  readonly #commit: (points: M[]) => Promise<void>;
  readonly #intervalMs: number;
  readonly #pending = new Map<string, M>();
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #lastAt = Number.NEGATIVE_INFINITY;
  #failed: { error: unknown } | undefined;

  constructor(commit: (points: M[]) => Promise<void>, intervalMs: number) {
    this.#commit = commit;
    this.#intervalMs = intervalMs;
  }

  /** Finished records to commit (only the newest of each partition counts). */
  add(points: readonly M[]): void {
    if (points.length === 0 || this.#failed) return;
    for (const point of points) this.#pending.set(`${point.topic}:${point.partition}`, point);
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, wait);
  }

  /** The error of a commit that failed; nothing is committed after it. */
  get failure(): { error: unknown } | undefined {
    return this.#failed;
  }

  /** Commits what is pending now and waits for every commit to finish. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flush();
  }

  #flush(): Promise<void> {
    const points = [...this.#pending.values()];
    this.#pending.clear();
    if (points.length > 0) {
      this.#chain = this.#chain.then(async () => {
        if (this.#failed) return;
        this.#lastAt = Date.now();
        await this.#commit(points).catch((error: unknown) => {
          this.#failed ??= { error };
        });
      });
    }
    return this.#chain;
  }
}

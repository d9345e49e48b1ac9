/**
 * Joins concurrent sends into one request, without a timer: with nothing in flight a send goes
 * out at once; while a request is in flight, new sends queue, and the whole queue goes out as
 * one request when the current one returns. Under load, requests grow to what arrived during one
 * round trip; when idle, a send waits for nobody.
 *
 * A request that fails rejects every send it carried: each caller decides whether to try again.
 */
export class SendCoalescer<R, P> {
  readonly #send: (records: readonly R[]) => Promise<readonly P[]>;
  #queue: {
    records: readonly R[];
    resolve: (positions: P[]) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #inFlight = false;
  #requests = 0;

  /** `send` writes records in one request and returns their positions in the same order. */
  constructor(send: (records: readonly R[]) => Promise<readonly P[]>) {
    this.#send = send;
  }

  /** Requests sent so far (for tests and metrics). */
  get requests(): number {
    return this.#requests;
  }

  send(records: readonly R[]): Promise<P[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise<P[]>((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      if (!this.#inFlight) this.#flush();
    });
  }

  #flush(): void {
    const senders = this.#queue;
    this.#queue = [];
    this.#inFlight = true;
    this.#requests++;
    const all = senders.flatMap((sender) => sender.records);
    // The queue goes out before the callers of this request hear back, so nothing waits longer
    // than one round trip behind another.
    const next = () => {
      this.#inFlight = false;
      if (this.#queue.length > 0) this.#flush();
    };
    // Called at once; an async wrapper turns a synchronous throw into a rejection.
    const request = (async () => this.#send(all))();
    void request.then(
      (positions) => {
        next();
        let at = 0;
        for (const sender of senders) {
          sender.resolve(positions.slice(at, at + sender.records.length));
          at += sender.records.length;
        }
      },
      (error: unknown) => {
        next();
        for (const sender of senders) sender.reject(error);
      },
    );
  }
}

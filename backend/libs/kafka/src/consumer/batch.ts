import type { Logger } from '../logger.js';
import type { EventProducer, RawRecord, RecordPosition } from '../producer/index.js';
import { describeError, isGroupError } from '../errors.js';
import { retry } from '../retry/backoff.js';
import type { ConsumedOffsets, TransactionalProducer } from '../transactions/index.js';

type OnWritten = (position: RecordPosition) => void;

/**
 * What a batch of records causes: the records to write when the batch ends (outputs, state,
 * retries, dead letters), in one produce, and what to run once they are written. A record added
 * under a `slot` that is already taken replaces it: a state key changed twice in one batch is
 * written once, with its last value.
 */
export class BatchOutput {
  readonly #records = new Map<unknown, { record: RawRecord; onWritten?: OnWritten }>();
  readonly #afterWrite: (() => void | Promise<void>)[] = [];
  #next = 0;

  get size(): number {
    return this.#records.size;
  }

  add(record: RawRecord, onWritten?: OnWritten, slot: unknown = this.#next++): void {
    this.#records.set(slot, onWritten ? { record, onWritten } : { record });
  }

  /**
   * Runs once every record of the batch is written, before its offsets are committed (e.g. an
   * effect that must not run twice). It must not throw.
   */
  afterWrite(action: () => void | Promise<void>): void {
    this.#afterWrite.push(action);
  }

  records(): RawRecord[] {
    return [...this.#records.values()].map((entry) => entry.record);
  }

  /** Tells each record where it was stored, then runs the after-write actions in order. */
  async written(positions: readonly RecordPosition[]): Promise<void> {
    let at = 0;
    for (const { onWritten } of this.#records.values()) {
      const position = positions[at++];
      if (onWritten && position) onWritten(position);
    }
    for (const action of this.#afterWrite) await action();
  }
}

export interface WriteBatchOptions {
  readonly producer: EventProducer;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly groupId: string;
  /** Asked before each attempt: a batch is written only while this instance may decide. */
  readonly fence?: (() => void) | undefined;
  /**
   * Exactly-once: the records and `consumed` (the batch's consumer offsets) are committed in one
   * transaction of this producer, or not at all. A failed transaction is not tried again here:
   * nothing of it is visible, so the batch is decided anew.
   */
  readonly transactions?: TransactionalProducer | undefined;
  readonly consumed?: ConsumedOffsets | undefined;
}

// A decided batch must be written as decided: it is tried again until it is, never decided anew.
const writeBackoff = { baseMs: 200, factor: 2, maxMs: 10_000, jitter: 0.2 };

/**
 * Writes a batch's records in one produce (acks=all) and resolves once all are stored. A failed
 * produce, even one that stored part of the records, is sent again whole: the records are the
 * same, so what was stored twice is suppressed by id downstream and is the same value in state.
 */
export async function writeBatch(output: BatchOutput, options: WriteBatchOptions): Promise<void> {
  const records = output.records();
  if (options.transactions) {
    options.fence?.();
    if (records.length === 0 && !options.consumed) return output.written([]);
    return output.written(await options.transactions.runTransaction(records, options.consumed));
  }
  if (records.length === 0) {
    await output.written([]);
    return;
  }
  const positions = await retry(
    () => {
      options.fence?.();
      return options.producer.sendMany(records);
    },
    {
      // A batch the group took away while it was decided is left to the partitions' new owner.
      shouldRetry: (error) => !isGroupError(error, 'GROUP_REBALANCED'),
      signal: options.signal,
      backoff: writeBackoff,
      onRetry: ({ attempt, delayMs, error }) =>
        options.logger.error('could not write a batch; trying it again', {
          group: options.groupId,
          records: records.length,
          attempt,
          nextInMs: delayMs,
          error: describeError(error),
        }),
    },
  );
  await output.written(positions);
}

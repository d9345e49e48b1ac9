import type { KafkadogEvent } from '@kafkadog/contracts';
import type { EventMeta } from '../consumer/types.js';

/**
 * Decides whether an event's effects were already applied, so a redelivered event (Kafka
 * delivers at least once) is not applied twice. The consumer asks `isApplied` before the handler
 * and calls `markApplied` after the handler succeeded, before it commits the offset.
 */
export interface IdempotencyGuard {
  isApplied(event: KafkadogEvent, meta: EventMeta): boolean | Promise<boolean>;
  markApplied(event: KafkadogEvent, meta: EventMeta): void | Promise<void>;
}

export interface InMemoryIdempotencyGuardOptions {
  /** The most event ids remembered; the oldest are forgotten first. */
  readonly maxEntries?: number;
}

/**
 * Remembers applied event ids in process memory. It suppresses redeliveries within one run
 * (after a rebalance, a retry racing a duplicate, a replay) but forgets everything on restart:
 * a service whose effects must survive a crash rebuilds its guard from its own Kafka state.
 */
export class InMemoryIdempotencyGuard implements IdempotencyGuard {
  readonly #applied = new Set<string>();
  readonly #maxEntries: number;

  constructor(options: InMemoryIdempotencyGuardOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.#applied.size;
  }

  isApplied(event: KafkadogEvent): boolean {
    return this.#applied.has(event.id);
  }

  markApplied(event: KafkadogEvent): void {
    this.#applied.add(event.id);
    // A Set iterates in insertion order, so the first entry is the oldest.
    while (this.#applied.size > this.#maxEntries) {
      const oldest = this.#applied.values().next().value;
      if (oldest === undefined) break;
      this.#applied.delete(oldest);
    }
  }
}

import { createEvent, type EventOf } from '@kafkadog/contracts';
import { describeError, isAbortError, retry, sleep, type Logger } from '@kafkadog/kafka';
import type { StockLevels } from './inventory.decider.js';

/** Sends the events together, in one request. */
export type Publish = (events: EventOf<'StockChanged'>[]) => Promise<unknown>;

/** How often a publish held by the fence looks again. */
const FENCE_WAIT_MS = 250;

/**
 * Publishes StockChanged (compacted, key productId) for products whose numbers changed: every
 * changed product at once, in one request, with the numbers as they are when it is sent; one
 * request at a time, so the latest record of a product is always its latest numbers. Changes that
 * come in while it publishes go in the next request.
 *
 * The topic is a view for the gateway, not inventory's state: a change that was never published
 * (a crash) is corrected at the next start, which publishes every product once.
 *
 * Only an instance that may decide publishes: `fence` throws otherwise (see runSingleActive). An
 * instance frozen in the middle of a publish, and woken after a standby took over, would else
 * write its stale numbers over the new holder's.
 */
export class StockPublisher {
  readonly #dirty = new Set<string>();
  readonly #abort = new AbortController();
  #draining: Promise<void> | undefined;

  /** `levels` returns undefined while there is no stock to publish yet (it is being loaded). */
  constructor(
    private readonly levels: () => StockLevels | undefined,
    private readonly publish: Publish,
    private readonly logger: Logger,
    private readonly fence: () => void = () => {},
  ) {}

  changed(productIds: Iterable<string>): void {
    for (const id of productIds) this.#dirty.add(id);
    if (this.#dirty.size > 0 && !this.#draining && !this.#abort.signal.aborted) {
      this.#draining = this.#drain()
        .catch((error: unknown) =>
          this.logger.error('stopped publishing StockChanged', { error: describeError(error) }),
        )
        .finally(() => {
          this.#draining = undefined;
          // Changes that arrived after the last loop turn (none while the stock is loading).
          if (this.#dirty.size > 0 && this.levels()) this.changed([]);
        });
    }
  }

  /** Resolves once every change so far is published. */
  async flushed(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Publishes what is pending (one attempt each), then stops. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#draining;
  }

  /**
   * Waits while the fence is closed (a late heartbeat answer closes it for a moment). False once
   * there is nothing to publish any more: the processing stopped (the lease moved on; the next
   * start publishes every product) or the publisher closed.
   */
  async #mayPublish(): Promise<boolean> {
    for (let waited = false; ; waited = true) {
      try {
        this.fence();
        return true;
      } catch (error) {
        if (!waited) {
          this.logger.warn('StockChanged waits: this instance may not decide right now', {
            error: describeError(error),
          });
        }
      }
      if (!this.levels() || this.#abort.signal.aborted) return false;
      await sleep(FENCE_WAIT_MS, this.#abort.signal).catch(() => undefined);
    }
  }

  async #drain(): Promise<void> {
    while (this.#dirty.size > 0) {
      // Loading (a restart of the service's processing): its start publishes every product.
      if (!this.levels()) return;
      if (!(await this.#mayPublish())) return;
      // Read after the wait: the numbers as they are now.
      const levels = this.levels();
      if (!levels) return;
      const productIds = [...this.#dirty];
      this.#dirty.clear();
      const events = productIds.map((productId) =>
        createEvent('StockChanged', {
          productId,
          ...(levels[productId] ?? { available: 0, reserved: 0, sold: 0 }),
        }),
      );
      try {
        await retry(() => this.publish(events), {
          shouldRetry: () => true,
          signal: this.#abort.signal,
          backoff: { baseMs: 500, factor: 2, maxMs: 10_000, jitter: 0.2 },
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn('could not publish StockChanged; trying again', {
              products: productIds.join(' '),
              attempt,
              nextInMs: delayMs,
              error: describeError(error),
            }),
        });
      } catch (error) {
        if (!isAbortError(error)) throw error;
        this.logger.warn('stopped before StockChanged was published; the next start sends it', {
          products: productIds.join(' '),
        });
        return;
      }
    }
  }
}

import { ApiError } from '../http/api-error.js';

export interface KeyedOrder {
  readonly orderId: string;
  /** What the order was placed with, to tell a retry from a different request. */
  readonly fingerprint: string;
}

export interface KeyedResult {
  readonly orderId: string;
  /** True when the key was known: an earlier request placed the order. */
  readonly replayed: boolean;
}

/**
 * Idempotency-Key → order. Filled from orders.v1 (each OrderPlaced carries its key) and by this
 * process as it places orders; requests with one key that run at the same time share one
 * placement. The first order of a key wins, also when the log holds two.
 */
export class IdempotencyKeys {
  readonly #known = new Map<string, KeyedOrder>();
  readonly #inFlight = new Map<string, Promise<KeyedOrder>>();
  readonly #capacity: number;

  /** `capacity`: the most keys remembered (GATEWAY_MAX_IDEMPOTENCY_KEYS); the oldest go first. */
  constructor(capacity = Number.POSITIVE_INFINITY) {
    this.#capacity = capacity;
  }

  /** Records a placed order's key; a key keeps its first order. */
  remember(key: string, order: KeyedOrder): void {
    if (this.#known.has(key)) return;
    this.#known.set(key, order);
    while (this.#known.size > this.#capacity) {
      const oldest = this.#known.keys().next().value as string;
      this.#known.delete(oldest);
    }
  }

  lookup(key: string): KeyedOrder | undefined {
    return this.#known.get(key);
  }

  get size(): number {
    return this.#known.size;
  }

  /**
   * The order of `key`: the known one, the one being placed right now, or a new one placed by
   * `place`. A known key used with a different request is 422 `idempotency_key_reused`.
   */
  async placeOnce(
    key: string,
    fingerprint: string,
    place: () => Promise<string>,
  ): Promise<KeyedResult> {
    const known = this.#known.get(key);
    if (known) return replay(key, known, fingerprint);
    const pending = this.#inFlight.get(key);
    if (pending) return replay(key, await pending, fingerprint);
    // No await between the lookups above and this: a concurrent request finds this placement.
    const placing = place().then((orderId) => {
      const order = { orderId, fingerprint };
      this.remember(key, order);
      return order;
    });
    this.#inFlight.set(key, placing);
    try {
      return { orderId: (await placing).orderId, replayed: false };
    } finally {
      this.#inFlight.delete(key);
    }
  }
}

function replay(key: string, order: KeyedOrder, fingerprint: string): KeyedResult {
  if (order.fingerprint !== fingerprint) {
    throw new ApiError(422, {
      error: 'idempotency_key_reused',
      message: `Idempotency-Key ${key} was used for a different order (${order.orderId})`,
      orderId: order.orderId,
    });
  }
  return { orderId: order.orderId, replayed: true };
}

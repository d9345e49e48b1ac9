import { randomUUID } from 'node:crypto';
import { catalog, createEvent, priceOrder, type EventOf } from '@kafkadog/contracts';
import { createProducer, silentLogger, type EventProducer } from '@kafkadog/kafka';
import { request } from 'undici';

/** The body of POST /orders (DESIGN.md). */
export interface OrderBody {
  readonly customerEmail: string;
  readonly items: readonly { productId: string; quantity: number }[];
  readonly cardNumber: string;
}

/** A card the payment rules authorize. */
export const GOOD_CARD = '4242424242424242';

/**
 * Order n of a run: one or two catalog products, one of each, every product in turn. Always
 * under the payment limit and with a good card, so an order is cancelled only for want of stock.
 */
export function orderBody(n: number): OrderBody {
  const first = catalog[n % catalog.length]!;
  const second = catalog[(3 * n + 1) % catalog.length]!;
  const items = [{ productId: first.id, quantity: 1 }];
  if (n % 2 === 1 && second.id !== first.id) items.push({ productId: second.id, quantity: 1 });
  return { customerEmail: `bench+${n % 1000}@example.com`, items, cardNumber: GOOD_CARD };
}

/** OrderPlaced as the gateway builds it: priced from the catalog, a new order id. */
export function orderPlaced(body: OrderBody): EventOf<'OrderPlaced'> {
  const priced = priceOrder(body.items);
  if (!priced.ok) throw new Error(`unknown products: ${priced.unknown.join(', ')}`);
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: body.customerEmail,
      items: priced.lines,
      total: priced.total,
      cardNumber: body.cardNumber,
    },
    { orderId: randomUUID() },
  );
}

/** Places one order and resolves with its id once it is in orders.v1. */
export interface Placer {
  place(n: number): Promise<string>;
  /** Request durations (ms) of HTTP placements; empty when orders are produced directly. */
  readonly httpMs: number[];
  close(): Promise<void>;
}

/**
 * A placement the gateway did not accept. `reason` is short enough to count by: `HTTP 503
 * kafka_unavailable`, `ECONNREFUSED` (nothing listens: the gateway is down), `TimeoutError`.
 */
export class PlacementFailed extends Error {
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PlacementFailed';
  }
}

export interface HttpPlacerOptions {
  /** The body of order n (`orderBody` by default). */
  readonly body?: (n: number) => OrderBody;
  /** Gives up on an answer after this long (none by default). */
  readonly timeoutMs?: number;
}

/**
 * Places orders over HTTP with undici's `request` on kept-alive connections: the load generator
 * runs on the machine it measures, and `fetch` cost it about 1.5 ms of CPU per order (its web
 * streams), CPU the services then waited for.
 */
export function httpPlacer(gatewayUrl: string, options: HttpPlacerOptions = {}): Placer {
  const { body = orderBody, timeoutMs } = options;
  const httpMs: number[] = [];
  return {
    httpMs,
    async place(n) {
      const started = performance.now();
      let status: number;
      let text: string;
      try {
        const response = await request(`${gatewayUrl}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body(n)),
          ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
        });
        status = response.statusCode;
        text = await response.body.text();
      } catch (error) {
        const reason = networkReason(error);
        throw new PlacementFailed(reason, `POST /orders failed: ${reason}`, { cause: error });
      }
      httpMs.push(performance.now() - started);
      if (status !== 201) {
        const code = errorCode(text);
        throw new PlacementFailed(
          `HTTP ${status}${code ? ` ${code}` : ''}`,
          `POST /orders answered ${status}: ${text.slice(0, 200)}`,
        );
      }
      return (JSON.parse(text) as { orderId: string }).orderId;
    },
    close: () => Promise.resolve(),
  };
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET` (the connection closed), `TimeoutError`…: short enough to count by. */
export function networkReason(error: unknown): string {
  for (let at: unknown = error; at; at = (at as { cause?: unknown }).cause) {
    const { code } = at as { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'Error';
}

/** The gateway's `{ error }` code, when the body is one of its error documents. */
function errorCode(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Produces OrderPlaced to orders.v1 with the project's producer. An idempotent producer has one
 * request in flight per connection, so a few producers share the load.
 */
export function kafkaPlacer(brokers: readonly string[], producers = 4): Placer {
  const pool: EventProducer[] = Array.from({ length: producers }, (_, i) =>
    createProducer({
      brokers: [...brokers],
      clientId: `kafkadog-bench-${i}`,
      logger: silentLogger,
    }),
  );
  return {
    httpMs: [],
    async place(n) {
      const event = orderPlaced(orderBody(n));
      await pool[n % pool.length]!.publish(event);
      return event.orderId!;
    },
    async close() {
      await Promise.all(pool.map((producer) => producer.close()));
    },
  };
}

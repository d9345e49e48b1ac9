import { createEvent, topics, type EventOf } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventFeed, type FeedRecord } from '../feed/event-feed.js';
import { ApiError } from '../http/api-error.js';
import { writingToKafka } from '../http/kafka-unavailable.js';
import { IdempotencyKeys } from './idempotency.js';
import { ORDERS_CONFIG, type OrdersConfig } from './orders.config.js';
import { priceRequest, requestFingerprint, type PricedRequest } from './order-request.js';
import { routedEntry } from './timeline.js';
import {
  isOutcome,
  OrderReadModel,
  type OrderPage,
  type OrderStatus,
  type OrderView,
} from './read-model.js';

const replyTopics = [topics.payments, topics.inventory, topics.outcomes];

/** How long a GET of an order this gateway just wrote waits for the read model to fold it. */
const READ_YOUR_WRITE_MS = 5_000;
/** Orders written but not folded yet that a GET would wait for (the oldest are forgotten). */
const MAX_UNFOLDED = 10_000;

export interface PlacedOrder {
  readonly orderId: string;
  readonly status: OrderStatus;
  /** True when an Idempotency-Key named an order placed before. */
  readonly replayed: boolean;
}

/**
 * Places orders (the command side: validate, price from the catalog, publish OrderPlaced) and
 * answers queries from the read model folded from the order topics (the query side).
 */
@Injectable()
export class OrdersService {
  readonly #readModel: OrderReadModel;
  readonly #keys: IdempotencyKeys;
  /**
   * Events whose publish failed without an answer: they may be in the log or not. A retry with
   * the same key sends the very same event (same ids), which consumers recognise if it is there.
   */
  readonly #unconfirmed = new Map<string, EventOf<'OrderPlaced'>>();
  /**
   * Orders this gateway wrote that the read model has not folded yet (the feed reads orders.v1
   * up to 250 ms later): a GET of one waits for it instead of answering 404 to the very client
   * that was just told where to find it.
   */
  readonly #unfolded = new Map<string, { folded: Promise<void>; resolve: () => void }>();

  constructor(
    private readonly kafka: KafkaClients,
    private readonly feed: EventFeed,
    @Inject(ORDERS_CONFIG) config: OrdersConfig,
  ) {
    this.#readModel = new OrderReadModel(config.maxOrders);
    this.#readModel.rebuild();
    void feed.whenCaughtUp.then(() => this.#readModel.settle());
    this.#keys = new IdempotencyKeys(config.maxIdempotencyKeys);
    // The read model keeps the newest orders, and the idempotency keys those of the newest
    // OrderPlaced: a start reads orders.v1 from the oldest of either on, and the replies from the
    // oldest order kept on, not their whole history.
    const recent = (records: number) =>
      ({ from: 'recent', anchor: topics.orders, records }) as const;
    feed.startAt(topics.orders, recent(Math.max(config.maxOrders, config.maxIdempotencyKeys)));
    for (const topic of [...replyTopics, topics.retry]) {
      feed.startAt(topic, recent(config.maxOrders));
    }
    feed.on(topics.orders, (record) => this.#fold(record));
    // A reply of an order the read model dropped while reading the history is not even parsed.
    const kept = (record: ReadRecord) =>
      record.key === undefined || !this.#readModel.dropped(record.key);
    for (const topic of replyTopics) feed.on(topic, (record) => this.#fold(record), kept);
    // Retries and dead letters are hops of their order's timeline too.
    for (const topic of [topics.retry, topics.dlq]) {
      feed.on(topic, (record) => {
        const routed = routedEntry(record);
        if (routed) this.#readModel.applyRouted(routed.orderId, routed.entry);
      });
    }
  }

  async place(body: unknown, idempotencyKey: string | undefined): Promise<PlacedOrder> {
    // Validation and pricing come first: rejected input never reaches Kafka.
    const priced = priceRequest(body);
    if (idempotencyKey === undefined) {
      return {
        orderId: await this.#publish(priced, undefined),
        status: 'PENDING',
        replayed: false,
      };
    }
    // Until the log is read, a key placed before the restart is not known yet.
    await this.feed.untilCaughtUp();
    const { orderId, replayed } = await this.#keys.placeOnce(
      idempotencyKey,
      requestFingerprint(priced.request),
      () => this.#publish(priced, idempotencyKey),
    );
    return { orderId, status: this.#readModel.get(orderId)?.status ?? 'PENDING', replayed };
  }

  async get(orderId: string): Promise<OrderView> {
    const order = this.#readModel.get(orderId) ?? (await this.#justWritten(orderId));
    if (!order) {
      throw ApiError.notFound(
        `order ${orderId} (the gateway keeps the newest ${this.#readModel.capacity} orders)`,
      );
    }
    return order;
  }

  async #justWritten(orderId: string): Promise<OrderView | undefined> {
    const unfolded = this.#unfolded.get(orderId);
    if (!unfolded) return undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      unfolded.folded,
      new Promise((resolve) => (timer = setTimeout(resolve, READ_YOUR_WRITE_MS))),
    ]);
    clearTimeout(timer);
    return this.#readModel.get(orderId);
  }

  #written(orderId: string): void {
    if (this.#readModel.get(orderId) || this.#unfolded.has(orderId)) return;
    let resolve = () => {};
    const folded = new Promise<void>((done) => (resolve = done));
    this.#unfolded.set(orderId, { folded, resolve });
    if (this.#unfolded.size > MAX_UNFOLDED) {
      this.#unfolded.delete(this.#unfolded.keys().next().value!);
    }
  }

  page(limit: number, offset: number): OrderPage {
    return this.#readModel.page(limit, offset);
  }

  async #publish(priced: PricedRequest, idempotencyKey: string | undefined): Promise<string> {
    const { request, lines, total } = priced;
    const fingerprint = requestFingerprint(request);
    const retried =
      idempotencyKey === undefined ? undefined : this.#unconfirmed.get(idempotencyKey);
    const orderId = randomUUID();
    const event =
      retried && requestFingerprint(retried.data) === fingerprint
        ? retried
        : createEvent(
            'OrderPlaced',
            {
              customerEmail: request.customerEmail,
              items: lines,
              total,
              cardNumber: request.cardNumber,
              ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
            },
            { orderId },
          );
    if (idempotencyKey !== undefined) this.#unconfirmed.set(idempotencyKey, event);
    await writingToKafka(this.kafka, 'the order', () => this.kafka.producer.publish(event));
    if (idempotencyKey !== undefined) this.#unconfirmed.delete(idempotencyKey);
    this.#written(event.orderId ?? orderId);
    return event.orderId ?? orderId;
  }

  #fold(record: FeedRecord): void {
    const { event } = record;
    if (!event) return;
    const folded = this.#readModel.apply(event, record);
    if (event.type === 'OrderPlaced' && event.orderId) {
      this.#unfolded.get(event.orderId)?.resolve();
      this.#unfolded.delete(event.orderId);
    }
    // Live orders only (not the history read at start): the latency of orders flowing now. One
    // fetch can hand an outcome over before its OrderPlaced (another topic): the latency is taken
    // when the second of the two is folded.
    const { orderId } = event;
    if (folded && this.feed.caughtUp && orderId && isLatencyEnd(event.type)) {
      const placedAt = this.#readModel.placedAt(orderId);
      const outcome = this.#readModel.outcomeOf(orderId);
      if (placedAt !== undefined && outcome !== undefined) {
        this.kafka.metrics.orderLatency.observe(
          { outcome: outcome.type === 'OrderCompleted' ? 'completed' : 'cancelled' },
          Math.max(0, outcome.at - placedAt) / 1000,
        );
      }
    }
    if (event.type === 'OrderPlaced' && event.data.idempotencyKey && event.orderId) {
      this.#keys.remember(event.data.idempotencyKey, {
        orderId: event.orderId,
        fingerprint: requestFingerprint(event.data),
      });
    }
  }
}

/** An order's latency runs from its OrderPlaced to its outcome: folding either may end it. */
function isLatencyEnd(type: string): boolean {
  return type === 'OrderPlaced' || isOutcome(type);
}

import {
  Headers,
  type CancellationReason,
  type KafkadogEvent,
  type OrderLine,
} from '@kafkadog/contracts';
import { servedTimeline, type StoredEntry, type TimelineEntry } from './timeline.js';

export type { TimelineEntry };

export type OrderStatus = 'PENDING' | 'COMPLETED' | 'CANCELLED';

/** Where an event was read: the coordinates a learner can look up in the topic. */
export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string | number;
  /** Epoch milliseconds (the record's timestamp). */
  readonly timestamp: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OrderView {
  readonly orderId: string;
  readonly status: OrderStatus;
  /** The first cancellation reason; all of them are in `reasons`. */
  readonly reason?: CancellationReason;
  readonly reasons?: readonly CancellationReason[];
  /** e.g. `card_declined`, `insufficient_stock: sku-gpu`. */
  readonly details?: readonly string[];
  readonly payment?: 'AUTHORIZED' | 'DECLINED' | 'VOIDED';
  readonly inventory?: 'RESERVED' | 'REJECTED' | 'RELEASED';
  readonly items: readonly OrderLine[];
  readonly total: number;
  readonly customerEmail: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly timeline: readonly TimelineEntry[];
}

export interface OrderPage {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly orders: readonly OrderView[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** An order as folded so far: replies can be read before the OrderPlaced they answer. */
interface Draft extends Partial<Mutable<Omit<OrderView, 'timeline'>>> {
  orderId: string;
  timeline: StoredEntry[];
  placed: boolean;
}

const flowOrder: Record<string, number> = {
  'orders.v1': 0,
  'payments.v1': 1,
  'inventory.v1': 1,
  'orders.outcome.v1': 2,
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return (
    compare(a.timestamp, b.timestamp) ||
    (flowOrder[a.topic] ?? 3) - (flowOrder[b.topic] ?? 3) ||
    a.offset - b.offset
  );
}

function newestFirst(a: Draft, b: Draft): number {
  return compare(b.createdAt ?? '', a.createdAt ?? '') || compare(b.orderId, a.orderId);
}

/**
 * The orders view of GET /orders (CQRS): a fold of orders.v1, payments.v1, inventory.v1 and
 * orders.outcome.v1 in whatever order their partitions are read. An event read twice (a producer
 * that redid its work after a crash writes the same event id again) is folded once. An order is
 * shown once its OrderPlaced was read; the first outcome decides its status.
 */
export class OrderReadModel {
  /** Every order seen, in the order first seen: the first ones are forgotten first. */
  readonly #orders = new Map<string, Draft>();
  /** Placed orders, newest first. */
  readonly #listed: Draft[] = [];
  readonly #capacity: number;
  /** While the history is read, only orders placed before the newest `capacity` are dropped. */
  #rebuilding = false;
  /** Orders dropped while the history is read: their replies, read later, are skipped too. */
  readonly #dropped = new Set<string>();

  /** `capacity`: the most orders kept (see GATEWAY_MAX_ORDERS); the oldest seen go first. */
  constructor(capacity = Number.POSITIVE_INFINITY) {
    this.#capacity = capacity;
  }

  /**
   * From now until `settle`, the history is read: its partitions come in any interleaving, so
   * "first seen" says nothing about which orders are oldest. Only an order placed before the
   * `capacity` newest read so far is dropped (it can never be among the newest again), once twice
   * `capacity` are listed. (The history read is bounded by the feed's start, see
   * EventFeed.startAt, but a backlog can put a whole burst of orders after it.)
   */
  rebuild(): void {
    this.#rebuilding = true;
  }

  /**
   * The history is read: keeps the `capacity` newest orders by when they were placed, drops the
   * replies of orders placed before them, and from now on forgets the oldest first.
   */
  settle(): void {
    this.#rebuilding = false;
    const kept = this.#listed.slice(0, this.#capacity);
    const oldestKept = kept.at(-1)?.createdAt ?? '';
    const unplaced = [...this.#orders.values()].filter(
      (draft) => !draft.placed && compare(draft.updatedAt ?? '', oldestKept) >= 0,
    );
    this.#listed.splice(0, this.#listed.length, ...kept);
    this.#dropped.clear();
    this.#orders.clear();
    // Oldest first, as they would have been seen live.
    for (const draft of [...kept].reverse()) this.#orders.set(draft.orderId, draft);
    for (const draft of unplaced) this.#orders.set(draft.orderId, draft);
    this.#forgetOldest();
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Folds one event; false when it was not an order event or was already folded. */
  apply(event: KafkadogEvent, at: RecordCoordinates): boolean {
    const orderId = event.orderId;
    if (!orderId || !isOrderEvent(event)) return false;
    const handledAt = Number(at.headers?.[Headers.handledAt] ?? Number.NaN);
    const draft = this.#add(orderId, {
      kind: 'event',
      type: event.type,
      eventId: event.id,
      topic: at.topic,
      partition: at.partition,
      offset: Number(at.offset),
      timestamp: new Date(at.timestamp).toISOString(),
      causationId: event.causationId,
      ...(Number.isFinite(handledAt) ? { handledAt } : {}),
    });
    if (!draft) return false;
    draft.status ??= 'PENDING';
    evolve(draft, event);
    if (event.type === 'OrderPlaced' && !draft.placed) {
      draft.placed = true;
      this.#insertListed(draft);
      if (this.#rebuilding && this.#listed.length > 2 * this.#capacity) this.#dropOldestPlaced();
    }
    return true;
  }

  /** Folds a retry or a dead letter of the order (see routedEntry); false if folded already. */
  applyRouted(orderId: string, entry: StoredEntry): boolean {
    return this.#add(orderId, entry) !== undefined;
  }

  /** Adds an entry to the order's timeline; undefined when it is there already. */
  #add(orderId: string, entry: StoredEntry): Draft | undefined {
    if (this.#dropped.has(orderId)) return undefined;
    let draft = this.#orders.get(orderId);
    if (!draft) {
      draft = { orderId, timeline: [], placed: false };
      this.#orders.set(orderId, draft);
      this.#forgetOldest();
    }
    if (draft.timeline.some((existing) => existing.eventId === entry.eventId)) return undefined;
    draft.timeline.push(entry);
    draft.timeline.sort(byTime);
    draft.updatedAt = draft.timeline.at(-1)?.timestamp ?? entry.timestamp;
    return draft;
  }

  /** Whether the order was dropped while the history is read (see `rebuild`). */
  dropped(orderId: string): boolean {
    return this.#dropped.has(orderId);
  }

  /** When the order's OrderPlaced was written (its record's timestamp, epoch ms). */
  placedAt(orderId: string): number | undefined {
    const entry = this.#orders
      .get(orderId)
      ?.timeline.find((e) => e.kind === 'event' && e.type === 'OrderPlaced');
    return entry ? Date.parse(entry.timestamp) : undefined;
  }

  /** The order's first outcome: its type and when it was written (epoch ms). */
  outcomeOf(orderId: string): { type: string; at: number } | undefined {
    const entry = this.#orders
      .get(orderId)
      ?.timeline.find((e) => e.kind === 'event' && isOutcome(e.type));
    return entry ? { type: entry.type, at: Date.parse(entry.timestamp) } : undefined;
  }

  get(orderId: string): OrderView | undefined {
    const draft = this.#orders.get(orderId);
    return draft?.placed ? toView(draft) : undefined;
  }

  /** Placed orders, newest first, `limit` of them from `offset`. */
  page(limit: number, offset: number): OrderPage {
    return {
      total: this.#listed.length,
      limit,
      offset,
      orders: this.#listed.slice(offset, offset + limit).map(toView),
    };
  }

  get size(): number {
    return this.#listed.length;
  }

  /** Keeps the model within its capacity: the orders first seen longest ago are forgotten. */
  #forgetOldest(): void {
    if (this.#rebuilding) return;
    while (this.#orders.size > this.#capacity) {
      const [orderId, oldest] = this.#orders.entries().next().value as [string, Draft];
      this.#orders.delete(orderId);
      if (!oldest.placed) continue;
      // Usually among the last of the list (newest first), so searched from its end.
      const at = this.#listed.lastIndexOf(oldest);
      if (at >= 0) this.#listed.splice(at, 1);
    }
  }

  /** While the history is read: keeps the `capacity` newest orders placed so far. */
  #dropOldestPlaced(): void {
    for (const dropped of this.#listed.splice(this.#capacity)) {
      this.#orders.delete(dropped.orderId);
      this.#dropped.add(dropped.orderId);
    }
  }

  #insertListed(draft: Draft): void {
    // Binary search: orders mostly arrive newest last, so this is usually a cheap insert at 0.
    let low = 0;
    let high = this.#listed.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (newestFirst(this.#listed[middle]!, draft) < 0) low = middle + 1;
      else high = middle;
    }
    this.#listed.splice(low, 0, draft);
  }
}

type OrderEvent = Extract<
  KafkadogEvent,
  {
    type:
      | 'OrderPlaced'
      | 'PaymentAuthorized'
      | 'PaymentDeclined'
      | 'PaymentVoided'
      | 'InventoryReserved'
      | 'InventoryRejected'
      | 'InventoryReleased'
      | 'OrderCompleted'
      | 'OrderCancelled';
  }
>;

function isOrderEvent(event: KafkadogEvent): event is OrderEvent {
  return (
    event.type !== 'PageViewed' &&
    event.type !== 'TopProductsUpdated' &&
    event.type !== 'FaultsConfigured' &&
    event.type !== 'StockChanged'
  );
}

function evolve(draft: Draft, event: OrderEvent): void {
  switch (event.type) {
    case 'OrderPlaced':
      draft.items = event.data.items;
      draft.total = event.data.total;
      draft.customerEmail = event.data.customerEmail;
      draft.createdAt = event.occurredAt;
      return;
    case 'PaymentAuthorized':
      draft.payment = draft.payment === 'VOIDED' ? 'VOIDED' : 'AUTHORIZED';
      return;
    case 'PaymentDeclined':
      draft.payment = 'DECLINED';
      return;
    case 'PaymentVoided':
      draft.payment = 'VOIDED';
      return;
    case 'InventoryReserved':
      draft.inventory = draft.inventory === 'RELEASED' ? 'RELEASED' : 'RESERVED';
      return;
    case 'InventoryRejected':
      draft.inventory = 'REJECTED';
      return;
    case 'InventoryReleased':
      draft.inventory = 'RELEASED';
      return;
    case 'OrderCompleted':
      if (draft.status !== 'PENDING') return;
      draft.status = 'COMPLETED';
      return;
    case 'OrderCancelled':
      if (draft.status !== 'PENDING') return;
      draft.status = 'CANCELLED';
      draft.reasons = event.data.reasons;
      draft.reason = event.data.reasons[0];
      draft.details = event.data.details;
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`no fold for ${(unhandled as KafkadogEvent).type}`);
    }
  }
}

function toView(draft: Draft): OrderView {
  return {
    orderId: draft.orderId,
    status: draft.status ?? 'PENDING',
    ...(draft.reason === undefined ? {} : { reason: draft.reason }),
    ...(draft.reasons === undefined ? {} : { reasons: draft.reasons }),
    ...(draft.details === undefined ? {} : { details: draft.details }),
    ...(draft.payment === undefined ? {} : { payment: draft.payment }),
    ...(draft.inventory === undefined ? {} : { inventory: draft.inventory }),
    items: draft.items ?? [],
    total: draft.total ?? 0,
    customerEmail: draft.customerEmail ?? '',
    createdAt: draft.createdAt ?? '',
    updatedAt: draft.updatedAt ?? draft.createdAt ?? '',
    timeline: servedTimeline(draft.timeline),
  };
}

export function isOutcome(type: string): boolean {
  return type === 'OrderCompleted' || type === 'OrderCancelled';
}

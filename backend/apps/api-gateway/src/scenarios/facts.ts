import { Headers, type KafkadogEvent } from '@kafkadog/contracts';
import type { FeedRecord } from '../feed/event-feed.js';

/**
 * What a run saw happen, in the order it saw it. Records come from the topics (through the
 * gateway's feed); the other facts are what Kafka or the services answered when asked (a group's
 * committed offsets or members, a counter, a health check). The runner's own steps are not
 * facts: a verdict only reads these, so it cannot pass because the runner meant well.
 */
export type Fact =
  | RecordFact
  | PlacedFact
  | RefusedFact
  | OffsetsFact
  | LogEndFact
  | GroupFact
  | KafkaFact
  | HealthFact
  | CounterFact
  | InstanceFact
  | RecordCountFact;

/** Why a record on an event topic could not be read as an event. */
export type Invalid = 'invalid_json' | 'invalid_event';

export interface RecordFact {
  readonly kind: 'record';
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The record's timestamp (epoch ms). */
  readonly timestamp: number;
  readonly key: string | null;
  /** The event's type, or the `event-type` header of a retry or dead letter. */
  readonly type: string | null;
  readonly orderId: string | null;
  readonly eventId: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly invalid: Invalid | null;
  /** The parts of the event's data verdicts compare (reasons, amounts, items). */
  readonly data: EventDetail;
}

export interface EventDetail {
  readonly reasons?: readonly string[];
  readonly details?: readonly string[];
  readonly paymentId?: string;
  readonly amount?: number;
  readonly items?: readonly { productId: string; quantity: number }[];
  readonly inventoryFailureRate?: number;
}

/**
 * An order the run placed, with the label its scenario gave it ("before the outage"). It names
 * which orders the verdict judges; what became of them is read from the records.
 */
export interface PlacedFact {
  readonly kind: 'placed';
  readonly at: number;
  readonly orderId: string;
  readonly label: string;
}

/** An order the gateway refused to place (e.g. 503 `kafka_unavailable` while Kafka is away). */
export interface RefusedFact {
  readonly kind: 'refused';
  readonly at: number;
  readonly label: string;
  readonly status: number;
  readonly error: string;
  readonly message: string;
}

/** The log end of every partition of a topic (the offset its next record will get). */
export interface LogEndFact {
  readonly kind: 'logEnd';
  readonly at: number;
  readonly topic: string;
  readonly ends: readonly { readonly partition: number; readonly end: string }[];
}

/**
 * A service instance the lab started or stopped, as it answered. Verdicts use it to name a new
 * group member, never to decide a check: that is read from the group itself.
 */
export interface InstanceFact {
  readonly kind: 'instance';
  readonly at: number;
  readonly name: string;
  readonly service: string;
  readonly state: 'started' | 'stopped';
}

/** A consumer group's committed offset on one partition, as the admin client read it. */
export interface OffsetsFact {
  readonly kind: 'offsets';
  readonly at: number;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly committed: string | null;
  /** The offset the partition's next record will get. */
  readonly logEnd: string;
}

/**
 * How many records ranges of a topic hold, read from Kafka: not their offsets apart, since each
 * transaction's commit marker takes an offset in every partition it wrote to.
 */
export interface RecordCountFact {
  readonly kind: 'recordCount';
  readonly at: number;
  readonly topic: string;
  readonly records: number;
}

/** A consumer group's members and what each is assigned, as the admin client read it. */
export interface GroupFact {
  readonly kind: 'group';
  readonly at: number;
  readonly group: string;
  readonly state: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly clientId: string;
    readonly partitions: readonly string[];
  }[];
}

/** Whether the gateway's own Kafka connection answered at that moment. */
export interface KafkaFact {
  readonly kind: 'kafka';
  readonly at: number;
  readonly up: boolean;
}

/** A service's GET /health answer. */
export interface HealthFact {
  readonly kind: 'health';
  readonly at: number;
  readonly service: string;
  readonly up: boolean;
  readonly detail: string;
}

/** A counter a service exposes at GET /metrics: the sum of its series that have `labels`. */
export interface CounterFact {
  readonly kind: 'counter';
  readonly at: number;
  readonly service: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

type FactOf<K extends Fact['kind']> = Extract<Fact, { kind: K }>;

export function factsOf<K extends Fact['kind']>(facts: readonly Fact[], kind: K): FactOf<K>[] {
  return facts.filter((fact): fact is FactOf<K> => fact.kind === kind);
}

/** Records of `topic` (all of them, or those about `orderId`), in the order they were read. */
export function recordsOf(facts: readonly Fact[], topic: string, orderId?: string): RecordFact[] {
  return factsOf(facts, 'record').filter(
    (r) => r.topic === topic && (orderId === undefined || r.orderId === orderId),
  );
}

export function placedOrders(facts: readonly Fact[], label?: string): PlacedFact[] {
  return factsOf(facts, 'placed').filter((p) => label === undefined || p.label === label);
}

/** `orders.v1[1]@42` */
export function position(record: Pick<RecordFact, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}[${record.partition}]@${record.offset}`;
}

function detailOf(event: KafkadogEvent): EventDetail {
  switch (event.type) {
    case 'OrderCancelled':
      return { reasons: event.data.reasons, details: event.data.details };
    case 'PaymentAuthorized':
    case 'PaymentVoided':
      return { paymentId: event.data.paymentId, amount: event.data.amount };
    case 'InventoryReserved':
    case 'InventoryReleased':
      return {
        items: event.data.items.map(({ productId, quantity }) => ({ productId, quantity })),
      };
    case 'FaultsConfigured':
      return { inventoryFailureRate: event.data.inventoryFailureRate };
    default:
      return {};
  }
}

function invalidity(record: FeedRecord, carriesEvents: boolean): Invalid | null {
  if (!carriesEvents || record.event || record.value === undefined) return null;
  try {
    JSON.parse(record.value.toString('utf8'));
    return 'invalid_event';
  } catch {
    return 'invalid_json';
  }
}

/** A feed record as a fact: no value bytes kept (card numbers stay out), only what is judged. */
export function recordFact(record: FeedRecord, carriesEvents: boolean): RecordFact {
  const { event } = record;
  return {
    kind: 'record',
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key ?? null,
    type: event?.type ?? record.headers[Headers.eventType] ?? null,
    orderId: event?.orderId ?? record.key ?? null,
    eventId: event?.id ?? record.headers[Headers.eventId] ?? null,
    headers: record.headers,
    invalid: invalidity(record, carriesEvents),
    data: event ? detailOf(event) : {},
  };
}

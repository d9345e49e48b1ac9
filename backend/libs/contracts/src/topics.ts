import type { EventType, KafkadogEvent } from './events/index.js';

export interface TopicSpec {
  /** The topic's name on the broker. Never typed anywhere else. */
  readonly name: string;
  readonly partitions: number;
  /** What the record key is, in words (shown by the explorer). */
  readonly keyedBy: string;
  /** The event types this topic carries; empty for topics that carry other topics' records. */
  readonly events: readonly EventType[];
  /** Topic-level configs, e.g. `cleanup.policy=compact` for state topics. */
  readonly configs?: Readonly<Record<string, string>>;
  readonly description: string;
  /** A service's own topic (`<service>.<purpose>.v1`), not part of the public flow. */
  readonly internal?: boolean;
}

/**
 * How long the order flow's topics keep their records: a day, and at most 128 MiB per partition,
 * so that a laptop holds them (Kafka's default is a week and no size bound). A replay from
 * earliest goes back that far. Services keep an order's state at least this long after its last
 * change (ORDER_STATE_GRACE_MS), so every event a replay can still read finds its order's state.
 */
export const FLOW_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Kafka deletes whole segments: a segment rolls hourly or at 16 MiB, so little outlives the bound. */
export const FLOW_SEGMENT_MS = 60 * 60 * 1000;

const flow = {
  'retention.ms': String(FLOW_RETENTION_MS),
  'retention.bytes': String(128 * 1024 * 1024),
  'segment.ms': String(FLOW_SEGMENT_MS),
  'segment.bytes': String(16 * 1024 * 1024),
} as const;

/**
 * Compaction keeps the latest record per key, but only in closed segments: with Kafka's default
 * of 1 GiB a segment of a demo's state never closes, and a start reads every write ever made.
 * Small, hourly segments let the cleaner drop older values, and tombstones a day after.
 */
const compacted = {
  'cleanup.policy': 'compact',
  'segment.ms': String(FLOW_SEGMENT_MS),
  'segment.bytes': String(4 * 1024 * 1024),
  'min.cleanable.dirty.ratio': '0.25',
  'delete.retention.ms': String(FLOW_RETENTION_MS),
} as const;

function stateTopic(service: string) {
  return {
    name: `${service}.state.v1`,
    partitions: 3,
    keyedBy: 'orderId',
    events: [],
    configs: compacted,
    internal: true,
    description: `${service}'s state per order, with the ids of the events it applied (compacted).`,
  } as const;
}

/**
 * The topic registry. Topic creation, producers, consumers and the explorer all read it.
 * Partition counts and keys are part of the contract: changing a partition count re-routes keys.
 */
export const topics = {
  orders: {
    name: 'orders.v1',
    partitions: 3,
    keyedBy: 'orderId',
    events: ['OrderPlaced'],
    configs: flow,
    description: 'Orders placed through the API gateway.',
  },
  payments: {
    name: 'payments.v1',
    partitions: 3,
    keyedBy: 'orderId',
    events: ['PaymentAuthorized', 'PaymentDeclined', 'PaymentVoided'],
    configs: flow,
    description: 'Payment decisions, and voids that compensate an authorization.',
  },
  inventory: {
    name: 'inventory.v1',
    partitions: 3,
    keyedBy: 'orderId',
    events: ['InventoryReserved', 'InventoryRejected', 'InventoryReleased'],
    configs: flow,
    description: 'Stock reservations, rejections, and releases that compensate a reservation.',
  },
  outcomes: {
    name: 'orders.outcome.v1',
    partitions: 3,
    keyedBy: 'orderId',
    events: ['OrderCompleted', 'OrderCancelled'],
    configs: flow,
    description: "The saga's single outcome per order.",
  },
  pageviews: {
    name: 'analytics.pageviews.v1',
    partitions: 1,
    keyedBy: 'sessionId',
    events: ['PageViewed'],
    configs: flow,
    description: 'Page views from the dashboard, input to the windowed aggregation.',
  },
  snapshots: {
    name: 'analytics.snapshots.v1',
    partitions: 1,
    keyedBy: 'window',
    events: ['TopProductsUpdated'],
    configs: flow,
    description: 'Top products per time window, emitted by the analytics service.',
  },
  retry: {
    name: 'orders.retry.v1',
    partitions: 1,
    keyedBy: 'orderId',
    events: [],
    configs: flow,
    description: 'Records awaiting their next attempt; headers carry the attempt and its due time.',
  },
  dlq: {
    name: 'orders.dlq.v1',
    partitions: 1,
    keyedBy: 'orderId',
    events: [],
    configs: flow,
    description: 'Records that exhausted their attempts or could not be parsed, with the reason.',
  },
  faults: {
    name: 'api-gateway.faults.v1',
    partitions: 1,
    keyedBy: 'setting',
    events: ['FaultsConfigured'],
    configs: compacted,
    internal: true,
    description: 'The fault switches (inventory failure rate, payment rules), latest value wins.',
  },
  control: {
    name: 'api-gateway.control.v1',
    partitions: 1,
    keyedBy: 'groupId',
    events: ['GroupPauseSet'],
    configs: compacted,
    internal: true,
    description:
      'Which consumer groups are paused from the explorer, latest value per group wins; ' +
      'services close the consumers of a paused group.',
  },
  stock: {
    name: 'inventory-service.stock.v1',
    partitions: 1,
    keyedBy: 'productId',
    events: ['StockChanged'],
    configs: compacted,
    internal: true,
    description: 'Stock per product after each change, latest value wins.',
  },
  paymentState: stateTopic('payment-service'),
  inventoryState: stateTopic('inventory-service'),
  sagaState: stateTopic('order-saga'),
  notificationState: stateTopic('notification-service'),
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;
export type TopicName = (typeof topics)[TopicKey]['name'];

export const allTopics: readonly TopicSpec[] = Object.values(topics);

/** The eight topics of the order flow, without the services' internal ones. */
export const publicTopics: readonly TopicSpec[] = allTopics.filter((topic) => !topic.internal);

export function topicByName(name: string): TopicSpec | undefined {
  return allTopics.find((topic) => topic.name === name);
}

/** The topic an event type is published to. Each event type lives on exactly one topic. */
export function topicOf(type: EventType): TopicSpec {
  const topic = allTopics.find((candidate) => candidate.events.includes(type));
  if (!topic) throw new Error(`No topic carries event type ${type}`);
  return topic;
}

/** The record key of an event, as the registry defines it for the event's topic. */
export function keyOf(event: KafkadogEvent): string {
  switch (event.type) {
    case 'PageViewed':
      return event.data.sessionId;
    case 'TopProductsUpdated':
      return event.data.windowStart;
    case 'FaultsConfigured':
      return 'faults';
    case 'StockChanged':
      return event.data.productId;
    case 'GroupPauseSet':
      return event.data.groupId;
    case 'OrderPlaced':
    case 'OrderCompleted':
    case 'OrderCancelled':
    case 'PaymentAuthorized':
    case 'PaymentDeclined':
    case 'PaymentVoided':
    case 'InventoryReserved':
    case 'InventoryRejected':
    case 'InventoryReleased':
      if (!event.orderId) throw new Error(`${event.type} ${event.id} has no orderId to key by`);
      return event.orderId;
    default: {
      const unhandled: never = event;
      throw new Error(`No key rule for ${(unhandled as KafkadogEvent).type}`);
    }
  }
}

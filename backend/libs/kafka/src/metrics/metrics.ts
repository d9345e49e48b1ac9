import { Counter, Gauge, Histogram, Registry } from 'prom-client';

type CounterOf<L extends string> = Counter<L>;

export interface KafkaMetrics {
  /** The registry the counters live in; serve it at GET /metrics with `registry.metrics()`. */
  readonly registry: Registry;
  /** Records acknowledged by the broker, per destination topic (retry and DLQ topics included). */
  readonly produced: CounterOf<'topic'>;
  /** Records taken from a topic by a consumer group, poison and duplicate ones included. */
  readonly consumed: CounterOf<'topic' | 'group'>;
  /** Handler calls that threw, per topic the event came from. */
  readonly failed: CounterOf<'topic' | 'group'>;
  /** Events sent to the retry topic for another attempt, per topic the event came from. */
  readonly retried: CounterOf<'topic' | 'group'>;
  /** Records sent to the dead-letter topic, per topic they came from and reason. */
  readonly deadLettered: CounterOf<'topic' | 'group' | 'reason'>;
  /** Events the idempotency guard recognised as already applied and kept from the handler. */
  readonly duplicatesSuppressed: CounterOf<'topic' | 'group'>;
  /** Orders whose state was deleted after the grace period (tombstones written). */
  readonly stateRetired: CounterOf<'group'>;
  /**
   * Records between each group's committed offset and the log end, per partition, as last
   * sampled (the gateway samples every group every 2 s; other services leave it empty).
   */
  readonly groupLag: Gauge<'group' | 'topic' | 'partition'>;
  /**
   * From an order's OrderPlaced to its outcome, by the two records' timestamps (the gateway
   * observes each order it sees completed or cancelled live; other services leave it empty).
   */
  readonly orderLatency: Histogram<'outcome'>;
  /**
   * The offset in api-gateway.faults.v1 of the fault setting the service applies (payment and
   * inventory follow the switches; -1 until they read one): a switch is in force there once this
   * reaches the offset it was written at.
   */
  readonly faultSwitchesOffset: Gauge;
}

function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  // Two clients of one process share a registry: the second reuses the first one's counter.
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/**
 * The counters every kafkadog client reports into. Pass one instance to all clients of a process
 * so /metrics shows them together; a client given none keeps its own.
 */
export function createKafkaMetrics(registry: Registry = new Registry()): KafkaMetrics {
  return {
    registry,
    produced: counter(
      registry,
      'kafkadog_messages_produced_total',
      'Records acknowledged by Kafka',
      ['topic'],
    ),
    consumed: counter(registry, 'kafkadog_messages_consumed_total', 'Records consumed', [
      'topic',
      'group',
    ]),
    failed: counter(registry, 'kafkadog_messages_failed_total', 'Handler calls that threw', [
      'topic',
      'group',
    ]),
    retried: counter(registry, 'kafkadog_messages_retried_total', 'Events sent for a retry', [
      'topic',
      'group',
    ]),
    deadLettered: counter(
      registry,
      'kafkadog_messages_dead_lettered_total',
      'Records sent to the dead-letter topic',
      ['topic', 'group', 'reason'],
    ),
    duplicatesSuppressed: counter(
      registry,
      'kafkadog_duplicates_suppressed_total',
      'Events already applied, kept from the handler',
      ['topic', 'group'],
    ),
    stateRetired: counter(
      registry,
      'kafkadog_state_retired_total',
      'Orders whose state was deleted after ORDER_STATE_GRACE_MS without a change (tombstones)',
      ['group'],
    ),
    groupLag: gauge(
      registry,
      'kafkadog_consumer_group_lag',
      "Records between a consumer group's committed offset and the log end, as last sampled",
      ['group', 'topic', 'partition'],
    ),
    orderLatency: histogram(
      registry,
      'kafkadog_order_latency_seconds',
      'From OrderPlaced to the order outcome, by record timestamps',
      ['outcome'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    ),
    faultSwitchesOffset: gauge(
      registry,
      'kafkadog_fault_switches_offset',
      'Offset in api-gateway.faults.v1 of the fault setting this service applies',
      [],
    ),
  };
}

/** The sum of a counter over the label sets that match `labels` (all of them by default). */
export async function counterValue<L extends string>(
  metric: Counter<L>,
  labels: Partial<Record<L, string>> = {},
): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((sample) =>
      Object.entries(labels).every(
        ([name, value]) => (sample.labels as Record<string, unknown>)[name] === value,
      ),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

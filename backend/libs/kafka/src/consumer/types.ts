import type { KafkadogEvent, TopicSpec } from '@kafkadog/contracts';
import type { Brokers } from '../brokers.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import type { Logger } from '../logger.js';
import type { KafkaMetrics } from '../metrics/index.js';
import type { EventProducer } from '../producer/index.js';
import type { SourcePosition } from '../records/index.js';
import type { RetryPolicy } from '../retry/policy.js';
import type { TransactionalProducer } from '../transactions/index.js';
import type { BatchOutput } from './batch.js';

/** What a handler learns about the record an event came in. */
export interface EventMeta {
  /** Where the event was first read. For a retry this is the original record, not the retry record. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  /** Epoch milliseconds of the record delivered (the retry record for a retry). */
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The consumer group the event is handled for (the owning service's group, also in retries). */
  readonly groupId: string;
  /** 1 for the first delivery, n + 1 for retry n. */
  readonly attempt: number;
  /** The retry record that carried the event, when attempt > 1. */
  readonly retry?: SourcePosition;
}

/**
 * Applies an event. What it adds to `out` (events to publish, state to store) is written with the
 * rest of its batch, in one produce, before the batch's offsets are committed; anything else it
 * does itself must be durable when it resolves. Throwing a retriable error (see `isRetriable`)
 * sends the event to the retry topic; any other error sends it to the dead-letter topic. It must
 * not add to `out` before it may throw.
 */
export type EventHandler = (
  event: KafkadogEvent,
  meta: EventMeta,
  out: BatchOutput,
) => Promise<void> | void;

/**
 * Runs around each batch: e.g. to hold a lock shared with other consumers of the same state, and
 * to catch up with it first. `work` decides the batch and writes it.
 */
export type BatchScope = <T>(work: () => Promise<T>) => Promise<T>;

/** Consumer group tuning; the defaults suit a local single broker. */
export interface GroupTuning {
  /** How long the broker waits for a silent member before handing its partitions to others. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** How long the broker holds a fetch open while there is nothing to return. */
  readonly maxWaitMs?: number;
  /**
   * How many bytes the broker gathers before it answers a fetch, waiting up to `maxWaitMs`;
   * default 1. For consumers off the orders' path (analytics): records come up to `maxWaitMs`
   * later, many to a fetch, instead of a fetch for every record.
   */
  readonly minBytes?: number;
  /**
   * Exactly-once: the least time from the start of one batch (one transaction) to the start of
   * the next; records that come meanwhile join the next batch. Default 20 ms. Each transaction
   * costs the same handful of requests however few records it carries, so while records keep
   * coming this trades up to that long per step for fewer, fuller transactions (Kafka Streams
   * commits every 100 ms under exactly-once for the same reason). A full batch (a backlog: a
   * replay, a service catching up) is followed by the next at once. 0: a batch as soon as the
   * last one is done.
   */
  readonly transactionIntervalMs?: number;
}

export interface EventConsumerOptions extends GroupTuning {
  readonly brokers: Brokers;
  readonly groupId: string;
  /** Defaults to the group id. */
  readonly clientId?: string;
  /** The topics to consume; each record is validated against its topic's spec. */
  readonly topics: readonly TopicSpec[];
  readonly handler: EventHandler;
  /** Writes retry and dead-letter records. */
  readonly producer: EventProducer;
  /** `false` sends every failed event straight to the DLQ. Defaults to `defaultRetryPolicy`. */
  readonly retry?: RetryPolicy | false;
  /** Keeps already applied events from the handler. Share one between a consumer and its retry worker. */
  readonly idempotency?: IdempotencyGuard;
  /** Defaults to the registry's DLQ topic. */
  readonly dlqTopic?: string;
  /** Defaults to the registry's retry topic. */
  readonly retryTopic?: string;
  /**
   * Where a group without committed offsets starts: the oldest record (default), or only new
   * records. The default loses nothing that was published before the service first started.
   */
  readonly fromBeginning?: boolean;
  /** Overrides which handler errors are worth a retry. Defaults to `isRetriable`. */
  readonly isRetriable?: (error: unknown) => boolean;
  /**
   * Asked before each batch and before its write: throws while this instance may not process
   * records, e.g. when it no longer surely holds its service's lease (see Lease.current). The batch
   * then waits, unwritten and uncommitted, and is tried again, until the fence lets it through or
   * the consumer closes.
   */
  readonly fence?: () => void;
  /** See BatchScope; by default a batch runs on its own. */
  readonly batchScope?: BatchScope;
  /**
   * Exactly-once: each batch's outputs, state and consumer offsets are committed in one
   * transaction of this producer; the consumer commits no offsets of its own. Without it, a batch
   * is written, then its offsets committed (at least once).
   */
  readonly transactions?: TransactionalProducer;
  readonly logger?: Logger;
  readonly metrics?: KafkaMetrics;
}

export interface ConsumerStats {
  readonly groupId: string;
  readonly memberId: string | null;
  readonly generation: number;
  readonly assignments: readonly { topic: string; partitions: readonly number[] }[];
  readonly running: boolean;
  /**
   * The member surely still owns its assignments: the group is on the generation its stream was
   * opened under, and the coordinator answered it less than a session minus a heartbeat ago.
   */
  readonly current: boolean;
  /** Records taken for processing (redeliveries skipped by position are not counted). */
  readonly records: number;
  readonly commits: number;
  readonly rebalances: number;
  /** How often the message stream was reopened after it failed. */
  readonly restarts: number;
}

export interface EventConsumer {
  readonly groupId: string;
  /** Joins the group and starts consuming; resolves once the group's offsets are known. */
  start(): Promise<void>;
  /**
   * Stops fetching, lets the batch in flight finish and commit, then leaves the group so its
   * partitions move to the other members at once.
   */
  close(): Promise<void>;
  stats(): ConsumerStats;
}

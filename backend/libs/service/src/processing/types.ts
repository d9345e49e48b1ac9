import type { KafkadogEvent, TopicSpec } from '@kafkadog/contracts';
import type { EventMeta, RetryPolicy } from '@kafkadog/kafka';
import type { z } from 'zod';
import type { KafkaClients } from '../kafka/kafka-clients.js';

/**
 * A service's business rules for one order, as a pure decider: `decide` says what to emit for an
 * input given the order's state, `evolve` folds an input or an output into the state.
 */
export interface OrderDecider<S, I extends KafkadogEvent, O> {
  readonly initialState: S;
  decide(state: S, input: I): O[];
  evolve(state: S, event: I | O): S;
}

/** What the processor uses of a service's Kafka clients (all of `KafkaClients` fits). */
export type ProcessorClients = Pick<KafkaClients, 'brokers' | 'producer' | 'metrics' | 'logger'> &
  Partial<Pick<KafkaClients, 'processing' | 'transactionalProducer' | 'stateGraceMs'>>;

/**
 * When an output's effect runs relative to the write that records the input as applied.
 * - `at-least-once` (default): effect, then the batch's write. A crash in between redoes the
 *   effect on redelivery.
 * - `at-most-once`: the batch's write, then the effect. A crash in between loses the effect, but
 *   it never happens twice. For effects nobody downstream can deduplicate (an email, a log line).
 */
export type EffectGuarantee = 'at-least-once' | 'at-most-once';

export interface OrderProcessorOptions<S, I extends KafkadogEvent, O> {
  /** The service's consumer group; its retry worker consumes as `<groupId>.retry`. */
  readonly groupId: string;
  readonly topics: readonly TopicSpec[];
  /** The events this service handles; others on its topics are skipped (and committed). */
  accepts(event: KafkadogEvent): event is I;
  readonly decider: OrderDecider<S, I, O>;
  /** The compacted topic holding `{ state, applied }` per order id. */
  readonly stateTopic: TopicSpec;
  readonly stateSchema: z.ZodType<S>;
  /**
   * Applies one output. Default: publish it with the batch (outputs must then be events), which
   * needs no guarantee: its id is derived from the cause, so a redo is suppressed downstream.
   */
  readonly effect?: (output: O, cause: I) => Promise<void>;
  readonly effectGuarantee?: EffectGuarantee;
  /** `false` dead-letters every failure at once; default `defaultRetryPolicy`. */
  readonly retry?: RetryPolicy | false;
  /** Runs before deciding, for an event not yet applied; throw a retriable KafkadogError to retry it. */
  beforeDecide?(event: I, meta: EventMeta): void | Promise<void>;
  /** Asked before each batch and its write, by the consumer and the retry worker (see EventConsumerOptions.fence). */
  readonly fence?: () => void;
  /**
   * Told each time an order's state changes, with the state it had (`undefined`: none): as it is
   * loaded, decided, read from another instance, deleted, or forgotten before a reload. What a
   * service folds from these calls stays equal to a fold over the stored states; each start of
   * the processor begins from no orders.
   */
  onStateChanged?(orderId: string, state: S | undefined, previous: S | undefined): void;
  /**
   * Delete an order's state once it has not changed for the grace period (see
   * ORDER_STATE_GRACE_MS), default true. A service whose decisions depend on other orders'
   * states (inventory: the stock is what all orders hold) keeps them.
   */
  readonly retireState?: boolean;
  /** Overrides the grace period of `clients.stateGraceMs` (tests). */
  readonly stateGraceMs?: number;
  /**
   * Exactly-once: see GroupTuning.transactionIntervalMs (default 20 ms). A service off the
   * orders' path may take a longer one: fewer transactions, for the same records.
   */
  readonly transactionIntervalMs?: number;
  /** Override the registry's retry and dead-letter topics (tests use their own copies). */
  readonly retryTopic?: string;
  readonly dlqTopic?: string;
}

export interface OrderProcessor<S, I> {
  /** Loads the state from its topic, then joins the group and starts the retry worker. */
  start(): Promise<void>;
  /** Finishes the events in progress (and commits them), leaves the groups, disconnects. */
  close(): Promise<void>;
  stateOf(orderId: string): S | undefined;
  states(): IterableIterator<[string, S]>;
  /**
   * Runs a non-Kafka input (e.g. a saga timeout) through the same decide/effect/store path, if
   * this instance owns the order (see `owns`) when the batch runs; the owner's write waits for a
   * confirmed membership and is dropped if the group moves on before it.
   */
  apply(orderId: string, inputId: string, input: I): Promise<void>;
  /** Runs several such inputs as one batch: one write for all of them. */
  applyAll(inputs: readonly { orderId: string; inputId: string; input: I }[]): Promise<void>;
  /**
   * Whether this instance's group member holds the order's partition (of the first input topic;
   * the inputs are keyed by order id with equal partition counts, and the group's assigner gives
   * partition p of each to one member). Work not driven by an event, like a saga timeout, is
   * done by the owner only: with several instances, one order is decided by one of them.
   */
  owns(orderId: string): boolean;
  /** True once the state was loaded: from then on, decisions see every order's history. */
  readonly ready: boolean;
  /** True while its group is paused from the explorer: its consumers are closed. */
  readonly paused: boolean;
}

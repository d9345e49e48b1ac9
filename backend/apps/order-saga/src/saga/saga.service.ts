import { topics, type TopicSpec } from '@kafkadog/contracts';
import { describeError } from '@kafkadog/kafka';
import {
  createOrderProcessor,
  HealthRegistry,
  KafkaClients,
  startInBackground,
  type BackgroundStart,
  type OrderProcessor,
} from '@kafkadog/service';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SAGA_CONFIG, type SagaConfig } from './saga.config.js';
import { dueTimeouts, type SagaState } from './saga.decider.js';
import { isSagaEvent, sagaDecider, SagaStateSchema, type SagaEvent } from './saga.processing.js';

const GROUP_ID = 'order-saga';
const inputTopics: readonly TopicSpec[] = [topics.orders, topics.payments, topics.inventory];
const TICK_MS = 1_000;
/** Timeouts applied in one batch, at most. */
const TIMEOUTS_PER_BATCH = 500;

/**
 * The choreography saga: correlates each order's OrderPlaced with the payment and inventory
 * replies and publishes exactly one outcome per order to orders.outcome.v1, through the order
 * processor (state per order in order-saga.state.v1). Every second it cancels the orders whose
 * replies are late, once it has caught up with its input topics after a start: before that, a
 * reply may simply not have been read yet.
 */
@Injectable()
export class SagaService implements OnApplicationBootstrap, OnApplicationShutdown {
  #processor: OrderProcessor<SagaState, SagaEvent> | undefined;
  /** The orders without an outcome: the only ones a tick looks at, however many are done. */
  readonly #open = new Map<string, SagaState>();
  #starting: BackgroundStart | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  /** Per input partition, the log end when the processor started. */
  #catchUpTargets: Map<string, bigint> | undefined;
  #caughtUp = false;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly health: HealthRegistry,
    @Inject(SAGA_CONFIG) private readonly config: SagaConfig,
  ) {}

  /** The order's saga state, as stored. */
  stateOf(orderId: string): SagaState | undefined {
    return this.#processor?.stateOf(orderId);
  }

  onApplicationBootstrap(): void {
    // In the background: /health answers `starting` meanwhile, and a transient failure (a topic
    // not created yet) is tried again instead of stopping the service.
    this.#starting = startInBackground('order saga', () => this.#start(), this.kafka.logger);
    this.health.register('state', () => this.#starting?.status ?? 'starting');
    this.health.register('consumers', () => (this.#processor?.paused ? 'paused' : 'up'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#starting?.stop();
    await this.#stop();
  }

  async #start(): Promise<void> {
    try {
      await this.kafka.admin.ensureTopics([
        ...inputTopics,
        topics.outcomes,
        topics.retry,
        topics.dlq,
        topics.sagaState,
      ]);
      this.#processor = createOrderProcessor(this.kafka, {
        groupId: GROUP_ID,
        topics: inputTopics,
        accepts: isSagaEvent,
        decider: sagaDecider,
        stateTopic: topics.sagaState,
        stateSchema: SagaStateSchema,
        onStateChanged: (orderId, state) => {
          if (state && !state.outcome) this.#open.set(orderId, state);
          else this.#open.delete(orderId);
        },
      });
      await this.#processor.start();
      this.#catchUpTargets = await this.#logEnds();
      this.#timer = setInterval(() => this.#tick(), TICK_MS);
    } catch (error) {
      await this.#stop();
      throw error;
    }
  }

  async #stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
    await this.#processor?.close();
    this.#processor = undefined;
    this.#open.clear();
    this.#caughtUp = false;
  }

  #tick(): void {
    if (this.#ticking) return; // the previous tick is still applying timeouts
    this.#ticking = this.#applyTimeouts()
      .catch((error: unknown) =>
        this.kafka.logger.warn('could not apply saga timeouts; trying at the next tick', {
          error: describeError(error),
        }),
      )
      .finally(() => {
        this.#ticking = undefined;
      });
  }

  async #applyTimeouts(): Promise<void> {
    const processor = this.#processor;
    if (!processor?.ready) return;
    if (!this.#caughtUp) {
      this.#caughtUp = await this.#isCaughtUp();
      if (!this.#caughtUp) return;
      this.kafka.logger.info('caught up with the input topics: timeouts are on', {
        timeoutMs: this.config.timeoutMs,
      });
    }
    // Every instance loads every order's state, but only the owner of an order's partition
    // times it out: the same member that handles its replies, so the two never race.
    const due = dueTimeouts(this.#open, Date.now(), this.config.timeoutMs)
      .filter((timeout) => processor.owns(timeout.orderId))
      // The processor's input type is the Kafka events; its decider (sagaDecider) takes the
      // timeout too. One timeout input per order: a second one is suppressed by its id.
      .map((timeout) => ({
        orderId: timeout.orderId,
        inputId: `timeout:${timeout.orderId}`,
        input: timeout as never,
      }));
    for (let i = 0; i < due.length; i += TIMEOUTS_PER_BATCH) {
      await processor.applyAll(due.slice(i, i + TIMEOUTS_PER_BATCH));
    }
  }

  async #logEnds(): Promise<Map<string, bigint>> {
    const rows = await this.kafka.admin.groupOffsets(
      GROUP_ID,
      inputTopics.map((spec) => spec.name),
    );
    return new Map(rows.map((row) => [`${row.topic}:${row.partition}`, BigInt(row.logEnd)]));
  }

  /** Whether the group has committed every input partition up to its log end at start. */
  async #isCaughtUp(): Promise<boolean> {
    const targets = this.#catchUpTargets;
    if (!targets) return false;
    const rows = await this.kafka.admin.groupOffsets(GROUP_ID);
    const committed = new Map(
      rows
        .filter((row) => row.committed !== null)
        .map((row) => [`${row.topic}:${row.partition}`, BigInt(row.committed!)]),
    );
    return [...targets].every(([key, end]) => end === 0n || (committed.get(key) ?? -1n) >= end);
  }
}

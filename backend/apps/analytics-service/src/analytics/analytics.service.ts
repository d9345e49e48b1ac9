import {
  createEvent,
  parseEvent,
  topics,
  type KafkadogEvent,
  type TopicSpec,
} from '@kafkadog/contracts';
import {
  createEventConsumer,
  describeError,
  readToEnd,
  type EventConsumer,
  type EventConsumerOptions,
  type IdempotencyGuard,
} from '@kafkadog/kafka';
import {
  createPausableConsumers,
  HealthRegistry,
  KafkaClients,
  runSingleActive,
  type PausableConsumers,
  type SingleActive,
} from '@kafkadog/service';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from './analytics.config.js';
import { initialEmission, keepWindowsFor, planTick, type EmissionState } from './emission.js';
import {
  evict,
  evolve,
  hasCounted,
  initialAnalyticsState,
  isTooLate,
  type AnalyticsInput,
  type AnalyticsState,
} from './window.js';

const GROUP_ID = 'analytics-service';
const inputTopics: readonly TopicSpec[] = [topics.orders, topics.pageviews];

/**
 * On a rebuild, records are picked by their Kafka timestamp but counted by their event's
 * occurredAt: a record stamped up to this long before its event says it happened (two machines'
 * clocks) is still read. Whatever is read from before the kept windows is dropped by evolve.
 */
const REBUILD_SLACK_MS = 30_000;

/**
 * The windowed top-products aggregation: a consumer group folds OrderPlaced and PageViewed into
 * the windows of `window.ts`; a timer publishes TopProductsUpdated (see `emission.ts`).
 *
 * The windows live in memory only, as a view rebuilt from Kafka at start: before the group
 * resumes, the records of orders.v1 and analytics.pageviews.v1 that can fall in the windows still
 * kept are read and counted. The group then resumes from its committed offsets; what the rebuild
 * already counted comes again and is recognised by its event id (counted per window), so nothing
 * is counted twice and nothing uncommitted is missed.
 */
@Injectable()
export class AnalyticsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #keepWindows: number;
  #state: AnalyticsState;
  #emission: EmissionState = initialEmission;
  #consumer: EventConsumer | undefined;
  #consumers: PausableConsumers | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #active: SingleActive | undefined;
  /** Events dropped since the last tick because their window was no longer kept. */
  #late = 0;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly health: HealthRegistry,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {
    this.#keepWindows = keepWindowsFor(config.windowMs, config.emitIntervalMs);
    this.#state = initialAnalyticsState(config.windowMs);
  }

  onApplicationBootstrap(): void {
    // The windows count every order: with several instances one aggregates and publishes, the
    // others stand by (each would otherwise count only its share of the partitions).
    this.#active = runSingleActive(this.kafka, {
      name: GROUP_ID,
      what: 'analytics',
      handoverGroups: [GROUP_ID],
      start: (_signal, fence) => this.#start(fence),
      stop: () => this.#stop(),
    });
    this.health.register('state', () => this.#active?.status ?? 'starting');
    this.health.register('consumers', () => (this.#consumers?.paused ? 'paused' : 'up'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#active?.close();
  }

  async #stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
    await this.#consumers?.close();
    this.#consumers = undefined;
  }

  async #closeConsumer(): Promise<void> {
    await this.#consumer?.close();
    this.#consumer = undefined;
  }

  async #start(fence: () => void): Promise<void> {
    try {
      await this.#startSteps(fence);
    } catch (error) {
      await this.#stop();
      throw error;
    }
  }

  async #startSteps(fence: () => void): Promise<void> {
    const { brokers, producer, logger, metrics } = this.kafka;
    await this.kafka.admin.ensureTopics([...inputTopics, topics.snapshots, topics.dlq]);

    await this.#rebuild();
    // Snapshots from now on: the rebuilt windows are complete up to the log end. (Joining the
    // group can take a while after a crash, until the broker drops the dead member.)
    this.#timer = setInterval(() => this.#tick(), this.config.emitIntervalMs);

    const guard: IdempotencyGuard = {
      // Counted already, or for a window no longer kept: then it was counted when it first came
      // (a replay), or it came too late to count. Either way the handler must not count it.
      isApplied: (event) =>
        isAnalyticsInput(event) && (hasCounted(this.#state, event) || this.#tooLate(event)),
      // Counting records the id in its window: there is nothing else to mark.
      markApplied: () => {},
    };
    const consumerOptions: EventConsumerOptions = {
      brokers,
      groupId: GROUP_ID,
      topics: inputTopics,
      producer,
      idempotency: guard,
      // Counting cannot fail transiently: a failure is a bug, and the record goes to the DLQ.
      retry: false,
      logger,
      metrics,
      handler: (event) => this.#count(event),
      fence,
      // Windows of seconds may trail the log by 100 ms: a fetch then takes what came meanwhile,
      // instead of one fetch (and one batch) for every record any service writes.
      maxWaitMs: 100,
      minBytes: 64 * 1024,
    };
    // Closed while the group is paused from the explorer (see createPausableConsumers).
    this.#consumers = createPausableConsumers(this.kafka, {
      groups: [GROUP_ID],
      what: 'analytics consumer',
      open: async () => {
        this.#consumer = createEventConsumer(consumerOptions);
        await this.#consumer.start().catch(async (error: unknown) => {
          await this.#closeConsumer().catch(() => {});
          throw error;
        });
      },
      close: () => this.#closeConsumer(),
    });
    await this.#consumers.start();
  }

  async #rebuild(): Promise<void> {
    const started = Date.now();
    // Evicting first sets the horizon, so evolve drops every event older than the kept windows.
    this.#state = evict(initialAnalyticsState(this.config.windowMs), started, this.#keepWindows);
    const from = this.#state.horizon - REBUILD_SLACK_MS;
    const specs = new Map(inputTopics.map((spec) => [spec.name, spec]));
    let counted = 0;
    // From the kept windows' start (by the broker's time index), not from the oldest record: the
    // rebuild reads the windows, however long the topics' history.
    const read = await readToEnd({
      brokers: this.kafka.brokers,
      topics: inputTopics.map((spec) => spec.name),
      from,
      clientId: `${GROUP_ID}.rebuild`,
      logger: this.kafka.logger,
      onRecord: (record) => {
        if (record.timestamp < from) return;
        const parsed = parseEvent(record.value, specs.get(record.topic));
        // Poison records are the group consumer's to dead-letter; the rebuild only counts.
        if (!parsed.ok || !isAnalyticsInput(parsed.event)) return;
        const before = this.#state;
        this.#state = evolve(this.#state, parsed.event);
        if (this.#state !== before) counted++;
      },
    });
    this.kafka.logger.info('analytics windows rebuilt from Kafka', {
      records: read,
      counted,
      windows: this.#state.windows.size,
      since: new Date(this.#state.horizon).toISOString(),
      ms: Date.now() - started,
    });
  }

  #count(event: KafkadogEvent): void {
    if (isAnalyticsInput(event)) this.#state = evolve(this.#state, event);
  }

  #tooLate(event: AnalyticsInput): boolean {
    if (!isTooLate(this.#state, event)) return false;
    this.#late++;
    return true;
  }

  #tick(): void {
    if (this.#ticking) return; // the previous tick is still publishing
    this.#ticking = this.#publishDue().finally(() => {
      this.#ticking = undefined;
    });
  }

  async #publishDue(): Promise<void> {
    const now = Date.now();
    if (this.#late > 0) {
      this.kafka.logger.info('events for windows no longer kept were not counted', {
        events: this.#late,
      });
      this.#late = 0;
    }
    this.#state = evict(this.#state, now, this.#keepWindows);
    const { snapshots, next } = planTick(this.#state, this.#emission, now, this.config.topN);
    try {
      for (const data of snapshots) {
        await this.kafka.producer.publish(createEvent('TopProductsUpdated', data));
      }
      // Only now: a tick that failed half-way publishes the same windows again next time.
      this.#emission = next;
    } catch (error) {
      this.kafka.logger.warn('could not publish top-products snapshots; trying at the next tick', {
        error: describeError(error),
      });
    }
  }
}

function isAnalyticsInput(event: KafkadogEvent): event is AnalyticsInput {
  return event.type === 'OrderPlaced' || event.type === 'PageViewed';
}

import { parseEvent, topicByName, type KafkadogEvent, type TopicSpec } from '@kafkadog/contracts';
import { describeError, tailTopics, type ReadRecord, type TopicTail } from '@kafkadog/kafka';
import { HealthRegistry, KafkaClients } from '@kafkadog/service';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiError } from '../http/api-error.js';
import { gatewayTopics } from './gateway-topics.js';

/** A record of a followed topic, with its event when the topic carries events and it is valid. */
export interface FeedRecord extends ReadRecord {
  readonly event: KafkadogEvent | undefined;
}

export type FeedHandler = (record: FeedRecord) => void;

/** How long a request that needs the rebuilt views waits for them before answering 503. */
export const CATCH_UP_WAIT_MS = 15_000;

/**
 * The gateway's views (orders, stock, dead letters, fault switches, analytics) are folds over
 * Kafka topics, rebuilt from the first record at every start. One tail, without a consumer group
 * and without commits, reads them all; features register a handler per topic in their
 * constructors, before the tail starts. Poison records are skipped here: dead-lettering them is
 * the job of the consumer groups that process them.
 */
@Injectable()
export class EventFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #handlers = new Map<string, FeedHandler[]>();
  #tail: TopicTail | undefined;
  #caughtUp = false;
  #markCaughtUp: () => void = () => {};
  readonly #whenCaughtUp = new Promise<void>((resolve) => (this.#markCaughtUp = resolve));

  constructor(
    private readonly kafka: KafkaClients,
    health: HealthRegistry,
  ) {
    health.register('read-model', () => (this.#caughtUp ? 'up' : 'starting'));
  }

  on(topic: TopicSpec, handler: FeedHandler): void {
    if (this.#tail) throw new Error(`EventFeed.on(${topic.name}) after the feed started`);
    this.#handlers.set(topic.name, [...(this.#handlers.get(topic.name) ?? []), handler]);
  }

  /** True once everything written before the gateway started has been read. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Resolves once caught up; 503 `read_model_starting` if that takes longer than `timeoutMs`. */
  async untilCaughtUp(timeoutMs = CATCH_UP_WAIT_MS): Promise<void> {
    if (this.#caughtUp) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            ApiError.unavailable(
              'read_model_starting',
              'the gateway is still reading its topics from Kafka; try again in a moment',
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.#whenCaughtUp, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const { admin, brokers, logger } = this.kafka;
    await admin.ensureTopics(gatewayTopics);
    const started = Date.now();
    let records = 0;
    this.#tail = await tailTopics({
      brokers,
      topics: [...this.#handlers.keys()],
      from: 'earliest',
      clientId: 'api-gateway.feed',
      logger,
      onRecord: (record) => {
        records++;
        this.#dispatch(record);
      },
    });
    this.#tail.caughtUp.then(
      () => {
        this.#caughtUp = true;
        this.#markCaughtUp();
        logger.info('views rebuilt from Kafka', { records, ms: Date.now() - started });
      },
      (error: unknown) => logger.error('could not catch up', { error: describeError(error) }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#tail?.close();
  }

  #dispatch(record: ReadRecord): void {
    const spec = topicByName(record.topic);
    const parsed = spec && spec.events.length > 0 ? parseEvent(record.value, spec) : undefined;
    const feedRecord: FeedRecord = { ...record, event: parsed?.ok ? parsed.event : undefined };
    for (const handler of this.#handlers.get(record.topic) ?? []) {
      try {
        handler(feedRecord);
      } catch (error) {
        // A view that cannot fold one record must not stop the others.
        this.kafka.logger.error('a view failed to apply a record', {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          error: describeError(error),
        });
      }
    }
  }
}

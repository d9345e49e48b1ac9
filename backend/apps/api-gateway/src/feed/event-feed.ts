import { parseEvent, topicByName, type KafkadogEvent, type TopicSpec } from '@kafkadog/contracts';
import {
  describeError,
  tailTopics,
  timeAtDepth,
  type ReadRecord,
  type TopicTail,
} from '@kafkadog/kafka';
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

/**
 * Whether a handler wants a record, asked before the record is parsed: a record no handler
 * wants is never parsed (at start, most of a backlog can be replies of orders no view keeps).
 */
export type FeedFilter = (record: ReadRecord) => boolean;

interface Subscription {
  readonly handler: FeedHandler;
  readonly wants: FeedFilter | undefined;
}

/** How long a request that needs the rebuilt views waits for them before answering 503. */
export const CATCH_UP_WAIT_MS = 15_000;

/** Where the feed starts reading a topic when the gateway starts. */
export type FeedStart =
  /** From its first record (the default). */
  | { readonly from: 'earliest' }
  /** Only what is written from now on: for handlers that care about live records only. */
  | { readonly from: 'latest' }
  /**
   * From the time of the `records`-th newest record of `anchor` (spread over its partitions),
   * 5 s earlier for the clocks of different machines: for views that keep the newest N of something,
   * so that a start reads the same amount after a million orders as after N.
   */
  | { readonly from: 'recent'; readonly anchor: TopicSpec; readonly records: number };

/**
 * How much earlier than its OrderPlaced another record of an order may be stamped: each producer
 * stamps its records by its own machine's clock.
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * The views may trail the log by this much: the broker gathers up to FEED_FETCH_BYTES for a fetch
 * or answers after this long. Without it the feed, which follows every topic, would fetch once for
 * every record any service writes, a tenth of all the requests the broker serves at 100 orders/s.
 * (Placing an order, pausing a group and the live event stream do not wait for it.) At 50 ms, an
 * idle gateway decoded empty fetches 20 times a second: enough allocation that V8 never gave back
 * the memory a busy minute had freed.
 */
const FEED_FETCH_WAIT_MS = 250;
const FEED_FETCH_BYTES = 64 * 1024;

/**
 * The gateway's views (orders, stock, dead letters, fault switches, analytics) are folds over
 * Kafka topics, rebuilt at every start. One tail, without a consumer group and without commits,
 * reads them all; features register a handler per topic in their constructors, before the tail
 * starts, and say where a topic's history starts (`startAt`). Poison records are skipped here:
 * dead-lettering them is the job of the consumer groups that process them.
 */
@Injectable()
export class EventFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #handlers = new Map<string, Subscription[]>();
  readonly #starts = new Map<string, FeedStart>();
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

  on(topic: TopicSpec, handler: FeedHandler, wants?: FeedFilter): void {
    if (this.#tail) throw new Error(`EventFeed.on(${topic.name}) after the feed started`);
    const subscription = { handler, wants };
    this.#handlers.set(topic.name, [...(this.#handlers.get(topic.name) ?? []), subscription]);
  }

  /**
   * Where to start reading the topic (from its first record unless told). Every handler of a topic
   * sees the same records, so the feature that needs the most history says so.
   */
  startAt(topic: TopicSpec, start: FeedStart): void {
    if (this.#tail) throw new Error(`EventFeed.startAt(${topic.name}) after the feed started`);
    this.#starts.set(topic.name, start);
  }

  /** True once everything written before the gateway started has been read. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Resolves once everything written before the gateway started has been read. */
  get whenCaughtUp(): Promise<void> {
    return this.#whenCaughtUp;
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
    const startAt = await this.#startTimes();
    this.#tail = await tailTopics({
      brokers,
      topics: [...this.#handlers.keys()],
      from: 'earliest',
      startAt,
      clientId: 'api-gateway.feed',
      maxWaitMs: FEED_FETCH_WAIT_MS,
      minBytes: FEED_FETCH_BYTES,
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
        logger.info('views rebuilt from Kafka', {
          records,
          ms: Date.now() - started,
          ...Object.fromEntries(
            [...startAt].map(([topic, at]) => [
              topic,
              typeof at === 'number' ? `since ${new Date(at).toISOString()}` : at,
            ]),
          ),
        });
      },
      (error: unknown) => logger.error('could not catch up', { error: describeError(error) }),
    );
  }

  /** Each topic's start that is not its first record, resolved to `latest` or a time. */
  async #startTimes(): Promise<Map<string, 'latest' | number>> {
    const startAt = new Map<string, 'latest' | number>();
    const anchors = new Map<string, number | undefined>();
    for (const [topic, start] of this.#starts) {
      if (start.from === 'latest') startAt.set(topic, 'latest');
      if (start.from !== 'recent') continue;
      const depth = Math.ceil(start.records / start.anchor.partitions);
      const anchorKey = `${start.anchor.name}:${depth}`;
      if (!anchors.has(anchorKey)) {
        anchors.set(
          anchorKey,
          await timeAtDepth({
            brokers: this.kafka.brokers,
            topic: start.anchor.name,
            depth,
            clientId: 'api-gateway.feed-start',
            logger: this.kafka.logger,
          }),
        );
      }
      const time = anchors.get(anchorKey);
      if (time !== undefined) startAt.set(topic, time - CLOCK_SKEW_MS);
    }
    return startAt;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#tail?.close();
  }

  #dispatch(record: ReadRecord): void {
    const wanted = (this.#handlers.get(record.topic) ?? []).filter(
      ({ wants }) => !wants || wants(record),
    );
    if (wanted.length === 0) return;
    const spec = topicByName(record.topic);
    const parsed = spec && spec.events.length > 0 ? parseEvent(record.value, spec) : undefined;
    const feedRecord: FeedRecord = { ...record, event: parsed?.ok ? parsed.event : undefined };
    for (const { handler } of wanted) {
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

import { randomUUID } from 'node:crypto';
import {
  Consumer,
  FetchIsolationLevels,
  findErrorBy,
  IS_CONTROL,
  ListOffsetTimestamps,
  type KafkaRecord,
} from '@platformatic/kafka';
import type { Brokers } from '../brokers.js';
import { clientConnection } from '../connection/index.js';
import { describeError, KafkadogError } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffDelay, isAbortError, sleep, type BackoffOptions } from '../retry/backoff.js';
import type { ReadRecord } from './types.js';

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;
type FetchResponse = Awaited<ReturnType<Client['fetch']>>;
type ClusterMetadata = Awaited<ReturnType<Client['metadata']>>;

export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
  /** `topic:partition` */
  readonly key: string;
}

export interface ReaderOptions {
  readonly brokers: Brokers;
  readonly topics: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

export interface ReadLoopOptions {
  /** The partitions to fetch now; asked again before every fetch. */
  readonly select: () => readonly PartitionRef[];
  /** Ends the loop (checked between fetches). */
  readonly done: () => boolean;
  /** How long the broker may hold a fetch open while it has nothing to return. */
  readonly maxWaitMs: number;
  /**
   * How many bytes the broker gathers before it answers a fetch, waiting up to `maxWaitMs` for
   * them; default 1 (answer as soon as anything is there).
   */
  readonly minBytes?: number;
  /** Gets the records of one partition, in offset order; one call at a time. */
  readonly deliver: (records: readonly ReadRecord[]) => Promise<void>;
  /** Per partition, the offset not to read beyond (records from it on are left unread). */
  readonly limits?: ReadonlyMap<string, bigint>;
  /**
   * Per partition, the log end the read knows to have been there (listed before it started). Below
   * it, a fetch that returns nothing at all means the records are gone (compacted or deleted), and
   * the position moves on; above it a record may simply not be written yet.
   */
  readonly history?: ReadonlyMap<string, bigint>;
  /** Called after a partition's position moved. */
  readonly onProgress?: () => void;
  /** Give up after this many failed fetches in a row (the error is thrown); unlimited if unset. */
  readonly attempts?: number;
  readonly signal: AbortSignal;
}

// Large enough for any kafkadog record; a bigger first batch is still returned whole (KIP-74).
const PARTITION_MAX_BYTES = 1_048_576;
const recoveryBackoff: BackoffOptions = { baseMs: 200, factor: 2, maxMs: 10_000, jitter: 0.2 };
const { READ_COMMITTED } = FetchIsolationLevels;

/**
 * Reads partitions from positions this class keeps itself, with the client's low-level Fetch and
 * ListOffsets: no consumer group is joined and no offset is ever committed. (The client's
 * `consume()` always joins its group, even in MANUAL mode; a tail that only wants to read would
 * then show up as a group in the explorer and take part in rebalances for nothing.)
 *
 * One fetch is in flight per broker at a time (the client keeps one incremental fetch session
 * per broker), and a partition is in at most one fetch, so its records arrive in order.
 */
export class TopicReader {
  readonly #client: Client;
  readonly #topics: readonly string[];
  readonly #logger: Logger;
  readonly #label: string;
  readonly #positions = new Map<string, bigint>();
  #partitions: readonly PartitionRef[] | undefined;
  #staleMetadata = false;
  // Deliveries of all brokers' fetches go through this chain: the callback never runs twice at once.
  #delivering: Promise<void> = Promise.resolve();

  constructor(options: ReaderOptions) {
    if (options.topics.length === 0) {
      throw new KafkadogError('NO_TOPICS', 'a reader needs at least one topic');
    }
    this.#topics = [...new Set(options.topics)];
    this.#logger = options.logger;
    this.#label = options.clientId;
    this.#client = new Consumer({
      clientId: options.clientId,
      // The client's constructor requires a group id. It is never used: this reader joins no group
      // and commits nothing, so the id is random and shows up nowhere on the broker.
      groupId: `${options.clientId}.no-group.${randomUUID()}`,
      ...clientConnection(options.brokers),
      isolationLevel: READ_COMMITTED,
    });
    // Fetch looks up the metadata of the topics the client tracks.
    this.#client.topics.trackAll(...this.#topics);
    this.#client.on('error', (error: Error) => {
      this.#logger.warn('reader client error', {
        reader: this.#label,
        error: describeError(error),
      });
    });
  }

  /** Every partition of the topics, looked up once. */
  async partitions(): Promise<readonly PartitionRef[]> {
    if (this.#partitions) return this.#partitions;
    let md: ClusterMetadata;
    try {
      md = await this.#client.metadata({ topics: [...this.#topics], forceUpdate: true });
    } catch (error) {
      const unknown = /unknown topic/i.test(describeError(error));
      throw new KafkadogError(
        unknown ? 'UNKNOWN_TOPIC' : 'READ_FAILED',
        `${this.#label} could not look up ${this.#topics.join(', ')}: ${describeError(error)}`,
        // A missing topic may be created a moment later (topics:create): worth another try.
        { cause: error, retriable: true },
      );
    }
    const refs: PartitionRef[] = [];
    for (const topic of this.#topics) {
      const described = md.topics.get(topic);
      if (!described) {
        throw new KafkadogError('UNKNOWN_TOPIC', `no such topic: ${topic}`, { retriable: true });
      }
      for (let partition = 0; partition < described.partitionsCount; partition++) {
        refs.push({ topic, partition, key: `${topic}:${partition}` });
      }
    }
    this.#partitions = refs;
    return refs;
  }

  /** The first offset (`earliest`) or the log end (`latest`, the next offset to be written). */
  /**
   * Every partition's first offset, log end, or first offset at or after a time (epoch ms; the
   * log end where no record is that recent).
   */
  async offsets(
    which: 'earliest' | 'latest' | { readonly timestamp: number },
  ): Promise<Map<string, bigint>> {
    const refs = await this.partitions();
    let listed: Map<string, bigint[]>;
    try {
      listed = await this.#client.listOffsets({
        topics: [...this.#topics],
        timestamp:
          which === 'earliest'
            ? ListOffsetTimestamps.EARLIEST
            : which === 'latest'
              ? ListOffsetTimestamps.LATEST
              : BigInt(which.timestamp),
        isolationLevel: READ_COMMITTED,
      });
    } catch (error) {
      throw new KafkadogError(
        'READ_FAILED',
        `${this.#label} could not list the ${typeof which === 'string' ? which : `${new Date(which.timestamp).toISOString()}`} offsets of ${this.#topics.join(', ')}: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    const offsets = new Map<string, bigint>();
    const ends = typeof which === 'string' ? undefined : await this.offsets('latest');
    for (const ref of refs) {
      const offset = listed.get(ref.topic)?.[ref.partition] ?? 0n;
      // By time, -1 means no record that recent: start at the end.
      offsets.set(ref.key, offset < 0n && ends ? (ends.get(ref.key) ?? 0n) : offset);
    }
    return offsets;
  }

  position(key: string): bigint | undefined {
    return this.#positions.get(key);
  }

  seek(key: string, offset: bigint): void {
    this.#positions.set(key, offset);
  }

  /** Whether every partition's position is at or past its offset in `targets`. */
  reached(targets: ReadonlyMap<string, bigint>): boolean {
    for (const [key, target] of targets) {
      if ((this.#positions.get(key) ?? 0n) < target) return false;
    }
    return true;
  }

  /**
   * Reads every partition up to its offset in `targets` (a log end listed earlier), then stops.
   * Transient failures are retried a few times; then the last one is thrown.
   */
  async readUntil(
    targets: ReadonlyMap<string, bigint>,
    deliver: ReadLoopOptions['deliver'],
    signal: AbortSignal,
  ): Promise<void> {
    const refs = await this.partitions();
    const behind = () =>
      refs.filter((ref) => (this.#positions.get(ref.key) ?? 0n) < (targets.get(ref.key) ?? 0n));
    await this.run({
      select: behind,
      done: () => behind().length === 0,
      // What is written after the log end was listed belongs to the next read.
      limits: targets,
      history: targets,
      // There is data below the targets, so the broker answers at once; this only bounds a wait
      // for records that turn out to be gone.
      maxWaitMs: 100,
      deliver,
      attempts: 5,
      signal,
    });
    if (signal.aborted) {
      throw new KafkadogError('ABORTED', `${this.#label} was closed while reading`);
    }
  }

  /** Fetches and delivers until `done()` or the signal aborts. */
  async run(options: ReadLoopOptions): Promise<void> {
    const inflight = new Map<number, Promise<void>>();
    const busy = new Set<string>();
    let failures = 0;
    let failure: { error: unknown } | undefined;
    const failed = async (error: unknown): Promise<void> => {
      failures++;
      this.#staleMetadata = true;
      if (options.attempts !== undefined && failures >= options.attempts) {
        failure ??= { error };
        return;
      }
      const delayMs = backoffDelay(Math.min(failures, 10), recoveryBackoff);
      this.#logger.warn('could not read, trying again', {
        reader: this.#label,
        attempt: failures,
        nextInMs: delayMs,
        error: describeError(error),
      });
      await sleep(delayMs, options.signal).catch(() => {});
    };

    while (!options.signal.aborted && !failure && !options.done()) {
      let byLeader: Map<number, PartitionRef[]>;
      try {
        byLeader = await this.#byLeader(options.select().filter((ref) => !busy.has(ref.key)));
      } catch (error) {
        if (inflight.size > 0) await Promise.race(inflight.values());
        else await failed(error);
        continue;
      }
      for (const [node, refs] of byLeader) {
        if (inflight.has(node)) continue;
        for (const ref of refs) busy.add(ref.key);
        const fetching = this.#fetchAndDeliver(node, refs, options)
          .then(
            () => {
              failures = 0;
            },
            async (error: unknown) => {
              if (isAbortError(error)) return;
              if (error instanceof DeliveryError) failure ??= { error: error.cause };
              else await failed(error);
            },
          )
          .finally(() => {
            inflight.delete(node);
            for (const ref of refs) busy.delete(ref.key);
          });
        inflight.set(node, fetching);
      }
      if (inflight.size > 0) {
        await Promise.race(inflight.values());
      } else if (!options.done()) {
        // Nothing could be fetched: the partitions left have no leader right now.
        await failed(new KafkadogError('NO_LEADER', 'no leader for the partitions to read'));
      }
    }
    await Promise.allSettled(inflight.values());
    if (failure) throw failure.error;
  }

  async close(): Promise<void> {
    await this.#delivering.catch(() => {});
    await this.#client.close(true).catch(() => {});
  }

  async #metadata(): Promise<ClusterMetadata> {
    const forceUpdate = this.#staleMetadata;
    const md = await this.#client.metadata({ topics: [...this.#topics], forceUpdate });
    this.#staleMetadata = false;
    return md;
  }

  async #byLeader(refs: readonly PartitionRef[]): Promise<Map<number, PartitionRef[]>> {
    const groups = new Map<number, PartitionRef[]>();
    if (refs.length === 0) return groups;
    const md = await this.#metadata();
    for (const ref of refs) {
      const leader = md.topics.get(ref.topic)?.partitions[ref.partition]?.leader ?? -1;
      if (leader < 0) {
        this.#staleMetadata = true;
        continue;
      }
      groups.set(leader, [...(groups.get(leader) ?? []), ref]);
    }
    return groups;
  }

  async #fetchAndDeliver(
    node: number,
    refs: readonly PartitionRef[],
    options: ReadLoopOptions,
  ): Promise<void> {
    const md = await this.#metadata();
    const byTopic = new Map<string, PartitionRef[]>();
    for (const ref of refs) byTopic.set(ref.topic, [...(byTopic.get(ref.topic) ?? []), ref]);
    const request = [...byTopic].map(([topic, partitions]) => ({
      topicId: md.topics.get(topic)?.id ?? topic,
      partitions: partitions.map((ref) => ({
        partition: ref.partition,
        fetchOffset: this.#positions.get(ref.key) ?? 0n,
        // -1: no leader-epoch fencing; a moved leader answers NOT_LEADER and metadata is refreshed.
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
        partitionMaxBytes: PARTITION_MAX_BYTES,
      })),
    }));
    let response: FetchResponse;
    try {
      response = await this.#client.fetch({
        node,
        topics: request,
        maxWaitTime: options.maxWaitMs,
        minBytes: options.minBytes ?? 1,
        isolationLevel: READ_COMMITTED,
      });
    } catch (error) {
      if (await this.#recoverOutOfRange(error, refs)) {
        options.onProgress?.();
        return;
      }
      throw error;
    }
    const results = this.#parse(response, md, refs, options);
    const delivered = this.#delivering.then(async () => {
      for (const { ref, records, next } of results) {
        if (records.length > 0) {
          try {
            await options.deliver(records);
          } catch (error) {
            throw new DeliveryError(error);
          }
        }
        this.#positions.set(ref.key, next);
      }
      options.onProgress?.();
    });
    this.#delivering = delivered.catch(() => {});
    await delivered;
  }

  #parse(
    response: FetchResponse,
    md: ClusterMetadata,
    refs: readonly PartitionRef[],
    { limits, history }: Pick<ReadLoopOptions, 'limits' | 'history'>,
  ): { ref: PartitionRef; records: ReadRecord[]; next: bigint }[] {
    const names = new Map([...md.topics].map(([name, topic]) => [topic.id, name]));
    const requested = new Map(refs.map((ref) => [ref.key, ref]));
    const anyBatch = response.responses.some((topic) =>
      topic.partitions.some((partition) => (partition.records?.length ?? 0) > 0),
    );
    const results: { ref: PartitionRef; records: ReadRecord[]; next: bigint }[] = [];
    for (const topicResponse of response.responses) {
      const topic = names.get(topicResponse.topicId) ?? topicResponse.topicId;
      for (const partitionResponse of topicResponse.partitions) {
        // An incremental fetch session can return partitions this fetch did not ask for.
        const ref = requested.get(`${topic}:${partitionResponse.partitionIndex}`);
        if (!ref || partitionResponse.errorCode !== 0) continue;
        const from = this.#positions.get(ref.key) ?? 0n;
        const limit = limits?.get(ref.key);
        let next = from;
        const records: ReadRecord[] = [];
        for (const batch of partitionResponse.records ?? []) {
          const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
          if (batchEnd > next) next = batchEnd;
          // Transaction markers take an offset but carry no record.
          if (batch.attributes & IS_CONTROL) continue;
          for (const record of batch.records) {
            const offset = batch.firstOffset + BigInt(record.offsetDelta);
            // A fetch returns whole batches: records before the position were delivered already.
            if (offset < from) continue;
            if (limit !== undefined && offset >= limit) break;
            records.push(toReadRecord(topic, ref.partition, offset, batch.firstTimestamp, record));
          }
        }
        // Nothing at all came back although the partition is behind the log end it had when the
        // read started: the records in between are gone (compacted, or deleted) and the broker
        // would answer the same forever.
        const known = history?.get(ref.key);
        if (!anyBatch && response.throttleTimeMs === 0 && known !== undefined && next < known) {
          const start = partitionResponse.logStartOffset;
          const end = partitionResponse.lastStableOffset;
          const to = start > next ? start : end < known ? end : known;
          if (to > next) next = to;
        }
        if (limit !== undefined && next > limit) next = limit;
        if (next !== from || records.length > 0) results.push({ ref, records, next });
      }
    }
    return results;
  }

  /** A position before the log start (records deleted) or after the log end (topic recreated). */
  async #recoverOutOfRange(error: unknown, refs: readonly PartitionRef[]): Promise<boolean> {
    if (!findErrorBy(error as Error, 'apiId', 'OFFSET_OUT_OF_RANGE')) return false;
    const earliest = await this.offsets('earliest');
    const latest = await this.offsets('latest');
    let moved = false;
    for (const ref of refs) {
      const start = earliest.get(ref.key) ?? 0n;
      const position = this.#positions.get(ref.key) ?? 0n;
      if (position < start || position > (latest.get(ref.key) ?? 0n)) {
        moved = true;
        this.#logger.warn('read position out of range; starting from the oldest record', {
          reader: this.#label,
          topic: ref.topic,
          partition: ref.partition,
          position: position.toString(),
          logStart: start.toString(),
        });
        this.#positions.set(ref.key, start);
      }
    }
    // Nothing out of range any more (it moved meanwhile): a plain failure, retried with backoff.
    return moved;
  }
}

/** The caller's callback failed: not a read problem, so it is not retried here. */
class DeliveryError extends Error {
  constructor(cause: unknown) {
    super(describeError(cause), { cause });
  }
}

function toReadRecord(
  topic: string,
  partition: number,
  offset: bigint,
  firstTimestamp: bigint,
  record: KafkaRecord,
): ReadRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of record.headers) {
    if (name) headers[name.toString('utf8')] = value?.toString('utf8') ?? '';
  }
  return {
    topic,
    partition,
    offset: offset.toString(),
    key: record.key ? record.key.toString('utf8') : undefined,
    // Copied: the client's buffers are views into the whole fetch response.
    value: record.value ? Buffer.from(record.value) : undefined,
    headers,
    timestamp: Number(firstTimestamp + record.timestampDelta),
  };
}

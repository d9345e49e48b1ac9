import {
  Consumer,
  findErrorBy,
  stringDeserializer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { parseBrokers, type Brokers } from '../brokers.js';
import { describeError, KafkadogError } from '../errors.js';
import type { Logger } from '../logger.js';
import { copartitionedAssigner } from '../group/assignor.js';
import { fromMessage, type ConsumedRecord } from '../records/index.js';
import { isAbortError, retry } from '../retry/backoff.js';
import type { ConsumerStats, GroupTuning } from './types.js';

type ClientMessage = Message<Buffer, Buffer, string, Buffer>;
type ClientStream = MessagesStream<Buffer, Buffer, string, Buffer>;

export interface GroupLoopOptions extends GroupTuning {
  readonly brokers: Brokers;
  readonly groupId: string;
  readonly clientId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly logger: Logger;
  /**
   * Does everything a record needs before its offset may be committed. It throws only when it
   * cannot finish (an abort on close, a bug): the record is then not committed and is tried again.
   */
  readonly process: (record: ConsumedRecord, signal: AbortSignal) => Promise<void>;
  /** See EventConsumerOptions.fence: asked before each record; while it throws, the record waits. */
  readonly fence?: () => void;
}

// A member that dies without leaving (kill -9) keeps its partitions until its session expires:
// 10 s keeps that pause short while leaving room for GC pauses (the broker's minimum is 6 s).
// Heartbeats run beside processing, so a slow handler does not expire a session.
const defaults = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000, maxWaitMs: 1_000 };
/** With parallelPartitions: records handed to the lanes and not finished yet, at most. */
const MAX_IN_FLIGHT = 64;
// Waits between attempts to reopen a failed stream or to redo a record that could not finish.
const recoveryBackoff = { baseMs: 500, factor: 2, maxMs: 30_000, jitter: 0.2 };

/**
 * The consumer-group machinery shared by the event consumer and the retry worker: one record at
 * a time in stream order (so each partition's records are handled in order), its offset committed
 * only after `process` finished, the stream reopened when a rebalance or a broker breaks it.
 */
export class GroupLoop {
  readonly #options: GroupLoopOptions;
  readonly #client: Consumer<Buffer, Buffer, string, Buffer>;
  readonly #abort = new AbortController();
  // The next offset to process per partition, as far as this instance got: a record the stream
  // hands out again (it rewinds to the committed offset after a rebalance) is only committed.
  readonly #positions = new Map<string, bigint>();
  #stream: ClientStream | undefined;
  #running: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #records = 0;
  #commits = 0;
  #rebalances = 0;
  #restarts = 0;

  constructor(options: GroupLoopOptions) {
    this.#options = options;
    const tuning = { ...defaults, ...definedOnly(options) };
    this.#client = new Consumer({
      clientId: options.clientId,
      groupId: options.groupId,
      bootstrapBrokers: parseBrokers(options.brokers),
      // Offsets are committed by hand, one record at a time, after it was processed.
      autocommit: false,
      sessionTimeout: tuning.sessionTimeoutMs,
      heartbeatInterval: tuning.heartbeatIntervalMs,
      maxWaitTime: tuning.maxWaitMs,
      deserializers: { headerKey: stringDeserializer },
      // All events of one order reach one member, from whichever topic (see the assigner).
      partitionAssigner: copartitionedAssigner,
    });
    this.#logGroupEvents();
  }

  async start(): Promise<void> {
    if (this.#running) throw new KafkadogError('ALREADY_STARTED', `${this.#label} already started`);
    let stream: ClientStream;
    try {
      stream = await this.#open();
    } catch (error) {
      await this.#client.close(true).catch(() => {});
      throw new KafkadogError(
        'CONSUMER_START_FAILED',
        `${this.#label} could not join the group: ${describeError(error)}`,
        { cause: error, retriable: true },
      );
    }
    this.#running = this.#run(stream);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  stats(): ConsumerStats {
    return {
      groupId: this.#options.groupId,
      memberId: this.#client.memberId,
      generation: this.#client.generationId,
      assignments: (this.#client.assignments ?? []).map(({ topic, partitions }) => ({
        topic,
        partitions: [...partitions],
      })),
      running: this.#running !== undefined && !this.#abort.signal.aborted,
      records: this.#records,
      commits: this.#commits,
      rebalances: this.#rebalances,
      restarts: this.#restarts,
    };
  }

  get #label(): string {
    return `consumer group ${this.#options.groupId}`;
  }

  async #close(): Promise<void> {
    this.#abort.abort(new KafkadogError('CLOSING', `${this.#label} is closing`));
    // Ending the stream stops fetching and drops what it buffered; the record being processed
    // finishes and is committed by the loop before it notices the end.
    await this.#stream?.close().catch(() => {});
    await this.#running;
    // Leaving (rather than timing out) hands the partitions to the other members at once.
    await this.#client.close();
  }

  async #open(): Promise<ClientStream> {
    const stream = await this.#client.consume({
      topics: [...this.#options.topics],
      mode: 'committed',
      fallbackMode: this.#options.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
    });
    // Starting offsets are looked up after the stream is created; until they are known a record
    // produced now could fall before a "latest" starting point and never be seen.
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      stream.once('error', onError);
      stream.once('offsets', () => {
        stream.off('error', onError);
        resolve();
      });
    });
    this.#stream = stream;
    return stream;
  }

  async #run(first: ClientStream): Promise<void> {
    let stream = first;
    while (!this.#abort.signal.aborted) {
      try {
        await this.#drain(stream);
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        this.#options.logger.warn('message stream failed, reopening it', {
          group: this.#options.groupId,
          error: describeError(error),
        });
      }
      if (this.#abort.signal.aborted) break;
      try {
        stream = await retry(() => this.#open(), {
          shouldRetry: () => true,
          signal: this.#abort.signal,
          backoff: recoveryBackoff,
          onRetry: ({ attempt, delayMs, error }) =>
            this.#options.logger.warn('could not reopen the message stream', {
              group: this.#options.groupId,
              attempt,
              nextInMs: delayMs,
              error: describeError(error),
            }),
        });
        this.#restarts++;
      } catch {
        break; // aborted: closing
      }
      if (this.#abort.signal.aborted) {
        // Reopened while close() was already under way: end this stream too.
        await stream.close().catch(() => {});
        break;
      }
    }
  }

  async #drain(stream: ClientStream): Promise<void> {
    if (!this.#options.parallelPartitions) {
      for await (const message of stream as AsyncIterable<ClientMessage>) {
        if (this.#abort.signal.aborted) return;
        if (this.#isStale(message, stream)) continue;
        await this.#handle(message);
      }
      return;
    }
    // One lane per partition: a chain of its records, run one after the other, while the lanes
    // of different partitions run side by side. A lane that fails (a commit that cannot be
    // made, a close) ends the stream, and the loop reopens it from the committed offsets.
    const lanes = new Map<string, Promise<void>>();
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    try {
      for await (const message of stream as AsyncIterable<ClientMessage>) {
        if (this.#abort.signal.aborted || failure) break;
        if (this.#isStale(message, stream)) continue;
        const key = `${message.topic}:${message.partition}`;
        const lane = (lanes.get(key) ?? Promise.resolve()).then(async () => {
          // Checked again when its turn comes: the partition may have changed hands meanwhile.
          if (!this.#isStale(message, stream)) await this.#handle(message);
        });
        lanes.set(key, lane);
        inFlight.add(lane);
        lane.then(
          () => inFlight.delete(lane),
          (error: unknown) => {
            inFlight.delete(lane);
            failure ??= { error };
            void stream.close().catch(() => {});
          },
        );
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight).catch(() => {});
      }
    } finally {
      await Promise.allSettled(lanes.values());
    }
    if (failure) throw failure.error;
  }

  /** Processes one record (unless this instance did already) and commits its offset. */
  async #handle(message: ClientMessage): Promise<void> {
    const partitionKey = `${message.topic}:${message.partition}`;
    const position = this.#positions.get(partitionKey);
    if (position !== undefined && message.offset < position) {
      // Processed here already; only its commit may have been lost to the rebalance.
      await this.#commit(message);
      return;
    }
    this.#records++;
    const record = fromMessage(message);
    await retry(
      () => {
        this.#options.fence?.();
        return this.#options.process(record, this.#abort.signal);
      },
      {
        shouldRetry: (error) => !isAbortError(error),
        signal: this.#abort.signal,
        backoff: recoveryBackoff,
        onRetry: ({ attempt, delayMs, error }) =>
          this.#options.logger.error('could not finish a record; trying it again', {
            group: this.#options.groupId,
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            attempt,
            nextInMs: delayMs,
            error: describeError(error),
          }),
      },
    );
    this.#positions.set(partitionKey, message.offset + 1n);
    await this.#commit(message);
  }

  /**
   * A record the stream handed out but that is no longer ours to process. The classic protocol
   * revokes every partition on a rebalance and the stream then fetches again from the committed
   * offsets, so a record fetched under an older generation is skipped: if it is still ours it
   * comes again. So is a record of a partition now assigned elsewhere, and one below the
   * group's committed offset (an older fetch answered after the rebalance).
   */
  #isStale(message: ClientMessage, stream: ClientStream): boolean {
    if (!this.#isAssigned(message.topic, message.partition)) return true;
    if (generationOf(message) !== this.#client.generationId) return true;
    const committed = stream.offsetsCommitted.get(`${message.topic}:${message.partition}`);
    return committed !== undefined && message.offset < committed;
  }

  /**
   * Commits the offset after `message`, unless its partition changed hands since it was fetched
   * (another member may have committed further meanwhile, and the classic protocol would accept
   * our older offset and move the group back). Whoever owns the partition now resumes from the
   * group's offset; if that is this member, the record comes again and is only committed.
   *
   * The commit goes to the client directly, not through `message.commit()`: that one is queued
   * while the member rejoins and sent afterwards under the new generation, the very case above.
   */
  async #commit(message: ClientMessage): Promise<void> {
    const { topic, partition } = message;
    await retry(
      async () => {
        if (this.#changedHands(message)) {
          this.#options.logger.info('partition changed hands during processing; not committing', {
            group: this.#options.groupId,
            topic,
            partition,
            offset: message.offset,
          });
          return;
        }
        await this.#client.commit({
          offsets: [
            { topic, partition, offset: message.offset + 1n, leaderEpoch: message.leaderEpoch },
          ],
        });
        this.#commits++;
      },
      {
        // The client itself rejoins and retries on a rejoin error; what comes back is final: the
        // stream reopens and the record is delivered again (at least once).
        shouldRetry: (error) => findErrorBy(error as Error, 'needsRejoin', true) === null,
        attempts: 5,
        backoff: { baseMs: 200, factor: 2, maxMs: 2_000, jitter: 0.2 },
        onRetry: ({ attempt, error }) =>
          this.#options.logger.warn('offset commit failed, trying again', {
            group: this.#options.groupId,
            topic,
            partition,
            offset: message.offset,
            attempt,
            error: describeError(error),
          }),
      },
    );
  }

  #changedHands(message: ClientMessage): boolean {
    return (
      !this.#isAssigned(message.topic, message.partition) ||
      generationOf(message) !== this.#client.generationId
    );
  }

  #isAssigned(topic: string, partition: number): boolean {
    return (this.#client.assignments ?? []).some(
      (assignment) => assignment.topic === topic && assignment.partitions.includes(partition),
    );
  }

  #logGroupEvents(): void {
    const { logger, groupId } = this.#options;
    const client = this.#client;
    client.on('consumer:group:join', ({ memberId, generationId, assignments }) => {
      logger.info('joined consumer group', {
        group: groupId,
        member: memberId,
        generation: generationId,
        assigned: formatAssignments(assignments ?? client.assignments ?? []),
      });
    });
    client.on('consumer:group:rebalance', () => {
      this.#rebalances++;
      logger.info('consumer group is rebalancing', { group: groupId, member: client.memberId });
    });
    client.on('consumer:group:rejoin', () => {
      logger.info('rejoined consumer group after a rebalance', {
        group: groupId,
        generation: client.generationId,
        assigned: formatAssignments(client.assignments ?? []),
      });
    });
    client.on('consumer:group:leave', ({ memberId }) => {
      logger.info('left consumer group', { group: groupId, member: memberId });
    });
    client.on('consumer:heartbeat:error', ({ error }) => {
      logger.warn('consumer group heartbeat failed', {
        group: groupId,
        error: describeError(error),
      });
    });
    // The client emits 'error' when a rejoin fails; unhandled, an 'error' event kills the process.
    client.on('error', (error: Error) => {
      logger.error('consumer group error', { group: groupId, error: describeError(error) });
    });
  }
}

function generationOf(message: ClientMessage): number | undefined {
  const consumer = message.metadata.consumer as { generationId?: unknown } | undefined;
  return typeof consumer?.generationId === 'number' ? consumer.generationId : undefined;
}

function formatAssignments(
  assignments: readonly { topic: string; partitions: number[] }[],
): string {
  return (
    assignments.map(({ topic, partitions }) => `${topic}[${partitions.join(',')}]`).join(' ') ||
    'nothing'
  );
}

function definedOnly(tuning: GroupTuning): GroupTuning {
  return Object.fromEntries(
    Object.entries({
      sessionTimeoutMs: tuning.sessionTimeoutMs,
      heartbeatIntervalMs: tuning.heartbeatIntervalMs,
      maxWaitMs: tuning.maxWaitMs,
    }).filter(([, value]) => value !== undefined),
  );
}

import {
  Consumer,
  FetchIsolationLevels,
  findErrorBy,
  stringDeserializer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Brokers } from '../brokers.js';
import { clientConnection } from '../connection/index.js';
import { describeError, isGroupError, isTransactionError, KafkadogError } from '../errors.js';
import type { Logger } from '../logger.js';
import { copartitionedAssigner } from '../group/assignor.js';
import { fromMessage, type ConsumedRecord } from '../records/index.js';
import { isAbortError, retry, sleep } from '../retry/backoff.js';
import { consumedOffsets, type ConsumedOffsets } from '../transactions/index.js';
import { PeriodicCommits } from './commits.js';
import { tuning as definedTuning } from './options.js';
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
   * Does everything a batch of records (in offset order within each partition) needs before
   * their offsets may be committed, and returns how many of them, from the first, it finished;
   * the others come again at the head of the next batch. It throws only when it cannot finish
   * (an abort on close, a bug): the batch is then not committed and is tried again. `fence`
   * (this option's `fence`, and the loop's check that the member still owns what it fetched) is
   * to be asked before each attempt to write the batch's outputs.
   */
  readonly processBatch: (
    records: ConsumedRecord[],
    signal: AbortSignal,
    consumed: (count: number) => ConsumedOffsets,
    fence: () => void,
  ) => Promise<number>;
  /**
   * Exactly-once: `processBatch` commits the offsets in its transaction (from `consumed`), and
   * the loop commits none itself.
   */
  readonly transactional?: boolean;
  /** See EventConsumerOptions.fence: asked before each batch; while it throws, the batch waits. */
  readonly fence?: () => void;
}

// A member that dies without leaving (kill -9) keeps its partitions until its session expires:
// 10 s keeps that pause short while leaving room for GC pauses (the broker's minimum is 6 s).
// Heartbeats run beside processing, so a slow handler does not expire a session.
const defaults = {
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  maxWaitMs: 1_000,
  minBytes: 1,
  transactionIntervalMs: 20,
};
/** A batch is what the consumer has fetched, up to this many records and bytes. */
const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 1024 * 1024;
/**
 * At-least-once: at most one offset commit per this long (see PeriodicCommits). Short enough that
 * lag shown from committed offsets stays current, long enough that a quiet stack, one record per
 * batch, does not commit after every record.
 */
const COMMIT_INTERVAL_MS = 250;
/**
 * While no record arrives, how often the loop looks whether its stream moved on past records it
 * never receives (aborted transactions and their markers) and commits there.
 */
const IDLE_CHECK_MS = 500;
// Waits between attempts to reopen a failed stream or to redo a record that could not finish.
const recoveryBackoff = { baseMs: 500, factor: 2, maxMs: 30_000, jitter: 0.2 };

/**
 * The consumer-group machinery shared by the event consumer and the retry worker: a batch at a
 * time, made of what the consumer has already fetched (never waiting for more), in stream order
 * (so each partition's records are handled in order); offsets committed only after
 * `processBatch` finished their records, every partition in one request, at most one commit per
 * COMMIT_INTERVAL_MS; the stream reopened when a rebalance or a broker breaks it.
 */
export class GroupLoop {
  readonly #options: GroupLoopOptions;
  readonly #client: Consumer<Buffer, Buffer, string, Buffer>;
  readonly #abort = new AbortController();
  // The next offset to process per partition, as far as this instance got: a record the stream
  // hands out again (it rewinds to the committed offset after a rebalance) is only committed.
  readonly #positions = new Map<string, bigint>();
  // Per partition, its last record this instance finished, and the rebalance count then: a batch
  // that empties the stream's buffer may commit such a partition past the transaction markers
  // that followed that record, even when the batch holds no record of it.
  readonly #finished = new Map<string, { message: ClientMessage; rebalances: number }>();
  #stream: ClientStream | undefined;
  /** Wakes the drain loop waiting for records, so that it notices a rebalance at once. */
  #interruptDrain: (() => void) | undefined;
  /** The group generation the current stream was opened under. */
  #streamGeneration: number | undefined;
  /** When the group coordinator last answered this member (a heartbeat, a join); epoch ms. */
  #answeredAt = Date.now();
  readonly #sessionTimeoutMs: number;
  readonly #heartbeatIntervalMs: number;
  /** Exactly-once only (see GroupTuning.transactionIntervalMs); 0 otherwise. */
  readonly #batchIntervalMs: number;
  #running: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #records = 0;
  #commits = 0;
  #rebalances = 0;
  #restarts = 0;

  constructor(options: GroupLoopOptions) {
    this.#options = options;
    const tuning = { ...defaults, ...definedTuning(options) };
    this.#sessionTimeoutMs = tuning.sessionTimeoutMs;
    this.#heartbeatIntervalMs = tuning.heartbeatIntervalMs;
    this.#batchIntervalMs = options.transactional ? tuning.transactionIntervalMs : 0;
    this.#client = new Consumer({
      clientId: options.clientId,
      groupId: options.groupId,
      ...clientConnection(options.brokers),
      // Offsets are committed by hand, after their records were processed.
      autocommit: false,
      sessionTimeout: tuning.sessionTimeoutMs,
      heartbeatInterval: tuning.heartbeatIntervalMs,
      maxWaitTime: tuning.maxWaitMs,
      minBytes: tuning.minBytes,
      deserializers: { headerKey: stringDeserializer },
      // All events of one order reach one member, from whichever topic (see the assigner).
      partitionAssigner: copartitionedAssigner,
      // Never a record of an aborted (or still open) transaction, in either processing mode.
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
    this.#logGroupEvents();
  }

  async start(): Promise<void> {
    if (this.#running) throw new KafkadogError('ALREADY_STARTED', `${this.#label} already started`);
    let stream: ClientStream;
    try {
      // A broker that just started answers NOT_COORDINATOR (or "loading") to a join until it has
      // loaded its group coordinator: the join is tried again for a while.
      stream = await retry(() => this.#open(), {
        shouldRetry: (error) => findErrorBy(error as Error, 'canRetry', true) !== null,
        attempts: 8,
        signal: this.#abort.signal,
        backoff: { baseMs: 250, factor: 2, maxMs: 4_000, jitter: 0.2 },
        onRetry: ({ attempt, delayMs, error }) =>
          this.#options.logger.warn('could not join the group yet, trying again', {
            group: this.#options.groupId,
            attempt,
            nextInMs: delayMs,
            error: describeError(error),
          }),
      });
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
      current: this.#membershipProblem() === undefined,
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
    this.#streamGeneration = this.#client.generationId;
    return stream;
  }

  async #run(first: ClientStream): Promise<void> {
    let stream = first;
    while (!this.#abort.signal.aborted) {
      let rebalanced = false;
      try {
        await this.#drain(stream);
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        rebalanced = isGroupError(error, 'GROUP_REBALANCED');
        if (rebalanced) {
          this.#options.logger.info('the group rebalanced: reading on from its committed offsets', {
            group: this.#options.groupId,
            generation: this.#client.generationId,
            reason: describeError(error),
          });
        } else {
          this.#options.logger.warn('message stream failed, reopening it', {
            group: this.#options.groupId,
            error: describeError(error),
          });
        }
      }
      if (this.#abort.signal.aborted) break;
      const previous = stream;
      // After a rebalance the next stream opens before this one closes: the client drops its
      // subscription when its last stream closes, and subscribing again would join the group
      // anew, which starts another rebalance for every member.
      if (!rebalanced) await previous.close().catch(() => {});
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
      } finally {
        // A stream left open keeps fetching, and the client refuses to leave the group.
        await previous.close().catch(() => {});
      }
      if (this.#abort.signal.aborted) {
        // Reopened while close() was already under way: end this stream too.
        await stream.close().catch(() => {});
        break;
      }
    }
  }

  async #drain(stream: ClientStream): Promise<void> {
    let carried: ClientMessage[] = [];
    const batches = batchesOf(stream, this.#abort.signal);
    this.#interruptDrain = () => batches.interrupt();
    // Commits run beside processing, off the path of the records behind them, and at most one
    // per COMMIT_INTERVAL_MS: each takes the newest finished record of every partition.
    const commits = new PeriodicCommits<CommitAt>(
      (points) => this.#commit(points),
      COMMIT_INTERVAL_MS,
    );
    let began = 0;
    let backlog = false;
    try {
      for (;;) {
        // A backlog (a replay, a service catching up) fills each batch anyway: no waiting.
        const early = backlog ? 0 : began + this.#batchIntervalMs - performance.now();
        if (early > 0 && !(await this.#pause(early))) return;
        const fetched = await batches.next(carried.length);
        began = performance.now();
        backlog = fetched?.full ?? false;
        if (commits.failure) throw commits.failure.error;
        if (fetched === undefined || this.#abort.signal.aborted) return;
        const all = [...carried, ...fetched.messages];
        // After a rebalance, what this stream fetched is no safe base: a fetch sent before it can
        // be answered after it, stamped with the new generation, and move the stream past records
        // fetched before it (skipping those leaves a gap that later commits make permanent).
        // Everything fetched is dropped; a new stream reads from the group's committed offsets.
        if (
          this.#client.generationId !== this.#streamGeneration ||
          all.some((message) => generationOf(message) !== this.#streamGeneration)
        ) {
          throw this.#rebalanced();
        }
        if (all.length === 0) {
          await this.#commitSkipped(stream, fetched.drainedTo, commits);
          continue;
        }
        const messages = all.filter((m) => !this.#isStale(m, stream));
        const { left, commit } = await this.#handle(messages, this.#ends(fetched, all, messages));
        carried = left;
        commits.add(commit);
      }
    } finally {
      this.#interruptDrain = undefined;
      batches.stop();
      await commits.close();
    }
  }

  /** Waits `ms` unless the loop closes first: then false. */
  async #pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, this.#abort.signal);
      return true;
    } catch (error) {
      if (isAbortError(error)) return false;
      throw error;
    }
  }

  /**
   * Processes a batch (except the records this instance did already). Returns the records
   * `processBatch` left for later, and where to commit each partition: after its last finished
   * record, or at `ends` (past trailing transaction markers) when none of its records is left.
   */
  async #handle(
    messages: ClientMessage[],
    ends: ReadonlyMap<string, bigint>,
  ): Promise<{ left: ClientMessage[]; commit: CommitAt[] }> {
    if (messages.length === 0) return { left: [], commit: [] };
    const fresh = messages.filter((message) => {
      const position = this.#positions.get(`${message.topic}:${message.partition}`);
      // Processed here already; only its commit may have been lost to the rebalance.
      return position === undefined || message.offset >= position;
    });
    let done = 0;
    if (fresh.length > 0) {
      const records = fresh.map(fromMessage);
      try {
        done = await this.#process(records, fresh, ends);
      } catch (error) {
        const refused = isTransactionError(error, 'TRANSACTION_GROUP_STALE');
        if (!refused && !isGroupError(error, 'GROUP_REBALANCED')) throw error;
        // The group moved on while the batch was decided: (exactly-once) the broker refused its
        // transaction, or the loop's fence stopped its write. Dropped unwritten: whoever owns the
        // partitions now reads them again, this member too, from a new stream.
        this.#options.logger.info(
          refused
            ? 'batch refused: the group moved on; dropped'
            : 'batch dropped unwritten: the group moved on while it was decided',
          { group: this.#options.groupId, records: records.length },
        );
        throw refused ? this.#rebalanced() : error;
      }
      this.#records += done;
    }
    const finished = new Set(fresh.slice(0, done));
    const left = fresh.slice(done);
    // Everything before the first record left for later is finished, partition by partition.
    const blocked = new Set(left.map(partitionOf));
    const last = new Map<string, ClientMessage>();
    for (const message of messages) {
      const key = partitionOf(message);
      if (blocked.has(key) && !finished.has(message)) continue;
      if (finished.has(message)) {
        this.#positions.set(key, message.offset + 1n);
        this.#finished.set(key, { message, rebalances: this.#rebalances });
      }
      last.set(key, message);
    }
    if (this.#options.transactional) return { left, commit: [] };
    return { left, commit: this.#commitPoints(last, blocked, ends) };
  }

  /**
   * Where to commit after a batch: each partition after its last finished record (`last`), or at
   * its end in `ends` (past the markers after it) where none of its records is left for later
   * (`blocked`); and the partitions of `ends` without a record here, finished earlier.
   */
  #commitPoints(
    last: ReadonlyMap<string, ClientMessage>,
    blocked: ReadonlySet<string>,
    ends: ReadonlyMap<string, bigint>,
  ): CommitAt[] {
    const points: CommitAt[] = [...last].map(([key, message]) => ({
      topic: message.topic,
      partition: message.partition,
      next: nextOffset(message.offset + 1n, blocked.has(key) ? undefined : ends.get(key)),
      generation: generationOf(message),
      leaderEpoch: message.leaderEpoch,
    }));
    for (const [key, end] of ends) {
      const message = this.#finished.get(key)?.message;
      if (last.has(key) || blocked.has(key) || !message) continue;
      points.push({
        topic: message.topic,
        partition: message.partition,
        next: end,
        generation: generationOf(message),
        leaderEpoch: message.leaderEpoch,
      });
    }
    return points;
  }

  /**
   * Where a batch may commit partitions up to, past the transaction markers after their last
   * records: the stream's next fetch offsets, when the batch emptied its buffer. For a partition
   * with records in the batch, unless one of them was dropped as stale (it may come again). For
   * one without, only if this instance finished its records up to there with no rebalance since.
   */
  #ends(
    fetched: Fetched,
    all: readonly ClientMessage[],
    kept: readonly ClientMessage[],
  ): ReadonlyMap<string, bigint> {
    const ends = new Map<string, bigint>();
    if (!fetched.drainedTo) return ends;
    const keptSet = new Set(kept);
    const inBatch = new Set(all.map(partitionOf));
    const dropped = new Set(all.filter((m) => !keptSet.has(m)).map(partitionOf));
    for (const [key, end] of fetched.drainedTo) {
      if (dropped.has(key)) continue;
      if (inBatch.has(key)) {
        ends.set(key, end);
        continue;
      }
      const finished = this.#finished.get(key);
      if (
        finished &&
        finished.rebalances === this.#rebalances &&
        generationOf(finished.message) === this.#client.generationId &&
        this.#isAssigned(finished.message.topic, finished.message.partition) &&
        end > finished.message.offset + 1n
      ) {
        ends.set(key, end);
      }
    }
    return ends;
  }

  /**
   * Idle, with everything handed out finished: commits each owned partition where its stream's
   * next fetch starts, if that is past what was finished or committed. Only records this consumer
   * never receives lie in between: an aborted transaction and its marker, which no later batch
   * may follow to commit past them (a member that took the partition over, or one whose last
   * records were aborted, would otherwise keep that lag for good). Exactly-once commits such a
   * point at once, outside any transaction, so that no later transaction's offset can be
   * overtaken by it; at-least-once with its other commits.
   */
  async #commitSkipped(
    stream: ClientStream,
    drainedTo: ReadonlyMap<string, bigint> | undefined,
    commits: PeriodicCommits<CommitAt>,
  ): Promise<void> {
    if (!drainedTo || this.#membershipProblem() !== undefined) return;
    const points: CommitAt[] = [];
    for (const [key, next] of drainedTo) {
      const split = key.lastIndexOf(':');
      const topic = key.slice(0, split);
      const partition = Number(key.slice(split + 1));
      if (!this.#isAssigned(topic, partition)) continue;
      const done = [this.#positions.get(key), stream.offsetsCommitted.get(key)].reduce<bigint>(
        (max, offset) => (offset !== undefined && offset > max ? offset : max),
        -1n,
      );
      if (next <= done) continue;
      points.push({ topic, partition, next, generation: this.#streamGeneration, leaderEpoch: -1 });
      this.#positions.set(key, next);
    }
    if (points.length === 0) return;
    if (this.#options.transactional) await this.#commit(points);
    else commits.add(points);
  }

  /** Runs `processBatch` until it finishes (or the loop closes, or the group moved on). */
  #process(
    records: ConsumedRecord[],
    fresh: ClientMessage[],
    ends: ReadonlyMap<string, bigint>,
  ): Promise<number> {
    // Exactly-once needs no membership fence of its own: the broker refuses a transaction whose
    // offsets belong to a generation that is gone, and none of its records is ever read.
    const fence = this.#options.transactional
      ? () => this.#options.fence?.()
      : () => {
          this.#options.fence?.();
          this.#fenceMembership();
        };
    return retry(
      () => {
        fence();
        return this.#options.processBatch(
          records,
          this.#abort.signal,
          (count) => {
            const done = fresh.slice(0, count);
            const blocked = new Set(fresh.slice(count).map(partitionOf));
            const last = new Map(done.map((message) => [partitionOf(message), message]));
            return {
              ...consumedOffsets(done),
              offsets: this.#commitPoints(last, blocked, ends).map(
                ({ topic, partition, next }) => ({ topic, partition, offset: next }),
              ),
            };
          },
          fence,
        );
      },
      {
        shouldRetry: (error) =>
          !isAbortError(error) &&
          !isTransactionError(error, 'TRANSACTION_GROUP_STALE') &&
          !isGroupError(error, 'GROUP_REBALANCED'),
        signal: this.#abort.signal,
        backoff: recoveryBackoff,
        onRetry: ({ attempt, delayMs, error }) => {
          const fields = {
            group: this.#options.groupId,
            records: records.length,
            from: `${records[0]?.topic}[${records[0]?.partition}]@${records[0]?.offset}`,
            attempt,
            nextInMs: delayMs,
            error: describeError(error),
          };
          if (isGroupError(error, 'MEMBERSHIP_UNCONFIRMED')) {
            this.#options.logger.warn('batch waits for the group coordinator to answer', fields);
          } else {
            this.#options.logger.error('could not finish a batch; trying it again', fields);
          }
        },
      },
    );
  }

  /**
   * Throws unless this member surely still owns what its stream fetched: the group is on the
   * generation the stream was opened under (GROUP_REBALANCED, final), and the coordinator answered
   * it less than a session minus a heartbeat ago (MEMBERSHIP_UNCONFIRMED, wait): a process that
   * was frozen past its session still believes in its old assignment when it wakes, until its
   * next heartbeat tells it otherwise.
   */
  #fenceMembership(): void {
    const problem = this.#membershipProblem();
    if (problem === 'rebalanced') throw this.#rebalanced();
    if (problem === 'unconfirmed') {
      throw new KafkadogError(
        'MEMBERSHIP_UNCONFIRMED',
        `${this.#label}: no answer from the group coordinator for ${Date.now() - this.#answeredAt} ms; this member may have been dropped`,
        { retriable: true },
      );
    }
  }

  #membershipProblem(): 'rebalanced' | 'unconfirmed' | undefined {
    if (this.#client.generationId !== this.#streamGeneration) return 'rebalanced';
    const silentMs = Date.now() - this.#answeredAt;
    if (silentMs >= this.#sessionTimeoutMs - this.#heartbeatIntervalMs) return 'unconfirmed';
    return undefined;
  }

  #rebalanced(): KafkadogError {
    return new KafkadogError(
      'GROUP_REBALANCED',
      `${this.#label} moved from generation ${this.#streamGeneration} to ${this.#client.generationId}`,
    );
  }

  /**
   * A record the stream handed out but that is not ours to process: one of a partition assigned
   * elsewhere, or one below the group's committed offset. (A rebalance since the stream opened
   * drops the whole stream instead: see #drain.)
   */
  #isStale(message: ClientMessage, stream: ClientStream): boolean {
    if (!this.#isAssigned(message.topic, message.partition)) return true;
    const committed = stream.offsetsCommitted.get(`${message.topic}:${message.partition}`);
    return committed !== undefined && message.offset < committed;
  }

  /**
   * Commits the offset after each message (the last of its partition in a batch), in one request,
   * except where the partition changed hands since it was fetched (another member may have
   * committed further meanwhile, and the classic protocol would accept our older offset and move
   * the group back). Whoever owns the partition now resumes from the group's offset; if that is
   * this member, the record comes again and is only committed.
   *
   * The commit goes to the client directly, not through `message.commit()`: that one is queued
   * while the member rejoins and sent afterwards under the new generation, the very case above.
   */
  async #commit(points: readonly CommitAt[]): Promise<void> {
    if (points.length === 0) return;
    try {
      await this.#commitOwned(points);
    } catch (error) {
      if (findErrorBy(error as Error, 'needsRejoin', true) === null) throw error;
      // Refused because the group is rebalancing, or has moved on since the commit was sent: the
      // loop goes on as after any rebalance. (Reopened as after a broken stream, the client would
      // join anew, and a leader's JoinGroup starts yet another rebalance.)
      throw new KafkadogError(
        'GROUP_REBALANCED',
        `${this.#label}: offset commit refused, the group rebalanced (${describeError(error)})`,
        { cause: error },
      );
    }
  }

  async #commitOwned(points: readonly CommitAt[]): Promise<void> {
    await retry(
      async () => {
        const owned = points.filter((point) => !this.#changedHands(point));
        if (owned.length < points.length) {
          this.#options.logger.info('partition changed hands during processing; not committing', {
            group: this.#options.groupId,
            partitions: points
              .filter((point) => !owned.includes(point))
              .map(({ topic, partition, next }) => `${topic}[${partition}]@${next}`)
              .join(' '),
          });
        }
        if (owned.length === 0) return;
        await this.#client.commit({
          offsets: owned.map(({ topic, partition, next, leaderEpoch }) => ({
            topic,
            partition,
            offset: next,
            leaderEpoch,
          })),
        });
        this.#commits++;
      },
      {
        // The client itself rejoins and retries on a rejoin error, unless the refusal was for a
        // generation it has left or is leaving; what comes back is final: the stream reopens and
        // the records are delivered again (at least once).
        shouldRetry: (error) => findErrorBy(error as Error, 'needsRejoin', true) === null,
        attempts: 5,
        backoff: { baseMs: 200, factor: 2, maxMs: 2_000, jitter: 0.2 },
        onRetry: ({ attempt, error }) =>
          this.#options.logger.warn('offset commit failed, trying again', {
            group: this.#options.groupId,
            partitions: points.map((p) => `${p.topic}[${p.partition}]@${p.next}`).join(' '),
            attempt,
            error: describeError(error),
          }),
      },
    );
  }

  #changedHands(point: CommitAt): boolean {
    return (
      !this.#isAssigned(point.topic, point.partition) ||
      point.generation !== this.#client.generationId
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
    client.on('consumer:heartbeat:end', () => {
      this.#answeredAt = Date.now();
    });
    client.on('consumer:group:join', ({ memberId, generationId, assignments }) => {
      this.#answeredAt = Date.now();
      // Idle, the loop would notice the new generation (and reopen its stream, and own its new
      // partitions: see stats().current) only with the next record.
      if (generationId !== this.#streamGeneration) this.#interruptDrain?.();
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

/** Where to commit a partition: the offset after a finished record, and the message it came in. */
interface CommitAt {
  readonly topic: string;
  readonly partition: number;
  readonly next: bigint;
  /** The group generation the partition was fetched under. */
  readonly generation: number | undefined;
  /** The partition leader's epoch the record came with; -1 (unknown) for a skipped range. */
  readonly leaderEpoch: number;
}

const partitionOf = (message: Pick<ClientMessage, 'topic' | 'partition'>) =>
  `${message.topic}:${message.partition}`;

/** The offset after the last finished record, or the drained position past markers after it. */
function nextOffset(afterLast: bigint, drainedTo: bigint | undefined): bigint {
  return drainedTo !== undefined && drainedTo > afterLast ? drainedTo : afterLast;
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

/** A batch of what the stream fetched. */
interface Fetched {
  readonly messages: ClientMessage[];
  /**
   * Per partition, where the stream's next fetch starts, taken when the batch emptied its buffer
   * (undefined when the batch was cut short by its caps): every record before it was handed out.
   * It is past the control records (transaction markers) that end a partition, which are never
   * handed out: committing it instead of the last record's offset + 1 leaves no lag of 1 behind
   * each transaction.
   */
  readonly drainedTo: ReadonlyMap<string, bigint> | undefined;
  /** Cut short by its caps: the stream holds more records already. */
  readonly full: boolean;
}

/**
 * The records the stream has fetched, a batch at a time: what is buffered now (up to a count and
 * a size), or, when nothing is, the next records to arrive. `undefined` once the stream ended.
 */
function batchesOf(stream: ClientStream, signal: AbortSignal) {
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let interrupted = false;
  const onReadable = () => wake?.();
  const onError = (error: unknown) => {
    failure ??= { error };
    wake?.();
  };
  stream.on('readable', onReadable);
  stream.on('end', onReadable);
  stream.on('close', onReadable);
  stream.on('error', onError);
  signal.addEventListener('abort', onReadable);
  return {
    async next(already: number): Promise<Fetched | undefined> {
      for (;;) {
        if (failure) throw failure.error;
        if (interrupted) {
          interrupted = false;
          return { messages: [], drainedTo: undefined, full: false };
        }
        const batch: ClientMessage[] = [];
        let bytes = 0;
        let drainedTo: Map<string, bigint> | undefined;
        while (already + batch.length < MAX_BATCH_RECORDS && bytes < MAX_BATCH_BYTES) {
          const message = stream.read() as ClientMessage | null;
          if (message === null) {
            // A fetch response is parsed and buffered in one go: with the buffer empty, the
            // stream has handed out everything before its next fetch offsets.
            drainedTo = new Map(stream.offsetsToFetch);
            break;
          }
          batch.push(message);
          bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
        }
        if (batch.length > 0 || already > 0) {
          return { messages: batch, drainedTo, full: drainedTo === undefined };
        }
        if (stream.readableEnded || stream.destroyed || signal.aborted) return undefined;
        // Idle: wakes up now and then with an empty batch, so that the loop can commit past
        // records that never come out of the stream (see GroupLoop#commitSkipped).
        let idle: NodeJS.Timeout | undefined;
        const ticked = await new Promise<boolean>((resolve) => {
          wake = () => resolve(false);
          idle = setTimeout(() => resolve(true), IDLE_CHECK_MS);
        });
        clearTimeout(idle);
        wake = undefined;
        if (ticked && stream.readableLength === 0) {
          return { messages: [], drainedTo: new Map(stream.offsetsToFetch), full: false };
        }
      }
    },
    /** Makes a waiting (or the next) `next` return an empty batch. */
    interrupt() {
      interrupted = true;
      wake?.();
    },
    stop() {
      stream.off('readable', onReadable);
      stream.off('end', onReadable);
      stream.off('close', onReadable);
      stream.off('error', onError);
      signal.removeEventListener('abort', onReadable);
    },
  };
}

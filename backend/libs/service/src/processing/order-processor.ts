import {
  FLOW_RETENTION_MS,
  FLOW_SEGMENT_MS,
  Headers,
  type KafkadogEvent,
} from '@kafkadog/contracts';
import {
  BatchOutput,
  createEventConsumer,
  createRetryWorker,
  createStateStore,
  describeError,
  KafkadogError,
  partitionFor,
  retryGroupId,
  writeBatch,
  type ConsumerStats,
  type EventConsumer,
  type EventConsumerOptions,
  type EventMeta,
  type IdempotencyGuard,
  type RetryWorker,
  type StateStore,
  type TransactionalProducer,
} from '@kafkadog/kafka';
import { z } from 'zod';
import { createPausableConsumers, type PausableConsumers } from '../control/pausable-consumers.js';
import { KeyedLock } from './keyed-lock.js';
import type { OrderProcessor, OrderProcessorOptions, ProcessorClients } from './types.js';

/** ORDER_STATE_GRACE_MS's default: the order topics' retention, and two segments' time to spare. */
const DEFAULT_STATE_GRACE_MS = FLOW_RETENTION_MS + 2 * FLOW_SEGMENT_MS;
/** Tombstones per write: a long-stopped service catching up deletes in several steps. */
const MAX_RETIRED_PER_SWEEP = 5_000;
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** What the state topic holds per order: the state, and the ids of the inputs folded into it. */
export interface StoredOrder<S> {
  readonly state: S;
  readonly applied: string[];
}

/**
 * A service's order processing: a group consumer and its retry worker share one handler, and the
 * state of every order lives in a compacted topic with the ids of the events applied to it.
 *
 * A batch at a time, one batch of either consumer at a time: first catch up with what other
 * instances wrote to the state topic (only when another member could have written); then for each
 * event, in order: if its id is in the order's `applied` → suppressed (and counted); otherwise
 * outputs = decide(state, event), and the order's new state with the event's id join the batch.
 * The batch's outputs and states are written in ONE produce, then the consumer commits.
 *
 * Why this is safe: outputs and the state that records them are written together, so after a
 * crash either both are there (the redelivered event is suppressed by its id) or the redelivery
 * decides again. A produce that fails is sent again whole, never decided anew, so a redo emits
 * the very same events (their ids are derived from the cause), which every consumer suppresses by
 * id. Across several brokers one produce is several requests, and a crash between them could keep
 * one part: exactly-once mode (a transaction) closes that gap.
 */
export function createOrderProcessor<S, I extends KafkadogEvent, O>(
  clients: ProcessorClients,
  options: OrderProcessorOptions<S, I, O>,
): OrderProcessor<S, I> {
  const { groupId, decider } = options;
  const { logger, metrics } = clients;
  const guarantee = options.effectGuarantee ?? 'at-least-once';
  const schema: z.ZodType<StoredOrder<S>> = z.object({
    state: options.stateSchema,
    applied: z.array(z.string()),
  });
  const batches = new KeyedLock();
  let abort = new AbortController();
  let store: StateStore<StoredOrder<S>> | undefined;
  let consumer: EventConsumer | undefined;
  let worker: RetryWorker | undefined;
  let consumers: PausableConsumers | undefined;
  /** Exactly-once: the producer whose transactions carry every batch (one batch at a time). */
  let transactions: TransactionalProducer | undefined;
  let ready = false;
  let started = false;
  let sweeper: NodeJS.Timeout | undefined;
  const graceMs = options.stateGraceMs ?? clients.stateGraceMs ?? DEFAULT_STATE_GRACE_MS;
  /** The groups as they were at the last catch-up; `undefined`: catch up before the next batch. */
  let caughtUpWith: string | undefined;
  /** Memory may hold decisions that were not written: read the whole state topic again. */
  let stale = false;

  function requireStore(): StateStore<StoredOrder<S>> {
    if (!store) throw new KafkadogError('NOT_STARTED', `${groupId} processor is not started`);
    return store;
  }

  // The consumer asks before its handler; the handler asks again (see `decideInto`). Both count a
  // suppressed duplicate.
  const guard: IdempotencyGuard = {
    isApplied(event) {
      if (event.orderId === undefined) return false;
      return store?.get(event.orderId)?.applied.includes(event.id) ?? false;
    },
    markApplied() {
      // Nothing to do: the id was staged together with the state it produced, in one record.
    },
  };

  /**
   * Who may have written this service's state since we last read it: when this instance holds
   * every input partition and the retry topic, under the same generations as then, nobody.
   */
  function groupsNow(): string | undefined {
    const main = consumer?.stats();
    if (!main) return undefined;
    const holds = (stats: ConsumerStats, spec: { name: string; partitions: number }) =>
      stats.assignments.find((a) => a.topic === spec.name)?.partitions.length === spec.partitions;
    if (!options.topics.every((spec) => holds(main, spec))) return undefined;
    if (options.retry === false) return `${main.generation}`;
    const retries = worker?.stats();
    if (!retries || retries.assignments.length === 0) return undefined;
    return `${main.generation}/${retries.generation}`;
  }

  /** Runs one batch at a time, after catching up with the state topic where needed. */
  function inBatch<T>(work: () => Promise<T>): Promise<T> {
    return batches.run(groupId, async () => {
      const current = requireStore();
      const groups = groupsNow();
      if (stale) {
        await current.reload();
        stale = false;
        caughtUpWith = groups;
      } else if (groups === undefined || groups !== caughtUpWith) {
        await current.load();
        caughtUpWith = groups;
      }
      try {
        return await work();
      } catch (error) {
        // Decided in memory but perhaps not written (a failed transaction, a close or a pause
        // in the middle of the write): the next batch first reads the state topic again, and
        // decides against what was stored.
        stale = true;
        throw error;
      }
    });
  }

  /** Decides one input against its order's state; its outputs and new state join `out`. */
  async function decideInto(
    orderId: string,
    inputId: string,
    input: I,
    meta: EventMeta | undefined,
    out: BatchOutput,
  ): Promise<void> {
    const current = requireStore();
    const stored = current.get(orderId) ?? { state: decider.initialState, applied: [] };
    if (stored.applied.includes(inputId)) {
      if (meta) metrics.duplicatesSuppressed.inc({ topic: meta.topic, group: groupId });
      return;
    }
    if (meta) await options.beforeDecide?.(input, meta);
    const outputs = decider.decide(stored.state, input);
    const state = [input, ...outputs].reduce<S>(
      (folded, event) => decider.evolve(folded, event),
      stored.state,
    );
    // `handled-at`: when this instance took the cause; published with the output so that its hop
    // can be split into the time the cause waited in its topic and the time it took to process.
    const headers = meta ? { [Headers.handledAt]: Date.now() } : {};
    const records = options.effect
      ? []
      : outputs.map((output) =>
          clients.producer.eventRecord(output as unknown as KafkadogEvent, { headers }),
        );
    const { effect } = options;
    if (effect && guarantee === 'at-least-once') {
      for (const output of outputs) await effect(output, input);
    }
    // Staged last: everything that can refuse the input (a hook, an invalid output, an effect)
    // has run.
    current.stage(orderId, { state, applied: [...stored.applied, inputId] }, out);
    for (const record of records) out.add(record);
    if (effect && guarantee === 'at-most-once') {
      for (const output of outputs) {
        out.afterWrite(() => runEffect(effect, output, input, orderId, inputId));
      }
    }
  }

  function runEffect(
    effect: (output: O, cause: I) => Promise<void>,
    output: O,
    input: I,
    orderId: string,
    inputId: string,
  ): Promise<void> {
    return effect(output, input).catch((error: unknown) => {
      // Recorded as applied already: a retry would be suppressed, so say that it is lost.
      logger.error('effect failed after the input was recorded; it is not retried', {
        group: groupId,
        order: orderId,
        input: inputId,
        error: describeError(error),
      });
    });
  }

  async function handler(event: KafkadogEvent, meta: EventMeta, out: BatchOutput): Promise<void> {
    if (!options.accepts(event)) return;
    if (event.orderId === undefined) {
      // Per-order state needs an order: dead-lettered (not retried), never silently dropped.
      throw new KafkadogError(
        'NO_ORDER_ID',
        `${event.type} ${event.id} has no orderId; ${groupId} keeps its state per order`,
      );
    }
    await decideInto(event.orderId, event.id, event, meta, out);
  }

  async function closeConsumers(): Promise<void> {
    // Both at once: a consumer still open while the other closes could be handed partitions.
    await Promise.all([worker?.close(), consumer?.close()]);
    worker = undefined;
    consumer = undefined;
  }

  async function openConsumers(consumerOptions: EventConsumerOptions): Promise<void> {
    try {
      consumer = createEventConsumer(consumerOptions);
      await consumer.start();
      if (options.retry !== false) {
        worker = createRetryWorker(consumerOptions);
        await worker.start();
      }
    } catch (error) {
      await closeConsumers().catch(() => {});
      throw error;
    }
  }

  /**
   * Writes a batch this processor made itself (timeouts, tombstones), not a consumer's, for
   * orders it owned under group generation `generation`: not once the group has moved on (the
   * orders' new owner decides them), and not while the membership is unconfirmed.
   */
  function writeOwn(out: BatchOutput, generation: number | undefined): Promise<void> {
    return writeBatch(out, {
      producer: clients.producer,
      signal: abort.signal,
      logger,
      groupId,
      fence: () => {
        options.fence?.();
        const stats = consumer?.stats();
        if (!stats || stats.generation !== generation) {
          throw new KafkadogError(
            'GROUP_REBALANCED',
            `${groupId} moved on from generation ${generation} before its own batch was written`,
          );
        }
        if (!stats.current) {
          throw new KafkadogError(
            'MEMBERSHIP_UNCONFIRMED',
            `${groupId}: the group coordinator has not confirmed this member lately`,
            { retriable: true },
          );
        }
      },
      transactions,
    });
  }

  /**
   * Deletes the state of the orders this instance owns that have not changed for the grace
   * period: a tombstone each, written like a batch (in its transaction in exactly-once mode).
   * Past the grace period no event of the order is left in its topics to need it.
   */
  async function retireUnchanged(): Promise<void> {
    const current = store;
    if (!current || !consumer || consumers?.paused) return;
    const before = Date.now() - graceMs;
    await inBatch(async () => {
      const generation = consumer?.stats().generation;
      const out = new BatchOutput();
      let retired = 0;
      for (const orderId of current.unchangedSince(before)) {
        if (!owns(orderId)) continue;
        current.stageDelete(orderId, out);
        if (++retired >= MAX_RETIRED_PER_SWEEP) break;
      }
      if (retired === 0) return;
      await writeOwn(out, generation);
      metrics.stateRetired.inc({ group: groupId }, retired);
      logger.info('state of finished orders deleted (tombstones)', {
        group: groupId,
        orders: retired,
        unchangedSince: new Date(before).toISOString(),
      });
    });
  }

  function startSweeping(): void {
    if (options.retireState === false) return;
    const every = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(100, Math.floor(graceMs / 10)));
    sweeper = setInterval(() => {
      retireUnchanged().catch((error: unknown) => {
        if (abort.signal.aborted) return;
        logger.warn('could not delete the state of finished orders; trying again later', {
          group: groupId,
          error: describeError(error),
        });
      });
    }, every);
    sweeper.unref();
  }

  async function stop(): Promise<void> {
    clearInterval(sweeper);
    sweeper = undefined;
    ready = false;
    caughtUpWith = undefined;
    // The consumers first: they finish their record, which still needs the store and producer.
    await consumers?.close();
    await closeConsumers();
    abort.abort();
    await transactions?.close();
    transactions = undefined;
    await store?.close();
    consumers = undefined;
    store = undefined;
  }

  function owns(orderId: string): boolean {
    const [keyTopic] = options.topics;
    if (!keyTopic || !consumer) return false;
    const partition = partitionFor(orderId, keyTopic.partitions);
    const stats = consumer.stats();
    // An assignment this member may have lost without knowing (frozen past its session) is not
    // ownership: see ConsumerStats.current.
    return (
      stats.current &&
      stats.assignments.some(
        (assigned) => assigned.topic === keyTopic.name && assigned.partitions.includes(partition),
      )
    );
  }

  return {
    async start() {
      if (started)
        throw new KafkadogError('ALREADY_STARTED', `${groupId} processor already started`);
      started = true;
      abort = new AbortController();
      stale = false;
      try {
        store = createStateStore({
          brokers: clients.brokers,
          topic: options.stateTopic.name,
          producer: clients.producer,
          schema,
          logger,
          clientId: `${groupId}.state`,
          ...(options.onStateChanged
            ? {
                onChange: (orderId, stored, previous) =>
                  options.onStateChanged?.(orderId, stored?.state, previous?.state),
              }
            : {}),
        });
        if (clients.processing === 'exactly-once' && clients.transactionalProducer) {
          transactions = clients.transactionalProducer('processing');
        }
        // Before the first event: a decision must see the order's history, or a redelivered
        // event would be applied again.
        const loadStarted = Date.now();
        await store.load();
        ready = true;
        logger.info('state loaded', {
          group: groupId,
          topic: options.stateTopic.name,
          orders: store.size,
          records: store.records,
          ms: Date.now() - loadStarted,
        });
        const consumerOptions: EventConsumerOptions = {
          brokers: clients.brokers,
          groupId,
          topics: options.topics,
          handler,
          producer: clients.producer,
          idempotency: guard,
          ...(options.retry === undefined ? {} : { retry: options.retry }),
          ...(options.retryTopic === undefined ? {} : { retryTopic: options.retryTopic }),
          ...(options.dlqTopic === undefined ? {} : { dlqTopic: options.dlqTopic }),
          ...(options.fence ? { fence: options.fence } : {}),
          ...(options.transactionIntervalMs === undefined
            ? {}
            : { transactionIntervalMs: options.transactionIntervalMs }),
          ...(transactions ? { transactions } : {}),
          batchScope: inBatch,
          logger,
          metrics,
        };
        // The group is paused from the explorer by closing these consumers (see control/).
        consumers = createPausableConsumers(clients, {
          groups: options.retry === false ? [groupId] : [groupId, retryGroupId(groupId)],
          what: `${groupId} consumers`,
          open: () => openConsumers(consumerOptions),
          close: closeConsumers,
        });
        await consumers.start();
        startSweeping();
      } catch (error) {
        // Leaves nothing behind, so that start() can simply be called again.
        await stop().catch(() => {});
        started = false;
        throw error;
      }
    },

    async close() {
      await stop();
      started = false;
    },

    stateOf(orderId) {
      return store?.get(orderId)?.state;
    },

    *states(): IterableIterator<[string, S]> {
      if (!store) return;
      for (const [orderId, stored] of store.entries()) yield [orderId, stored.state];
    },

    owns,

    apply(orderId, inputId, input) {
      return this.applyAll([{ orderId, inputId, input }]);
    },

    applyAll(inputs) {
      return inBatch(async () => {
        const generation = consumer?.stats().generation;
        const out = new BatchOutput();
        for (const { orderId, inputId, input } of inputs) {
          // The group may have moved the order since the caller picked it: its owner decides it.
          if (!owns(orderId)) continue;
          await decideInto(orderId, inputId, input, undefined, out);
        }
        await writeOwn(out, generation);
      });
    },

    get ready() {
      return ready;
    },

    get paused() {
      return consumers?.paused ?? false;
    },
  };
}

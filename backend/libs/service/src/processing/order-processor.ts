import type { KafkadogEvent } from '@kafkadog/contracts';
import {
  createEventConsumer,
  createRetryWorker,
  createStateStore,
  describeError,
  KafkadogError,
  partitionFor,
  retryGroupId,
  type EventConsumer,
  type EventConsumerOptions,
  type EventMeta,
  type IdempotencyGuard,
  type RetryWorker,
  type StateStore,
} from '@kafkadog/kafka';
import { z } from 'zod';
import { createPausableConsumers, type PausableConsumers } from '../control/pausable-consumers.js';
import { KeyedLock } from './keyed-lock.js';
import type { OrderProcessor, OrderProcessorOptions, ProcessorClients } from './types.js';

/** What the state topic holds per order: the state, and the ids of the inputs folded into it. */
export interface StoredOrder<S> {
  readonly state: S;
  readonly applied: string[];
}

/**
 * A service's order processing: a group consumer and its retry worker share one handler, and the
 * state of every order lives in a compacted topic with the ids of the events applied to it.
 *
 * handle(event) = if its id is in the order's `applied` → suppressed (and counted); otherwise
 * outputs = decide(state, event); each output's effect (default: publish it); then the order's
 * new state and applied ids are written in ONE record; then the consumer commits the offset.
 *
 * Why in this order: a crash after an effect but before the state write redoes the work on
 * redelivery, and since the ids of caused events are derived from the cause, the redo publishes
 * the very same events, which every consumer suppresses by id. A crash after the state write but
 * before the commit redelivers the event, which the applied ids suppress. Nothing is lost and
 * nothing is applied twice. (`effectGuarantee: 'at-most-once'` swaps effect and write, for
 * effects that cannot be deduplicated downstream.)
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
  const lock = new KeyedLock();
  let store: StateStore<StoredOrder<S>> | undefined;
  let consumer: EventConsumer | undefined;
  let worker: RetryWorker | undefined;
  let consumers: PausableConsumers | undefined;
  let ready = false;
  let started = false;

  async function effect(output: O, cause: I): Promise<void> {
    if (options.effect) return options.effect(output, cause);
    await clients.producer.publish(output as unknown as KafkadogEvent);
  }

  function requireStore(): StateStore<StoredOrder<S>> {
    if (!store) throw new KafkadogError('NOT_STARTED', `${groupId} processor is not started`);
    return store;
  }

  // The consumer asks before its handler; the handler asks again under the order's lock, after
  // catching up with the state topic (see `process`). Both count a suppressed duplicate.
  const guard: IdempotencyGuard = {
    isApplied(event) {
      if (event.orderId === undefined) return false;
      return store?.get(event.orderId)?.applied.includes(event.id) ?? false;
    },
    markApplied() {
      // Nothing to do: the id was written together with the state it produced, in one record.
    },
  };

  async function process(
    orderId: string,
    inputId: string,
    input: I,
    meta: EventMeta | undefined,
  ): Promise<void> {
    const current = requireStore();
    await lock.run(orderId, async () => {
      // Read what other instances of this service wrote since (after a rebalance handed us their
      // partitions, or a retry of one of our orders ran there). Usually one ListOffsets request:
      // this process's own writes are not read back.
      await current.load();
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
      const next: StoredOrder<S> = { state, applied: [...stored.applied, inputId] };
      if (guarantee === 'at-least-once') {
        for (const output of outputs) await effect(output, input);
        await current.set(orderId, next);
        return;
      }
      await current.set(orderId, next);
      for (const output of outputs) {
        try {
          await effect(output, input);
        } catch (error) {
          // Recorded as applied already: a retry would be suppressed, so say that it is lost.
          logger.error('effect failed after the input was recorded; it is not retried', {
            group: groupId,
            order: orderId,
            input: inputId,
            error: describeError(error),
          });
        }
      }
    });
  }

  async function handler(event: KafkadogEvent, meta: EventMeta): Promise<void> {
    if (!options.accepts(event)) return;
    if (event.orderId === undefined) {
      // Per-order state needs an order: dead-lettered (not retried), never silently dropped.
      throw new KafkadogError(
        'NO_ORDER_ID',
        `${event.type} ${event.id} has no orderId; ${groupId} keeps its state per order`,
      );
    }
    await process(event.orderId, event.id, event, meta);
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

  async function stop(): Promise<void> {
    ready = false;
    // The consumers first: they finish their record, which still needs the store and producer.
    await consumers?.close();
    await closeConsumers();
    await store?.close();
    consumers = undefined;
    store = undefined;
  }

  return {
    async start() {
      if (started)
        throw new KafkadogError('ALREADY_STARTED', `${groupId} processor already started`);
      started = true;
      try {
        store = createStateStore({
          brokers: clients.brokers,
          topic: options.stateTopic.name,
          producer: clients.producer,
          schema,
          logger,
          clientId: `${groupId}.state`,
        });
        // Before the first event: a decision must see the order's history, or a redelivered
        // event would be applied again.
        await store.load();
        ready = true;
        logger.info('state loaded', {
          group: groupId,
          topic: options.stateTopic.name,
          orders: store.size,
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
          ...(options.parallelPartitions === undefined
            ? {}
            : { parallelPartitions: options.parallelPartitions }),
          ...(options.fence ? { fence: options.fence } : {}),
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

    owns(orderId) {
      const [keyTopic] = options.topics;
      if (!keyTopic || !consumer) return false;
      const partition = partitionFor(orderId, keyTopic.partitions);
      return consumer
        .stats()
        .assignments.some(
          (assigned) => assigned.topic === keyTopic.name && assigned.partitions.includes(partition),
        );
    },

    apply(orderId, inputId, input) {
      return process(orderId, inputId, input, undefined);
    },

    get ready() {
      return ready;
    },

    get paused() {
      return consumers?.paused ?? false;
    },
  };
}

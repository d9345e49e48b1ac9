import {
  causedBy,
  createEvent,
  topics,
  type EventOf,
  type KafkadogEvent,
  type TopicSpec,
} from '@kafkadog/contracts';
import {
  counterValue,
  createAdmin,
  createKafkaMetrics,
  createProducer,
  createStateStore,
  createTransactionalProducer,
  KafkadogError,
  readToEnd,
  type EventMeta,
  type EventProducer,
  type KafkaMetrics,
} from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryLogger } from '../../../kafka/test/fixtures.js';
import { testBrokers, uniqueName } from '../../../../../test/support/kafka.js';
import { waitFor } from '../../../../../test/support/wait.js';
import { createOrderProcessor, type StoredOrder } from './order-processor.js';
import type { OrderDecider, OrderProcessorOptions } from './types.js';

type Input = EventOf<'OrderPlaced'>;
type Output = EventOf<'PaymentAuthorized'>;
const State = z.object({ placed: z.number().int(), total: z.number().int() });
type State = z.infer<typeof State>;

/**
 * A deliberately NOT idempotent decider: every OrderPlaced it is given is authorized again and
 * counted. Only the processor's applied ids keep a redelivered event from a second effect.
 */
const decider: OrderDecider<State, Input, Output> = {
  initialState: { placed: 0, total: 0 },
  decide: (_state, input) => [
    causedBy(input, 'PaymentAuthorized', { paymentId: randomUUID(), amount: input.data.total }),
  ],
  evolve: (state, event) =>
    event.type === 'OrderPlaced'
      ? { placed: state.placed + 1, total: state.total + event.data.total }
      : state,
};

function orderPlaced(orderId: string = randomUUID(), total = 1_000): Input {
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: total }],
      total,
      cardNumber: '4242424242424242',
    },
    { orderId },
  );
}

interface Effect {
  readonly output: Output;
  readonly cause: Input;
  /** The order's state in the state topic while the effect ran. */
  readonly stateDuring: State | undefined;
}

describe('createOrderProcessor (decide, effect, state, idempotency)', () => {
  const brokers = testBrokers();
  const created: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    const admin = createAdmin({ brokers, logger: memoryLogger() });
    await admin.deleteTopics(created).finally(() => admin.close());
  });

  async function testTopics() {
    const specs = {
      orders: { ...topics.orders, name: uniqueName('proc.orders') },
      retry: { ...topics.retry, name: uniqueName('proc.retry') },
      dlq: { ...topics.dlq, name: uniqueName('proc.dlq') },
      state: { ...topics.paymentState, name: uniqueName('state') },
    } satisfies Record<string, TopicSpec>;
    const admin = createAdmin({ brokers, logger: memoryLogger() });
    await admin.ensureTopics(Object.values(specs)).finally(() => admin.close());
    created.push(...Object.values(specs).map((spec) => spec.name));
    return specs;
  }

  function clients(metrics: KafkaMetrics = createKafkaMetrics()) {
    const logger = memoryLogger();
    const producer = createProducer({ brokers, clientId: 'test-processor', logger, metrics });
    closers.push(() => producer.close());
    return { brokers, producer, metrics, logger };
  }

  /**
   * Exactly-once clients whose transactional producers call `beforeTransaction` first, each
   * time: to note when a transaction began, or to fail one (it throws).
   */
  function exactlyOnceClients(beforeTransaction: () => void) {
    const base = clients();
    return {
      ...base,
      processing: 'exactly-once' as const,
      transactionalProducer: (purpose: string) => {
        const real = createTransactionalProducer({
          brokers,
          clientId: `test-${purpose}`,
          transactionalId: uniqueName(`proc.tx.${purpose}`),
          logger: base.logger,
        });
        closers.push(() => real.close());
        return {
          ...real,
          runTransaction: async (...args: Parameters<typeof real.runTransaction>) => {
            beforeTransaction();
            return real.runTransaction(...args);
          },
        };
      },
    };
  }

  async function startProcessor(
    specs: Awaited<ReturnType<typeof testTopics>>,
    kafka: ReturnType<typeof clients>,
    overrides: Partial<OrderProcessorOptions<State, Input, Output>> & { groupId?: string } = {},
  ) {
    const effects: Effect[] = [];
    const options: OrderProcessorOptions<State, Input, Output> = {
      groupId: uniqueName('proc.group'),
      topics: [specs.orders],
      accepts: (event: KafkadogEvent): event is Input => event.type === 'OrderPlaced',
      decider,
      stateTopic: specs.state,
      stateSchema: State,
      effect: async (output, cause) => {
        const stored = await storedOrders(specs.state.name);
        effects.push({ output, cause, stateDuring: stored.get(cause.orderId!)?.state });
      },
      retry: { maxAttempts: 3, baseMs: 200, factor: 2, maxMs: 1_000, jitter: 0 },
      retryTopic: specs.retry.name,
      dlqTopic: specs.dlq.name,
      ...overrides,
    };
    const processor = createOrderProcessor(kafka, options);
    closers.push(() => processor.close());
    expect(processor.ready).toBe(false);
    await processor.start();
    return { processor, effects, groupId: options.groupId };
  }

  async function storedOrders(stateTopic: string): Promise<Map<string, StoredOrder<State>>> {
    const orders = new Map<string, StoredOrder<State>>();
    await readToEnd({
      brokers,
      topics: [stateTopic],
      onRecord: (record) => {
        orders.set(record.key!, JSON.parse(record.value!.toString()) as StoredOrder<State>);
      },
    });
    return orders;
  }

  function suppressed(metrics: KafkaMetrics, topic: string, group: string): Promise<number> {
    return counterValue(metrics.duplicatesSuppressed, { topic, group });
  }

  async function publish(producer: EventProducer, event: KafkadogEvent, topic: string) {
    await producer.publish(event, { topic });
  }

  it('decides, runs the effects, then writes state and applied ids in one record', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { processor, effects } = await startProcessor(specs, kafka);
    expect(processor.ready).toBe(true);
    const placed = orderPlaced(undefined, 4_200);

    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(() => processor.stateOf(placed.orderId!), { what: 'the order state' });

    expect(effects).toHaveLength(1);
    expect(effects[0]!.output).toMatchObject({
      type: 'PaymentAuthorized',
      causationId: placed.id,
      data: { amount: 4_200 },
    });
    // The effect ran before the state was written to its topic.
    expect(effects[0]!.stateDuring).toBeUndefined();
    expect(processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 4_200 });
    expect([...processor.states()]).toEqual([[placed.orderId, { placed: 1, total: 4_200 }]]);
    // The state topic holds the state with the id of the event that produced it.
    expect((await storedOrders(specs.state.name)).get(placed.orderId!)).toEqual({
      state: { placed: 1, total: 4_200 },
      applied: [placed.id],
    });
  });

  it('suppresses a duplicate event and counts it', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { processor, effects, groupId } = await startProcessor(specs, kafka);
    const placed = orderPlaced();
    const other = orderPlaced(placed.orderId, 10);

    await publish(kafka.producer, placed, specs.orders.name);
    await publish(kafka.producer, placed, specs.orders.name);
    await publish(kafka.producer, other, specs.orders.name);
    await waitFor(() => processor.stateOf(placed.orderId!)?.placed === 2 && effects.length === 2, {
      what: 'both distinct events applied',
    });
    await waitFor(async () => (await suppressed(kafka.metrics, specs.orders.name, groupId)) === 1, {
      what: 'the duplicate counted',
    });

    expect(effects.map((effect) => effect.cause.id)).toEqual([placed.id, other.id]);
    expect(processor.stateOf(placed.orderId!)).toEqual({ placed: 2, total: 1_010 });
    expect(await kafka.metrics.registry.metrics()).toContain(
      `kafkadog_duplicates_suppressed_total{topic="${specs.orders.name}",group="${groupId}"} 1`,
    );
  });

  it('after a restart, suppresses an event the previous instance applied (replay from earliest)', async () => {
    const specs = await testTopics();
    const first = await startProcessor(specs, clients());
    const kafka = clients();
    const placed = orderPlaced();
    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(() => first.effects.length === 1, { what: 'the first instance to apply it' });
    await first.processor.close();

    // A new process with empty memory and nothing to consume: it knows the order all the same,
    // from the state topic, as soon as it is started.
    const second = await startProcessor(specs, kafka, { groupId: first.groupId });
    expect(second.processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 1_000 });
    await second.processor.close();

    // Another one, with its group moved back so the event is delivered again: suppressed.
    const admin = createAdmin({ brokers, logger: memoryLogger() });
    await admin
      .resetGroupOffsets(first.groupId, [specs.orders.name], 'earliest')
      .finally(() => admin.close());
    const third = await startProcessor(specs, kafka, { groupId: first.groupId });
    await waitFor(
      async () => (await suppressed(kafka.metrics, specs.orders.name, first.groupId)) === 1,
      { what: 'the redelivered event to be suppressed' },
    );
    expect(third.effects).toEqual([]);
    expect(third.processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 1_000 });
  });

  it('deletes the state of an order unchanged for the grace period: a tombstone, gone after a restart too', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const graceMs = 1_500;
    const { processor, groupId } = await startProcessor(specs, kafka, { stateGraceMs: graceMs });
    const old = orderPlaced();
    const placedAt = Date.now();
    await publish(kafka.producer, old, specs.orders.name);
    await waitFor(() => processor.stateOf(old.orderId!), { what: 'the first order state' });
    // Another order, changed again and again: never unchanged for the grace period.
    const busy = orderPlaced();
    const keepBusy = setInterval(() => {
      void publish(kafka.producer, orderPlaced(busy.orderId, 1), specs.orders.name);
    }, graceMs / 4);
    try {
      await waitFor(() => processor.stateOf(old.orderId!) === undefined, {
        what: 'the unchanged order state to be deleted',
        timeoutMs: 20_000,
      });
      expect(Date.now() - placedAt).toBeGreaterThanOrEqual(graceMs);
      expect(processor.stateOf(busy.orderId!)).toBeDefined();
    } finally {
      clearInterval(keepBusy);
    }

    // The topic holds a tombstone (a null value) for the deleted order, after its state.
    const records: { key?: string; tombstone: boolean }[] = [];
    await readToEnd({
      brokers,
      topics: [specs.state.name],
      onRecord: (record) => {
        if (record.key === old.orderId) records.push({ tombstone: record.value === undefined });
      },
    });
    expect(records.at(-1)).toEqual({ tombstone: true });
    expect(
      await counterValue(kafka.metrics.stateRetired, { group: groupId }),
    ).toBeGreaterThanOrEqual(1);

    // A new instance (with the default grace of a day) loads the state without the order.
    await processor.close();
    const next = await startProcessor(specs, kafka, { groupId });
    expect(next.processor.stateOf(old.orderId!)).toBeUndefined();
    expect(next.processor.stateOf(busy.orderId!)).toBeDefined();
  });

  it('sees state another instance wrote before deciding', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { processor, effects, groupId } = await startProcessor(specs, kafka);
    const placed = orderPlaced();
    // Another instance of the service applied this event (and wrote its state) after we loaded.
    const elsewhere = createStateStore({
      brokers,
      topic: specs.state.name,
      producer: kafka.producer,
      schema: z.object({ state: State, applied: z.array(z.string()) }),
      logger: memoryLogger(),
    });
    closers.push(() => elsewhere.close());
    await elsewhere.set(placed.orderId!, {
      state: { placed: 1, total: 1_000 },
      applied: [placed.id],
    });

    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(async () => (await suppressed(kafka.metrics, specs.orders.name, groupId)) === 1, {
      what: 'the event to be suppressed',
    });

    expect(effects.map((effect) => effect.cause.id)).not.toContain(placed.id);
    expect(processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 1_000 });
  });

  it('tells which orders this instance owns: each order is owned by exactly one member', async () => {
    const specs = await testTopics();
    const groupId = uniqueName('proc.owners');
    const a = await startProcessor(specs, clients(), { groupId });
    const b = await startProcessor(specs, clients(), { groupId });
    const orderIds = Array.from({ length: 60 }, () => randomUUID());
    const owners = () => orderIds.map((id) => [a.processor.owns(id), b.processor.owns(id)]);
    // Both members hold partitions once the second join has settled.
    await waitFor(() => owners().some(([x]) => x) && owners().some(([, y]) => y), {
      what: 'both members to own some orders',
    });
    expect(owners().every(([x, y]) => x !== y)).toBe(true);

    // The owner is the member that receives the order's events.
    const placed = orderPlaced(orderIds.find((id) => b.processor.owns(id)));
    await publish(clients().producer, placed, specs.orders.name);
    await waitFor(() => b.effects.some((effect) => effect.cause.id === placed.id), {
      what: 'the owner to handle the order',
    });
    expect(a.effects).toEqual([]);
  });

  it('sends an event whose beforeDecide fails retriably through the retry topic', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const attempts: EventMeta[] = [];
    const { processor, effects, groupId } = await startProcessor(specs, kafka, {
      beforeDecide: (_event, meta) => {
        attempts.push(meta);
        if (meta.attempt === 1) {
          throw new KafkadogError('FLAKY', 'fails on the first attempt', { retriable: true });
        }
      },
    });
    const placed = orderPlaced();

    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(() => processor.stateOf(placed.orderId!), {
      what: 'the event to succeed on its retry',
    });

    expect(attempts.map((meta) => meta.attempt)).toEqual([1, 2]);
    expect(attempts[1]!.retry?.topic).toBe(specs.retry.name);
    expect(effects).toHaveLength(1);
    const retries: Record<string, string>[] = [];
    await readToEnd({
      brokers,
      topics: [specs.retry.name],
      onRecord: (record) => {
        retries.push(record.headers);
      },
    });
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ 'retry-group': groupId, 'event-id': placed.id });
    expect(await counterValue(kafka.metrics.retried, { group: groupId })).toBe(1);
  });

  it('decides nothing while its fence is closed, neither from its topics nor from its retries', async () => {
    const specs = await testTopics();
    const kafka = clients();
    let open = false;
    const asked: number[] = [];
    const attempts: number[] = [];
    const { processor, effects } = await startProcessor(specs, kafka, {
      fence: () => {
        asked.push(Date.now());
        if (!open) throw new KafkadogError('NOT_LEASE_HOLDER', 'the test holds the fence closed');
      },
      beforeDecide: (_event, meta) => {
        attempts.push(meta.attempt);
        if (meta.attempt === 1) {
          // Fails once, and closes the fence behind it: the retry worker must wait too.
          open = false;
          throw new KafkadogError('FLAKY', 'fails on the first attempt', { retriable: true });
        }
      },
    });

    // From the topic: asked, refused, asked again; nothing decided.
    const placed = orderPlaced();
    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(() => asked.length >= 2, { what: 'the fence to be asked twice' });
    expect(attempts).toEqual([]);
    open = true;
    // Its first attempt fails and closes the fence; its retry then waits behind it.
    await waitFor(() => attempts.length === 1, { what: 'the first attempt' });
    const closedAt = Date.now();
    await waitFor(() => asked.filter((at) => at > closedAt).length >= 2, {
      what: 'the fence to be asked twice for the retry',
    });
    expect(attempts).toEqual([1]);
    expect(processor.stateOf(placed.orderId!)).toBeUndefined();

    open = true;
    await waitFor(() => processor.stateOf(placed.orderId!), { what: 'the retry to be decided' });
    expect(attempts).toEqual([1, 2]);
    expect(effects).toHaveLength(1);
  });

  it('dead-letters an accepted event without an orderId', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { effects } = await startProcessor(specs, kafka);
    const { orderId: _orderId, ...withoutOrder } = orderPlaced();

    await kafka.producer.sendRaw({
      topic: specs.orders.name,
      key: 'no-order',
      value: Buffer.from(JSON.stringify(withoutOrder)),
    });
    const dead: Record<string, string>[] = [];
    await waitFor(
      async () => {
        dead.length = 0;
        await readToEnd({
          brokers,
          topics: [specs.dlq.name],
          onRecord: (record) => {
            dead.push(record.headers);
          },
        });
        return dead.length === 1;
      },
      { what: 'the dead letter' },
    );
    expect(dead[0]).toMatchObject({ 'dlq-reason': 'non_retriable' });
    expect(dead[0]!['dlq-error']).toMatch(/no orderId/);
    expect(effects).toEqual([]);
  });

  it('exactly-once: a batch whose transaction failed is decided again against what was stored', async () => {
    const specs = await testTopics();
    let failures = 0;
    // The first transaction fails after the batch was decided (as a broker error would).
    const kafka = exactlyOnceClients(() => {
      if (failures++ === 0) {
        throw new KafkadogError('TRANSACTION_ABORTED', 'the test aborts it', { retriable: true });
      }
    });
    const { processor } = await startProcessor(specs, kafka);
    const placed = orderPlaced(undefined, 700);

    await publish(kafka.producer, placed, specs.orders.name);
    await waitFor(async () => (await storedOrders(specs.state.name)).has(placed.orderId!), {
      what: 'the order stored by the second transaction',
    });

    expect(failures).toBeGreaterThanOrEqual(2);
    expect((await storedOrders(specs.state.name)).get(placed.orderId!)).toEqual({
      state: { placed: 1, total: 700 },
      applied: [placed.id],
    });
    expect(processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 700 });
  });

  it('exactly-once: begins its transactions no closer together than its transactionIntervalMs', async () => {
    const specs = await testTopics();
    const began: number[] = [];
    const kafka = exactlyOnceClients(() => began.push(performance.now()));
    // The library's default is 20 ms: 300 ms shows that the option reaches the consumer.
    await startProcessor(specs, kafka, { transactionIntervalMs: 300 });
    const stored = async (events: KafkadogEvent[]) => {
      const orders = await storedOrders(specs.state.name);
      return events.every((event) => orders.has(event.orderId!));
    };
    // The first transaction also finds the coordinator, and the orders behind it would pile up.
    const first = orderPlaced(undefined, 99);
    await publish(kafka.producer, first, specs.orders.name);
    await waitFor(() => stored([first]), { what: 'the first order stored' });
    began.length = 0;

    const events = Array.from({ length: 16 }, (_, i) => orderPlaced(undefined, 100 + i));
    const publishing = performance.now();
    for (const event of events) {
      await publish(kafka.producer, event, specs.orders.name);
      await sleep(25);
    }
    const spanMs = performance.now() - publishing;
    await waitFor(() => stored(events), { what: 'every order stored' });

    // One transaction per 300 ms at most while the orders came (a few ms each, 25 ms apart),
    // and one for those left when they stopped; with 20 ms it would be one per order or two.
    expect(began.length).toBeGreaterThanOrEqual(2);
    expect(began.length).toBeLessThanOrEqual(Math.ceil(spanMs / 300) + 1);
  });

  it('apply(): a non-Kafka input goes through the same path, once per input id', async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { processor, effects } = await startProcessor(specs, kafka);
    const placed = orderPlaced();

    await processor.apply(placed.orderId!, 'timer-1', placed);
    await processor.apply(placed.orderId!, 'timer-1', placed);

    expect(effects).toHaveLength(1);
    expect(processor.stateOf(placed.orderId!)).toEqual({ placed: 1, total: 1_000 });
    expect((await storedOrders(specs.state.name)).get(placed.orderId!)?.applied).toEqual([
      'timer-1',
    ]);
  });

  it("'at-most-once' effects run after the state write", async () => {
    const specs = await testTopics();
    const kafka = clients();
    const { processor, effects } = await startProcessor(specs, kafka, {
      effectGuarantee: 'at-most-once',
    });
    const placed = orderPlaced();

    await processor.apply(placed.orderId!, placed.id, placed);

    expect(effects).toHaveLength(1);
    expect(effects[0]!.stateDuring).toEqual({ placed: 1, total: 1_000 });
  });
});

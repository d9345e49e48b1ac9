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
  retryGroupId,
  type KafkaAdmin,
} from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryLogger } from '../../../kafka/test/fixtures.js';
import { testBrokers, uniqueName } from '../../../../../test/support/kafka.js';
import { waitFor } from '../../../../../test/support/wait.js';
import { createOrderProcessor } from '../processing/order-processor.js';
import type { OrderProcessor } from '../processing/types.js';

type Input = EventOf<'OrderPlaced'>;
const State = z.object({ placed: z.number().int() });
type State = z.infer<typeof State>;

function orderPlaced(): Input {
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1, unitPrice: 1_000 }],
      total: 1_000,
      cardNumber: '4242424242424242',
    },
    { orderId: randomUUID() },
  );
}

describe('pausing a consumer group through api-gateway.control.v1', () => {
  const brokers = testBrokers();
  const logger = memoryLogger();
  const metrics = createKafkaMetrics();
  const producer = createProducer({ brokers, clientId: 'test-pause', logger, metrics });
  const clients = { brokers, producer, metrics, logger };
  let admin: KafkaAdmin;
  const created: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    admin = createAdmin({ brokers, logger });
    await admin.ensureTopics([topics.control]);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await admin.deleteTopics(created);
    await admin.close();
    await producer.close();
  });

  async function testTopics() {
    const specs = {
      orders: { ...topics.orders, name: uniqueName('pause.orders') },
      retry: { ...topics.retry, name: uniqueName('pause.retry') },
      dlq: { ...topics.dlq, name: uniqueName('pause.dlq') },
      state: { ...topics.paymentState, name: uniqueName('pause.state') },
    } satisfies Record<string, TopicSpec>;
    await admin.ensureTopics(Object.values(specs));
    created.push(...Object.values(specs).map((spec) => spec.name));
    return specs;
  }

  /** A processor whose effects are recorded: one per input it applied. */
  async function startProcessor(
    specs: Awaited<ReturnType<typeof testTopics>>,
    groupId: string,
  ): Promise<{ processor: OrderProcessor<State, Input>; applied: string[] }> {
    const applied: string[] = [];
    const processor = createOrderProcessor(clients, {
      groupId,
      topics: [specs.orders],
      accepts: (event: KafkadogEvent): event is Input => event.type === 'OrderPlaced',
      decider: {
        initialState: { placed: 0 },
        decide: (_state, input) => [
          causedBy(input, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 1 }),
        ],
        evolve: (state, event) =>
          event.type === 'OrderPlaced' ? { placed: state.placed + 1 } : state,
      },
      stateTopic: specs.state,
      stateSchema: State,
      effect: (_output, cause) => {
        applied.push(cause.id);
        return Promise.resolve();
      },
      retry: { maxAttempts: 2, baseMs: 100, factor: 2, maxMs: 200, jitter: 0 },
      retryTopic: specs.retry.name,
      dlqTopic: specs.dlq.name,
    });
    closers.push(() => processor.close());
    await processor.start();
    return { processor, applied };
  }

  const setPause = (groupId: string, paused: boolean) =>
    producer.publish(createEvent('GroupPauseSet', { groupId, paused }));
  const members = async (groupId: string) => (await admin.describeGroup(groupId)).members.length;

  it('two instances leave the group (and its retry group) when paused, and resume from reset offsets without applying anything twice', async () => {
    const specs = await testTopics();
    const groupId = uniqueName('pause.group');
    const a = await startProcessor(specs, groupId);
    const b = await startProcessor(specs, groupId);
    await waitFor(async () => (await members(groupId)) === 2, { what: 'both instances joined' });
    const before = [orderPlaced(), orderPlaced(), orderPlaced()];
    for (const event of before) await producer.publish(event, { topic: specs.orders.name });
    const appliedBoth = () => [...a.applied, ...b.applied];
    await waitFor(() => appliedBoth().length === 3, { what: 'the first orders applied' });

    await setPause(groupId, true);
    await waitFor(
      async () => (await members(groupId)) === 0 && (await members(retryGroupId(groupId))) === 0,
      { what: 'both instances to leave the group and the retry group' },
    );
    expect(a.processor.paused && b.processor.paused).toBe(true);

    const during = orderPlaced();
    await producer.publish(during, { topic: specs.orders.name });
    // Kafka accepts the reset now that the group is empty.
    await admin.resetGroupOffsets(groupId, [specs.orders.name], 'earliest');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(appliedBoth()).toHaveLength(3);

    await setPause(groupId, false);
    await waitFor(() => appliedBoth().includes(during.id), { what: 'the order placed meanwhile' });
    await waitFor(
      async () =>
        (await counterValue(metrics.duplicatesSuppressed, {
          topic: specs.orders.name,
          group: groupId,
        })) === 3,
      { what: 'the replayed orders suppressed' },
    );
    expect(appliedBoth().sort()).toEqual([...before, during].map((event) => event.id).sort());
    expect(a.processor.paused || b.processor.paused).toBe(false);
    const said = (prefix: string) =>
      logger.lines.filter((line) => line.message.startsWith(`${prefix}: ${groupId}`)).length;
    await waitFor(() => said('resumed') === 2, { what: 'both instances to log their resume' });
    expect(said('paused')).toBe(2);
    expect(await members(groupId)).toBe(2);
  });

  it('an instance started while its group is paused never joins it until resumed', async () => {
    const specs = await testTopics();
    const groupId = uniqueName('pause.late');
    await setPause(groupId, true);
    const late = await startProcessor(specs, groupId);
    expect(late.processor.paused).toBe(true);
    const placed = orderPlaced();
    await producer.publish(placed, { topic: specs.orders.name });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await members(groupId)).toBe(0);
    expect(late.applied).toEqual([]);

    await setPause(groupId, false);
    await waitFor(() => late.applied.includes(placed.id), { what: 'the order applied on resume' });
    expect(late.processor.paused).toBe(false);
  });
});

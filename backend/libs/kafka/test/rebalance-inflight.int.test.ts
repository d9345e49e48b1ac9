// A rebalance while a batch is being decided, with records fetched behind it and a fetch in
// flight. That fetch was sent before the rebalance but is answered after it: the client stamps
// its records with the new generation and moves its position past the records fetched before.
// Those must be read again after the rebalance, not skipped for good.
import { afterAll, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  type MemoryLogger,
  type TestTopics,
} from './fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a rebalance with records in flight', () => {
  const brokers = testBrokers();
  let topics: TestTopics | undefined;
  afterAll(() => deleteTestTopics(brokers, topics));

  it('hands every record to some member: none fetched before the rebalance is skipped', async () => {
    topics = await createTestTopics(brokers, 'inflight');
    const specs = topics;
    const groupId = uniqueName('inflight.group');
    const producer = createProducer({ brokers, clientId: 'test-inflight', logger: memoryLogger() });
    const handled = new Set<string>();
    const published: string[] = [];
    const publish = async (count: number) => {
      const events = Array.from({ length: count }, () => orderPlaced());
      await Promise.all(
        events.map((event) => producer.publish(event, { topic: specs.orders.name })),
      );
      published.push(...events.map((event) => event.id));
    };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const member = (name: string, logger: MemoryLogger, hold: boolean): EventConsumer =>
      createEventConsumer({
        brokers,
        groupId,
        clientId: name,
        topics: [specs.orders],
        producer,
        handler: async (event) => {
          // The first record holds its batch up until the rebalance is over.
          if (hold && !entered) {
            entered = true;
            await gate;
          }
          handled.add(event.id);
        },
        retry: false,
        dlqTopic: specs.dlq.name,
        retryTopic: specs.retry.name,
        logger,
      });
    const joins = (logger: MemoryLogger) =>
      logger.lines.filter((line) => line.message === 'joined consumer group').length;

    const steadyLog = memoryLogger();
    const steady = member('steady', steadyLog, true);
    await steady.start();
    const visitor = member('visitor', memoryLogger(), false);
    try {
      await publish(30);
      await waitFor(() => entered, { what: 'the first batch to be decided' });
      // Fetched while the batch waits; the stream then keeps a fetch open for what comes next.
      await publish(30);
      await sleep(500);
      await visitor.start();
      await waitFor(() => joins(steadyLog) >= 2, { what: 'steady to join the new generation' });
      // Answers the fetch that was sent before the rebalance.
      await sleep(200);
      await publish(30);
      await sleep(500);
      release();
      await waitFor(() => published.every((id) => handled.has(id)), {
        what: 'every record to be handled',
        timeoutMs: 20_000,
        intervalMs: 200,
      }).catch(() => undefined);
      expect(published.filter((id) => !handled.has(id))).toEqual([]);
    } finally {
      release();
      await visitor.close();
      await steady.close();
      await producer.close();
    }
  }, 60_000);
});

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer } from '../src/consumer/index.js';
import { KafkadogError } from '../src/errors.js';
import { createProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type TestTopics,
} from './fixtures.js';

describe('a consumer behind a fence (an instance that may have lost its lease)', () => {
  const brokers = testBrokers();
  const created: TestTopics[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    for (const topics of created) await deleteTestTopics(brokers, topics);
  });

  it('handles, commits, retries and dead-letters nothing while the fence is closed, then goes on', async () => {
    const topics = await createTestTopics(brokers, 'fence');
    created.push(topics);
    const producer = createProducer({ brokers, clientId: 'test-fence', logger: memoryLogger() });
    closers.push(() => producer.close());
    const total = 10;
    for (let i = 0; i < total; i++)
      await producer.publish(orderPlaced(), { topic: topics.orders.name });

    let open = false;
    let asked = 0;
    const handled: string[] = [];
    const groupId = uniqueName('fence.group');
    const consumer = createEventConsumer({
      brokers,
      groupId,
      topics: [topics.orders],
      producer,
      retryTopic: topics.retry.name,
      dlqTopic: topics.dlq.name,
      logger: memoryLogger(),
      fence: () => {
        asked++;
        if (!open) throw new KafkadogError('NOT_LEASE_HOLDER', 'the test holds the fence closed');
      },
      handler: (event) => {
        handled.push(event.id);
      },
    });
    closers.push(() => consumer.close());
    await consumer.start();

    // Asked, refused, and asked again later for the same record.
    await waitFor(() => asked >= 3, { what: 'the fence to be asked three times' });
    expect(handled).toEqual([]);
    const offsets = () =>
      withAdmin(brokers, (admin) =>
        admin.groupOffsets(groupId, [topics.orders.name, topics.retry.name, topics.dlq.name]),
      );
    const closed = await offsets();
    expect(
      closed.filter((row) => row.topic === topics.orders.name && row.committed !== null),
    ).toEqual([]);
    // Nothing went to the retry or dead-letter topic either: the records simply wait.
    for (const row of closed.filter((r) => r.topic !== topics.orders.name)) {
      expect(row.logEnd, row.topic).toBe('0');
    }

    open = true;
    await waitFor(() => handled.length === total, { what: 'every record once the fence opens' });
    await waitFor(
      async () =>
        (await offsets())
          .filter((row) => row.topic === topics.orders.name)
          .reduce((sum, row) => sum + Number(row.committed ?? 0), 0) === total,
      { what: 'every record committed' },
    );
    expect(new Set(handled).size).toBe(total);
  });
});

import { causedBy, type KafkadogEvent } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collectRecords, type RecordCollector } from '../../../../test/support/collect.js';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { createProducer, type EventProducer } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type TestTopics,
} from './fixtures.js';

describe('poison messages (acceptance 2)', () => {
  const brokers = testBrokers();
  let topics: TestTopics | undefined;
  let producer: EventProducer | undefined;
  let consumer: EventConsumer | undefined;
  let dlq: RecordCollector | undefined;
  afterEach(async () => {
    await consumer?.close();
    await dlq?.close();
    await producer?.close();
  });
  afterAll(() => deleteTestTopics(brokers, topics));

  it('go to the DLQ as their raw bytes with the reason, and the consumer moves on', async () => {
    topics = await createTestTopics(brokers, 'poison');
    const groupId = uniqueName('poison.group');
    const metrics = createKafkaMetrics();
    const logger = memoryLogger();
    producer = createProducer({ brokers, clientId: 'test-poison', logger, metrics });
    const handled: KafkadogEvent[] = [];
    consumer = createEventConsumer({
      brokers,
      groupId,
      topics: [topics.orders],
      producer,
      handler: (event) => {
        handled.push(event);
      },
      retry: false,
      dlqTopic: topics.dlq.name,
      retryTopic: topics.retry.name,
      logger,
      metrics,
    });
    await consumer.start();

    // All keyed by one order, so they share a partition and the good event comes after the bad.
    const orderId = randomUUID();
    const placed = orderPlaced(orderId);
    const poison = [
      // Not UTF-8 and not JSON: any decoding on the way to the DLQ would change these bytes.
      { reason: 'invalid_json', value: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x80, 0x22]) },
      {
        reason: 'invalid_schema',
        value: Buffer.from(JSON.stringify({ ...placed, id: randomUUID(), data: { total: -1 } })),
      },
      {
        reason: 'wrong_topic',
        value: Buffer.from(
          JSON.stringify(
            causedBy(placed, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 1 }),
          ),
        ),
      },
      {
        reason: 'unknown_event_type',
        value: Buffer.from(
          JSON.stringify({ ...placed, id: randomUUID(), type: 'OrderTeleported' }),
        ),
      },
    ];
    const sent = [];
    for (const { reason, value } of poison) {
      const position = await producer.sendRaw({ topic: topics.orders.name, key: orderId, value });
      sent.push({ reason, value, position });
    }
    const good = await producer.publish(placed, { topic: topics.orders.name });
    expect(new Set(sent.map(({ position }) => position.partition))).toEqual(
      new Set([good.partition]),
    );

    // The consumer continued past every poison record to the good event behind them.
    await waitFor(() => handled.length === 1, { what: 'the good event to be handled' });
    expect(handled[0]).toEqual(placed);

    dlq = await collectRecords(brokers, topics.dlq.name);
    const letters = await dlq.untilEnd();
    expect(letters).toHaveLength(poison.length);
    for (const [i, letter] of letters.entries()) {
      const original = sent[i]!;
      expect(letter.value?.equals(original.value), `bytes of ${original.reason}`).toBe(true);
      expect(letter.key?.toString()).toBe(orderId);
      expect(letter.headers).toMatchObject({
        'dlq-reason': original.reason,
        'dlq-consumer-group': groupId,
        'original-topic': topics.orders.name,
        'original-partition': String(original.position.partition),
        'original-offset': original.position.offset,
      });
      expect(letter.headers['dlq-error']).toMatch(/\S/);
      expect(Date.parse(letter.headers['dlq-at'] ?? '')).toBeGreaterThan(Date.now() - 60_000);
    }

    // Every record, poison included, is committed: nothing is read again after a restart.
    const logEnd = BigInt(good.offset) + 1n;
    await waitFor(
      async () => {
        const offsets = await withAdmin(brokers, (admin) => admin.groupOffsets(groupId));
        const row = offsets.find((o) => o.partition === good.partition);
        return row?.committed === logEnd.toString();
      },
      { what: 'the good event to be committed' },
    );
    expect(await counterValue(metrics.deadLettered, { group: groupId })).toBe(poison.length);
    expect(await counterValue(metrics.deadLettered, { reason: 'invalid_json' })).toBe(1);
  });
});

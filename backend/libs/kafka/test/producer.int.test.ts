import { causedBy, topics } from '@kafkadog/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collectRecords } from '../../../../test/support/collect.js';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { counterValue, createKafkaMetrics } from '../src/metrics/index.js';
import { createProducer, type EventProducer } from '../src/producer/index.js';
import { memoryLogger, orderPlaced, withAdmin } from './fixtures.js';

describe('producer', () => {
  const brokers = testBrokers();
  const orders = { ...topics.orders, name: uniqueName('producer.orders') };
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => withAdmin(brokers, (admin) => admin.deleteTopics([orders.name])));

  function producer(retries?: number): EventProducer {
    const created = createProducer({
      brokers,
      clientId: 'test-producer',
      logger: memoryLogger(),
      ...(retries === undefined ? {} : { retries }),
    });
    closers.push(() => created.close());
    return created;
  }

  it('publishes with the event headers and reports where the record is', async () => {
    await withAdmin(brokers, (admin) => admin.ensureTopics([orders]));
    const metrics = createKafkaMetrics();
    const client = createProducer({ brokers, clientId: 'test-producer', metrics });
    closers.push(() => client.close());
    const placed = orderPlaced();
    const reply = causedBy(placed, 'PaymentAuthorized', { paymentId: randomUUID(), amount: 4999 });
    const position = await client.publish(reply, {
      topic: orders.name,
      headers: { 'trace-id': 't-1' },
    });
    const collector = await collectRecords(brokers, orders.name);
    closers.push(() => collector.close());
    const [record] = await collector.untilEnd();
    expect(position).toEqual({
      topic: orders.name,
      partition: record!.partition,
      offset: String(record!.offset),
    });
    expect(record!.headers).toEqual({
      'event-type': 'PaymentAuthorized',
      'event-version': '1',
      'event-id': reply.id,
      'correlation-id': placed.orderId,
      'causation-id': placed.id,
      'trace-id': 't-1',
    });
    expect(JSON.parse(record!.value!.toString())).toEqual(reply);
    expect(await counterValue(metrics.produced, { topic: orders.name })).toBe(1);
  });

  it('refuses an invalid event before sending anything', async () => {
    const invalid = { ...orderPlaced(), data: { total: -1 } } as unknown as ReturnType<
      typeof orderPlaced
    >;
    const missing = uniqueName('producer.never');
    await expect(producer().publish(invalid, { topic: missing })).rejects.toMatchObject({
      code: 'INVALID_EVENT',
    });
  });

  it('gives up on a missing topic instead of waiting forever', async () => {
    const started = Date.now();
    await expect(
      producer(2).publish(orderPlaced(), { topic: uniqueName('producer.missing') }),
    ).rejects.toMatchObject({ code: 'PUBLISH_FAILED' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

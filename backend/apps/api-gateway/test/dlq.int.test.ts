import { Headers, topics } from '@kafkadog/contracts';
import { createProducer, silentLogger, type EventProducer } from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { call, readTopic, useGateway } from './gateway.js';

interface DeadLetter {
  offset: number;
  reason: string;
  group: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: number | null;
  valuePreview: string;
  redriven: boolean;
}

describe('api-gateway dead letters (real broker, gateway as its own process)', () => {
  const gateway = useGateway();
  const { brokers } = gateway;
  let producer: EventProducer;
  // A group of this test's own: no service's retry worker takes a record redriven to it.
  const group = `test.gateway-dlq.${randomUUID().slice(0, 8)}`;
  const value = JSON.stringify({ poison: randomUUID() });
  const at = new Date().toISOString();

  beforeAll(() => {
    producer = createProducer({ brokers, clientId: 'api-gateway-dlq-test', logger: silentLogger });
  });

  afterAll(async () => {
    await producer?.close();
  });

  async function entry(offset: number): Promise<DeadLetter> {
    return waitFor(
      async () => {
        const list = await call<{ entries: DeadLetter[] }>(`${gateway.url}/dlq?limit=1000`);
        return list.body.entries.find((candidate) => candidate.offset === offset);
      },
      { what: `dead letter ${offset} in GET /dlq` },
    );
  }

  it('lists and counts a dead letter, redrives it once to its group, and remembers that across a restart', async () => {
    const dead = await producer.sendRaw({
      topic: topics.dlq.name,
      key: 'order-under-test',
      value: Buffer.from(value),
      headers: {
        [Headers.eventType]: 'OrderPlaced',
        [Headers.dlqReason]: 'retries_exhausted',
        [Headers.dlqError]: 'INVENTORY_UNAVAILABLE: flaky on purpose',
        [Headers.dlqGroup]: group,
        [Headers.originalTopic]: topics.orders.name,
        [Headers.originalPartition]: '1',
        [Headers.originalOffset]: '12',
        [Headers.retryAttempt]: '4',
        [Headers.dlqAt]: at,
      },
    });
    const offset = Number(dead.offset);

    expect(await entry(offset)).toMatchObject({
      offset,
      reason: 'retries_exhausted',
      group,
      sourceTopic: topics.orders.name,
      sourcePartition: 1,
      sourceOffset: 12,
      valuePreview: value,
      redriven: false,
    });
    const stats = await call<{
      total: number;
      byReason: Record<string, number>;
      bySourceTopic: Record<string, number>;
      byGroup: Record<string, number>;
      oldest: string;
      newest: string;
    }>(`${gateway.url}/metrics/dlq`);
    expect(stats.body.byGroup[group]).toBe(1);
    expect(stats.body.byReason.retries_exhausted).toBeGreaterThanOrEqual(1);
    expect(stats.body.bySourceTopic[topics.orders.name]).toBeGreaterThanOrEqual(1);
    expect(stats.body.oldest <= at && at <= stats.body.newest).toBe(true);

    const redriven = await call(`${gateway.url}/dlq/${offset}/redrive`, { method: 'POST' });
    expect(redriven.status).toBe(202);
    expect(redriven.body).toMatchObject({ dlqOffset: offset, group });

    const retries = (await readTopic(brokers, topics.retry.name)).filter(
      (record) => record.headers['redriven-from-dlq-offset'] === String(offset),
    );
    expect(retries).toHaveLength(1);
    expect(retries[0]!.value?.toString('utf8')).toBe(value);
    expect(retries[0]!.key).toBe('order-under-test');
    expect(retries[0]!.headers).toMatchObject({
      [Headers.retryGroup]: group,
      [Headers.retryAttempt]: '1',
      [Headers.originalTopic]: topics.orders.name,
      [Headers.originalPartition]: '1',
      [Headers.originalOffset]: '12',
      [Headers.eventType]: 'OrderPlaced',
    });
    expect(Number(retries[0]!.headers[Headers.retryNotBefore])).toBeLessThanOrEqual(Date.now());

    const again = await call(`${gateway.url}/dlq/${offset}/redrive`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_redriven' });

    await gateway.restart();
    expect((await entry(offset)).redriven).toBe(true);
    const afterRestart = await call(`${gateway.url}/dlq/${offset}/redrive`, { method: 'POST' });
    expect(afterRestart.status).toBe(409);
  });

  it('answers 404 for an offset with no dead letter, 400 for one that is no offset', async () => {
    const unknown = await call(`${gateway.url}/dlq/999999999/redrive`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found' });
    const invalid = await call(`${gateway.url}/dlq/latest/redrive`, { method: 'POST' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ issues: [{ field: 'offset' }] });
  });

  it('refuses to redrive a dead letter that does not name the group that gave up (422)', async () => {
    const dead = await producer.sendRaw({
      topic: topics.dlq.name,
      key: 'poison-without-group',
      value: Buffer.from('{not json'),
      headers: { [Headers.dlqReason]: 'invalid_json', [Headers.dlqAt]: at },
    });
    await entry(Number(dead.offset));
    const response = await call(`${gateway.url}/dlq/${dead.offset}/redrive`, { method: 'POST' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'not_redrivable' });
  });
});

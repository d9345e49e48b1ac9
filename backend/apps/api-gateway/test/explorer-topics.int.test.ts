import { allTopics, topics } from '@kafkadog/contracts';
import { createAdmin, silentLogger } from '@kafkadog/kafka';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import { call, useGateway } from './gateway.js';
import { openEvents } from './sse.js';

interface Message {
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  headers: Record<string, string>;
  value: string;
  json: unknown;
  size: number;
}
interface Page {
  partition: number | null;
  messages: Message[];
  next: string | null;
}
interface Produced {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

// A topic nothing else in these tests reads or writes: 3 partitions, compacted (so keys are due).
const topic = topics.notificationState.name;

describe('explorer: cluster, topics, messages, filtered events (real broker)', () => {
  const gateway = useGateway();
  const admin = createAdmin({ brokers: gateway.brokers, logger: silentLogger });
  afterAll(() => admin.close());

  const produce = (body: unknown, name: string = topic) =>
    call<Produced>(`${gateway.url}/explorer/topics/${name}/messages`, {
      method: 'POST',
      json: body,
    });
  const browse = (query: string, name: string = topic) =>
    call<Page>(`${gateway.url}/explorer/topics/${name}/messages?${query}`);

  it('describes the cluster and lists every registry topic with its message count', async () => {
    const cluster = await call<{ brokers: string[]; nodes: { id: number; port: number }[] }>(
      `${gateway.url}/explorer/cluster`,
    );
    expect(cluster.status).toBe(200);
    expect(cluster.body.brokers).toEqual(gateway.brokers);
    expect(cluster.body.nodes.map((node) => node.id)).toHaveLength(await admin.brokerCount());

    const list = async () =>
      (
        await call<{ topics: { name: string; partitions: number; messages: number }[] }>(
          `${gateway.url}/explorer/topics`,
        )
      ).body.topics;
    const before = await list();
    expect(before.map((t) => t.name)).toEqual(allTopics.map((t) => t.name));
    expect(before.find((t) => t.name === topic)).toMatchObject({
      partitions: 3,
      internal: true,
      keyedBy: 'orderId',
      replicationFactor: 1,
    });
    await produce({ key: randomUUID(), value: '{}' });
    const after = await list();
    expect(after.find((t) => t.name === topic)!.messages).toBe(
      before.find((t) => t.name === topic)!.messages + 1,
    );
  });

  it('produces raw records, a poison pill included, and browses them by offset, key and time', async () => {
    const key = randomUUID();
    const since = Date.now() - 1;
    const card = '4242424242424242';
    const first = await produce({
      key,
      value: JSON.stringify({ type: 'OrderPlaced', data: { cardNumber: card } }),
      headers: { 'event-type': 'OrderPlaced' },
      partition: 2,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ topic, partition: 2, offset: expect.any(String) as string });
    const poison = await produce({ key, value: '{not json', partition: 2 });
    const other = await produce({ key: randomUUID(), value: 'plain', partition: 2 });
    expect(BigInt(poison.body.offset)).toBe(BigInt(first.body.offset) + 1n);

    const page = await browse(`partition=2&from=offset&offset=${first.body.offset}&limit=2`);
    expect(page.status).toBe(200);
    expect(page.body.messages).toEqual([
      {
        partition: 2,
        offset: first.body.offset,
        key,
        timestamp: first.body.timestamp,
        headers: { 'event-type': 'OrderPlaced' },
        value: JSON.stringify({ type: 'OrderPlaced', data: { cardNumber: '************4242' } }),
        json: { type: 'OrderPlaced', data: { cardNumber: '************4242' } },
        size: expect.any(Number) as number,
        tombstone: false,
      },
      expect.objectContaining({ offset: poison.body.offset, value: '{not json', json: null }),
    ]);
    expect(JSON.stringify(page.body)).not.toContain(card);
    expect(page.body.next).toBe(other.body.offset);

    const byKey = await browse(`from=earliest&key=${key}`);
    expect(byKey.body.partition).toBeNull();
    expect(byKey.body.messages.map((m) => m.offset)).toEqual([
      first.body.offset,
      poison.body.offset,
    ]);

    const latest = await browse('partition=2&from=latest&limit=2');
    expect(latest.body.messages.map((m) => m.offset)).toEqual([
      poison.body.offset,
      other.body.offset,
    ]);
    expect(latest.body.next).toBeNull();

    const byTime = await browse(`partition=2&from=timestamp&timestamp=${since}&limit=1`);
    expect(byTime.body.messages.map((m) => m.offset)).toEqual([first.body.offset]);
    const iso = await browse(
      `partition=2&from=timestamp&timestamp=${new Date(since).toISOString()}&limit=1`,
    );
    expect(iso.body.messages.map((m) => m.offset)).toEqual([first.body.offset]);
  });

  it('browses without joining a consumer group', async () => {
    await browse('from=earliest&limit=5');
    const groups = await admin.listGroups();
    expect(groups.filter((group) => group.id.includes('explorer'))).toEqual([]);
  });

  it('shows partitions with watermarks, and every group’s cursor on them', async () => {
    const groupId = `test.explorer.cursor.${randomUUID().slice(0, 8)}`;
    await produce({ key: randomUUID(), value: 'x', partition: 0 });
    await admin.resetGroupOffsets(groupId, [topic], 'earliest');
    const detail = await call<{
      configs: Record<string, string>;
      partitions: {
        partition: number;
        leader: number;
        low: string;
        high: string;
        messages: number;
      }[];
      groups: {
        groupId: string;
        offsets: { partition: number; committed: string; lag: number }[];
      }[];
    }>(`${gateway.url}/explorer/topics/${topic}`);
    expect(detail.status).toBe(200);
    expect(detail.body.configs).toMatchObject({ 'cleanup.policy': 'compact' });
    const marks = await admin.watermarks([topic]);
    expect(detail.body.partitions).toEqual(
      marks.map(({ partition, low, high }) => ({
        partition,
        leader: expect.any(Number) as number,
        replicas: [expect.any(Number)],
        isr: [expect.any(Number)],
        low: low.toString(),
        high: high.toString(),
        messages: Number(high - low),
      })),
    );
    const cursor = detail.body.groups.find((group) => group.groupId === groupId);
    expect(cursor?.offsets).toEqual(
      marks.map(({ partition, low, high }) => ({
        partition,
        committed: low.toString(),
        lag: Number(high - low),
      })),
    );
  });

  it('refuses topics outside the registry and names the bad field of a body or query', async () => {
    expect((await browse('', 'not.a.topic')).body).toMatchObject({ error: 'unknown_topic' });
    expect((await browse('', 'not.a.topic')).status).toBe(404);
    expect((await produce({ value: 'x' }, '__consumer_offsets')).status).toBe(404);
    expect((await call(`${gateway.url}/explorer/topics/nope`)).status).toBe(404);

    const missing = await produce({ key: 'k' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ issues: [{ field: 'value', message: 'required' }] });
    const partition = await produce({ key: 'k', value: 'x', partition: 3 });
    expect(partition.body).toMatchObject({ issues: [{ field: 'partition' }] });
    const headers = await produce({ key: 'k', value: 'x', headers: { a: 1 } });
    expect(headers.body).toMatchObject({ issues: [{ field: 'headers.a' }] });
    const offset = await browse('from=offset');
    expect(offset.body).toMatchObject({ issues: [{ field: 'offset' }] });
    expect((await browse('limit=201')).body).toMatchObject({ issues: [{ field: 'limit' }] });
  });

  it('GET /events filters by topic (internal ones too) and by key', async () => {
    const key = randomUUID();
    const filtered = await openEvents(`${gateway.url}/events?topic=${topic}&key=${key}`);
    const unfiltered = await openEvents(`${gateway.url}/events`);
    try {
      await produce({ key: randomUUID(), value: 'not for the filtered client' });
      await produce({ key, value: 'for it' });
      const got = await waitFor(() => filtered.messages.find((m) => m.key === key), {
        what: 'the record on the filtered stream',
      });
      expect(got).toMatchObject({ topic, key });
      // A record of the flow's topics: the unfiltered stream gets it, the filtered one does not.
      const marker = randomUUID();
      await produce({ key: marker, value: 'marker' }, topics.pageviews.name);
      await waitFor(() => unfiltered.messages.some((m) => m.key === marker), {
        what: 'the marker on the unfiltered stream',
      });
      expect(unfiltered.messages.filter((m) => m.topic === topic)).toEqual([]);
      expect(filtered.messages.map((m) => m.key)).toEqual([key]);
    } finally {
      filtered.close();
      unfiltered.close();
    }

    const bad = await call(`${gateway.url}/events?topic=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ issues: [{ field: 'topic' }] });
  });
});

import { topics, type TopicSpec } from '@kafkadog/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createProducer, type EventProducer } from '../src/producer/index.js';
import {
  createStateStore,
  readToEnd,
  tailTopics,
  type ReadRecord,
  type StateStore,
} from '../src/state/index.js';
import { memoryLogger, withAdmin } from './fixtures.js';

const Counter = z.object({ n: z.number().int() });
type Counter = z.infer<typeof Counter>;

describe('state layer (reads without a group, compacted state)', () => {
  const brokers = testBrokers();
  const created: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => withAdmin(brokers, (admin) => admin.deleteTopics(created)));

  async function topic(spec: TopicSpec, prefix: string): Promise<string> {
    const copy = { ...spec, name: uniqueName(prefix) };
    await withAdmin(brokers, (admin) => admin.ensureTopics([copy]));
    created.push(copy.name);
    return copy.name;
  }

  /** Consumer groups named after a client (a reader that joined one would show up here). */
  async function groupsOf(clientId: string): Promise<string[]> {
    const groups = await withAdmin(brokers, (admin) => admin.listGroups());
    return groups.map((group) => group.id).filter((id) => id.includes(clientId));
  }

  function producer(): EventProducer {
    const client = createProducer({ brokers, clientId: 'test-state', logger: memoryLogger() });
    closers.push(() => client.close());
    return client;
  }

  function store(
    name: string,
    client: EventProducer,
    logger = memoryLogger(),
  ): StateStore<Counter> {
    const created = createStateStore({
      brokers,
      topic: name,
      producer: client,
      schema: Counter,
      logger,
    });
    closers.push(() => created.close());
    return created;
  }

  it('gives a new instance every acknowledged value; a tombstone deletes its key', async () => {
    const name = await topic(topics.paymentState, 'state');
    const client = producer();

    const first = store(name, client);
    await first.load();
    expect(first.size).toBe(0);
    await first.set('order-a', { n: 1 });
    await first.set('order-b', { n: 2 });
    await first.set('order-a', { n: 3 });
    expect(first.get('order-a')).toEqual({ n: 3 });

    // A new process: nothing in memory, everything in the topic.
    const second = store(name, client);
    expect(second.get('order-a')).toBeUndefined();
    await second.load();
    expect(second.get('order-a')).toEqual({ n: 3 });
    expect(second.get('order-b')).toEqual({ n: 2 });
    expect([...second.entries()].sort()).toEqual([
      ['order-a', { n: 3 }],
      ['order-b', { n: 2 }],
    ]);

    // A tombstone (null value) deletes the key: for a store that catches up, and for a new one.
    await client.sendRaw({ topic: name, key: 'order-b', value: undefined });
    await second.load();
    expect(second.get('order-b')).toBeUndefined();
    expect(second.size).toBe(1);
    const third = store(name, client);
    await third.load();
    expect(third.get('order-b')).toBeUndefined();
    expect([...third.entries()]).toEqual([['order-a', { n: 3 }]]);
  });

  it('loads each key as its newest valid record left it, and announces it once (onChange)', async () => {
    const name = await topic(topics.paymentState, 'state');
    const client = producer();
    const record = (key: string, value: string | undefined) => ({
      topic: name,
      key,
      value: value === undefined ? undefined : Buffer.from(value),
    });
    const keys = Array.from({ length: 2_500 }, (_, i) => i);
    // More keys than the table caches, each written twice: the load sorts them into SQLite.
    await client.sendMany(keys.map((i) => record(`order-${i}`, `{"n":${i}}`)));
    await client.sendMany(keys.map((i) => record(`order-${i}`, `{"n":${i + 1}}`)));
    await client.sendMany([
      record('order-deleted', '{"n":1}'),
      record('order-deleted', undefined),
      record('order-0', '{"n":"not a number"}'), // skipped: order-0 keeps {"n":1}
    ]);
    const announced: [string, Counter | undefined, Counter | undefined][] = [];

    const loaded = createStateStore({
      brokers,
      topic: name,
      producer: client,
      schema: Counter,
      logger: memoryLogger(),
      onChange: (key, value, previous) => announced.push([key, value, previous]),
    });
    closers.push(() => loaded.close());
    await loaded.load();

    expect(loaded.size).toBe(2_500);
    expect(loaded.get('order-0')).toEqual({ n: 1 });
    expect(loaded.get('order-1234')).toEqual({ n: 1235 });
    expect(loaded.get('order-deleted')).toBeUndefined();
    expect(announced).toHaveLength(2_500);
    expect(announced).toContainEqual(['order-2499', { n: 2500 }, undefined]);
    // After the load, a change names the value it replaces, read back from disk.
    announced.length = 0;
    await loaded.set('order-7', { n: 70 });
    expect(announced).toEqual([['order-7', { n: 70 }, { n: 8 }]]);
  });

  it('catches up with values written by another process', async () => {
    const name = await topic(topics.paymentState, 'state');
    const reader = store(name, producer());
    await reader.load();
    const writer = store(name, producer());
    await writer.set('order-c', { n: 7 });

    expect(reader.get('order-c')).toBeUndefined();
    await reader.load();
    expect(reader.get('order-c')).toEqual({ n: 7 });
  });

  it('logs and skips a value that fails the schema, and refuses to write one', async () => {
    const name = await topic(topics.paymentState, 'state');
    const client = producer();
    await client.sendRaw({ topic: name, key: 'order-ok', value: Buffer.from('{"n":5}') });
    await client.sendRaw({ topic: name, key: 'order-bad', value: Buffer.from('{"n":"five"}') });
    await client.sendRaw({ topic: name, key: 'order-junk', value: Buffer.from('not json') });
    const logger = memoryLogger();

    const loaded = store(name, client, logger);
    await loaded.load();

    expect([...loaded.entries()]).toEqual([['order-ok', { n: 5 }]]);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.fields?.key).sort()).toEqual(['order-bad', 'order-junk']);
    expect(warnings.map((line) => line.message).join('\n')).toMatch(/does not match its schema/);
    await expect(loaded.set('order-x', { n: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('tails from the oldest record: caughtUp after all existing records, then new ones live, no group', async () => {
    const name = await topic(topics.orders, 'tail');
    const client = producer();
    // More than one fetch holds (1 MiB per partition), so "caught up" cannot mean "first fetch".
    const big = 'x'.repeat(4_000);
    const existing = 900;
    for (let i = 0; i < existing; i++) {
      await client.sendRaw({
        topic: name,
        key: `k${i % 7}`,
        value: Buffer.from(JSON.stringify({ i, big })),
        headers: { 'event-type': 'Test' },
      });
    }
    const clientId = uniqueName('tail-client');

    const seen: ReadRecord[] = [];
    let atCaughtUp = -1;
    const tail = await tailTopics({
      brokers,
      topics: [name],
      clientId,
      logger: memoryLogger(),
      onRecord: (record) => {
        seen.push(record);
      },
    });
    closers.push(() => tail.close());
    await tail.caughtUp.then(() => {
      atCaughtUp = seen.length;
    });

    expect(atCaughtUp).toBe(existing);
    // In order within each partition, with key, headers and value.
    for (const partition of [0, 1, 2]) {
      const offsets = seen.filter((r) => r.partition === partition).map((r) => Number(r.offset));
      expect(offsets).toEqual(offsets.map((_, index) => index));
    }
    expect(seen[0]).toMatchObject({ topic: name, headers: { 'event-type': 'Test' } });
    expect(
      seen.map((r) => (JSON.parse(r.value!.toString()) as { i: number }).i).sort((a, b) => a - b),
    ).toEqual(Array.from({ length: existing }, (_, i) => i));

    // Live: records written after the catch-up arrive too.
    await client.sendRaw({ topic: name, key: 'live-1', value: Buffer.from('"one"') });
    await client.sendRaw({ topic: name, key: 'live-2', value: Buffer.from('"two"') });
    await waitFor(() => seen.length === existing + 2, { what: 'the two live records' });
    expect(
      seen
        .slice(existing)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['live-1', 'live-2']);

    // No consumer group was created to read any of it.
    expect(await groupsOf(clientId)).toEqual([]);
  });

  it("tails from 'latest': caught up at once, only new records", async () => {
    const name = await topic(topics.orders, 'tail');
    const client = producer();
    await client.sendRaw({ topic: name, key: 'old', value: Buffer.from('"old"') });

    const seen: ReadRecord[] = [];
    const tail = await tailTopics({
      brokers,
      topics: [name],
      from: 'latest',
      logger: memoryLogger(),
      onRecord: (record) => {
        seen.push(record);
      },
    });
    closers.push(() => tail.close());
    await tail.caughtUp;
    await client.sendRaw({ topic: name, key: 'new', value: undefined });

    await waitFor(() => seen.length === 1, { what: 'the new record' });
    expect(seen[0]).toMatchObject({ key: 'new', value: undefined });
  });

  it('readToEnd reads up to the log end as it was when called, not what is written meanwhile', async () => {
    const name = await topic({ ...topics.orders, partitions: 1 }, 'read');
    const client = producer();
    const big = 'y'.repeat(4_000);
    const existing = 600;
    for (let i = 0; i < existing; i++) {
      await client.sendRaw({
        topic: name,
        key: 'k',
        value: Buffer.from(JSON.stringify({ i, big })),
      });
    }
    const clientId = uniqueName('read-client');

    let wroteMore = false;
    const values: number[] = [];
    const count = await readToEnd({
      brokers,
      topics: [name],
      clientId,
      onRecord: async (record) => {
        values.push((JSON.parse(record.value!.toString()) as { i: number }).i);
        if (!wroteMore) {
          wroteMore = true;
          // Written after the read started: beyond the log end it promised to read up to.
          await client.sendRaw({ topic: name, key: 'k', value: Buffer.from('{"i":-1}') });
        }
      },
    });

    expect(count).toBe(existing);
    expect(values).toEqual(Array.from({ length: existing }, (_, i) => i));
    expect(await groupsOf(clientId)).toEqual([]);
  });

  it('readToEnd from a time starts at the first record at or after it, and at the end where none is', async () => {
    const name = await topic({ ...topics.orders, partitions: 2 }, 'read-from');
    const client = producer();
    const now = Date.now();
    // Partition 0: three old records and two recent ones; partition 1: only old ones.
    const at = (partition: number, i: number, timestamp: number) =>
      client.sendRaw({ topic: name, partition, key: 'k', timestamp, value: Buffer.from(`${i}`) });
    for (let i = 0; i < 3; i++) await at(0, i, now - 3_600_000 + i);
    for (let i = 3; i < 5; i++) await at(0, i, now + i);
    for (let i = 0; i < 3; i++) await at(1, 10 + i, now - 3_600_000 + i);

    const values: string[] = [];
    const count = await readToEnd({
      brokers,
      topics: [name],
      from: now,
      onRecord: (record) => {
        values.push(record.value!.toString());
      },
    });

    expect(count).toBe(2);
    expect(values).toEqual(['3', '4']);
  });
});

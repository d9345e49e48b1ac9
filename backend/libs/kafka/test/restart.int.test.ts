import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createEventConsumer, type EventConsumer } from '../src/consumer/index.js';
import { createProducer, type EventProducer, type RecordPosition } from '../src/producer/index.js';
import {
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type TestTopics,
} from './fixtures.js';

interface Handled {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
}

describe('restarting a consumer (acceptance 4)', () => {
  const brokers = testBrokers();
  const created: TestTopics[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    for (const topics of created) await deleteTestTopics(brokers, topics);
  });

  async function setup(prefix: string, count: number) {
    const topics = await createTestTopics(brokers, prefix);
    created.push(topics);
    const producer = createProducer({
      brokers,
      clientId: `test-${prefix}`,
      logger: memoryLogger(),
    });
    closers.push(() => producer.close());
    const published = new Map<string, RecordPosition>();
    const orderIds = Array.from({ length: 10 }, () => orderPlaced().orderId!);
    for (let i = 0; i < count; i++) {
      const event = orderPlaced(orderIds[i % orderIds.length]);
      published.set(event.id, await producer.publish(event, { topic: topics.orders.name }));
    }
    return { topics, producer, published, groupId: uniqueName(`${prefix}.group`) };
  }

  function consumer(
    topics: TestTopics,
    producer: EventProducer,
    groupId: string,
    handler: (event: { id: string }, partition: number, offset: number) => Promise<void> | void,
  ): EventConsumer {
    return createEventConsumer({
      brokers,
      groupId,
      topics: [topics.orders],
      producer,
      retry: false,
      dlqTopic: topics.dlq.name,
      retryTopic: topics.retry.name,
      logger: memoryLogger(),
      handler: (event, meta) => handler(event, meta.partition, Number(meta.offset)),
    });
  }

  async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const rows = await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [topic]));
    return new Map(rows.map((row) => [row.partition, Number(row.committed ?? 0)]));
  }

  /** Offsets per partition, sorted. */
  function byPartition(records: readonly Handled[]): Map<number, number[]> {
    const map = new Map<number, number[]>();
    for (const { partition, offset } of records)
      map.set(partition, [...(map.get(partition) ?? []), offset]);
    for (const offsets of map.values()) offsets.sort((a, b) => a - b);
    return map;
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('after a graceful close resumes exactly at its committed offsets: no loss, no redelivery', async () => {
    const total = 30;
    const { topics, producer, published, groupId } = await setup('graceful', total);
    const first: Handled[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inFlight: Handled | undefined;
    const a = consumer(topics, producer, groupId, async (event, partition, offset) => {
      if (first.length === 11 && !inFlight) {
        // The 12th record stays in the handler until the test has asked the consumer to close.
        inFlight = { id: event.id, partition, offset };
        await released;
      }
      first.push({ id: event.id, partition, offset });
    });
    await a.start();
    await waitFor(() => inFlight, { what: 'the 12th record to be in flight' });
    const closing = a.close();
    // close() waits for the handler in flight: it is still pending a second later.
    const early = await Promise.race([
      closing.then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 1_000, 'pending')),
    ]);
    expect(early).toBe('pending');
    release();
    await closing;

    // The batch that was in flight when close() was called finished and was committed.
    expect(first.length).toBeGreaterThanOrEqual(12);
    expect(first).toContainEqual(inFlight);
    const committed = await committedOffsets(groupId, topics.orders.name);
    for (const [partition, offsets] of byPartition(first)) {
      expect(offsets, `handled on partition ${partition}`).toEqual(
        range(0, committed.get(partition)!),
      );
    }

    const second: Handled[] = [];
    const b = consumer(topics, producer, groupId, (event, partition, offset) => {
      second.push({ id: event.id, partition, offset });
    });
    await b.start();
    closers.push(() => b.close());
    await waitFor(() => second.length >= total - first.length, { what: 'the rest to be handled' });
    await waitFor(
      async () => {
        const offsets = await committedOffsets(groupId, topics.orders.name);
        return [...offsets.values()].reduce((sum, offset) => sum + offset, 0) === total;
      },
      { what: 'everything to be committed' },
    );

    // The restart begins at each partition's committed offset and goes to the end, once each.
    const ends = byPartition(
      [...published.entries()].map(([id, p]) => ({
        id,
        partition: p.partition,
        offset: Number(p.offset),
      })),
    );
    for (const [partition, offsets] of ends) {
      const resumedAt = committed.get(partition) ?? 0;
      expect(byPartition(second).get(partition) ?? [], `partition ${partition}`).toEqual(
        range(resumedAt, offsets.at(-1)! + 1),
      );
    }
    const ids = [...first, ...second].map(({ id }) => id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(published.keys()));
  });

  it('after kill -9 mid-batch redelivers at most the batch in flight and loses nothing', async () => {
    const total = 30;
    const { topics, producer, published, groupId } = await setup('crash', total);
    const root = path.resolve(import.meta.dirname, '../../../..');
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'fixtures/crash-consumer.ts'),
        JSON.stringify({
          brokers,
          groupId,
          topic: topics.orders.name,
          dlqTopic: topics.dlq.name,
          retryTopic: topics.retry.name,
          blockAt: 12,
        }),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    closers.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return Promise.resolve();
    });
    const first: Handled[] = [];
    let inFlight: Handled | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [kind, id, partition, offset] = line.split(' ');
      const record = { id: id!, partition: Number(partition), offset: Number(offset) };
      if (kind === 'handled') first.push(record);
      if (kind === 'inflight') inFlight = record;
    });
    await waitFor(() => inFlight, { what: 'the child to block in a handler', timeoutMs: 45_000 });
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    expect(first).toHaveLength(11);
    const committed = await committedOffsets(groupId, topics.orders.name);
    // Everything committed was handled; the record in flight was not committed.
    const handledFirst = byPartition(first);
    for (const [partition, upTo] of committed) {
      expect(handledFirst.get(partition)?.slice(0, upTo) ?? [], `partition ${partition}`).toEqual(
        range(0, upTo),
      );
    }
    expect(committed.get(inFlight!.partition) ?? 0).toBeLessThanOrEqual(inFlight!.offset);

    const second: Handled[] = [];
    const b = consumer(topics, producer, groupId, (event, partition, offset) => {
      second.push({ id: event.id, partition, offset });
    });
    await b.start();
    closers.push(() => b.close());
    await waitFor(() => second.length >= total - first.length, {
      what: 'the rest to be handled once the dead member is evicted',
      timeoutMs: 45_000,
    });

    // At least once: the batch in flight is delivered again from its committed offsets (its
    // handlers never all finished), each record once; nothing before them is, nothing is missing.
    expect(second.map(({ id }) => id)).toContain(inFlight!.id);
    const ends = byPartition(
      [...published.values()].map((p) => ({
        id: '',
        partition: p.partition,
        offset: Number(p.offset),
      })),
    );
    for (const [partition, offsets] of ends) {
      expect(byPartition(second).get(partition) ?? [], `partition ${partition}`).toEqual(
        range(committed.get(partition) ?? 0, offsets.at(-1)! + 1),
      );
    }
    expect(new Set([...first, ...second].map(({ id }) => id))).toEqual(new Set(published.keys()));
  }, 90_000);
});

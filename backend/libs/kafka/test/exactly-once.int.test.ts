import { Admin } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import {
  createEventConsumer,
  type EventConsumer,
  type EventConsumerOptions,
} from '../src/consumer/index.js';
import { createProducer } from '../src/producer/index.js';
import { sleep } from '../src/retry/backoff.js';
import { countRecords } from '../src/state/index.js';
import { createTransactionalProducer } from '../src/transactions/index.js';
import {
  countingConsumer,
  createTestTopics,
  deleteTestTopics,
  memoryLogger,
  orderPlaced,
  withAdmin,
  type MemoryLogger,
  type TestTopics,
} from './fixtures.js';
import { committedReader, readUntil } from './transactions-support.js';

/**
 * Exactly-once: a consumer with a transactional producer commits each batch's outputs and its
 * offsets in one transaction. Outputs go to the test's DLQ copy (any topic would do): one per
 * input, its value the input's id.
 */
describe('exactly-once consumer', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setup(prefix: string, count: number) {
    const specs = await createTestTopics(brokers, prefix);
    closers.push(() => deleteTestTopics(brokers, specs));
    const producer = createProducer({
      brokers,
      clientId: `test-${prefix}`,
      logger: memoryLogger(),
    });
    closers.push(() => producer.close());
    const events = Array.from({ length: count }, () => orderPlaced());
    await producer.sendMany(
      events.map((event) => producer.eventRecord(event, { topic: specs.orders.name })),
    );
    return { specs, producer, events, groupId: uniqueName(`${prefix}.group`) };
  }

  function member(
    name: string,
    specs: TestTopics,
    groupId: string,
    logger: MemoryLogger,
    handle: (id: string) => Promise<void> | void = () => {},
    extra: Partial<EventConsumerOptions> = {},
  ): EventConsumer {
    const transactions = createTransactionalProducer({
      brokers,
      clientId: name,
      transactionalId: uniqueName(`${name}.tx`),
      logger,
    });
    closers.push(() => transactions.close());
    const producer = createProducer({ brokers, clientId: `${name}-plain`, logger });
    closers.push(() => producer.close());
    return createEventConsumer({
      brokers,
      groupId,
      clientId: name,
      topics: [specs.orders],
      producer,
      transactions,
      retry: false,
      dlqTopic: specs.dlq.name,
      retryTopic: specs.retry.name,
      logger,
      handler: async (event, _meta, out) => {
        await handle(event.id);
        out.add({ topic: specs.dlq.name, key: event.orderId, value: Buffer.from(event.id) });
      },
      ...extra,
    });
  }

  const committedAll = (groupId: string, topic: string) => async () =>
    (await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [topic]))).every(
      (row) => row.committed === row.logEnd,
    );

  it('commits outputs and offsets together: each output once, and no offset commit of its own', async () => {
    const { specs, events, groupId } = await setup('eos', 200);
    const consumer = member('eos-a', specs, groupId, memoryLogger());
    await consumer.start();
    closers.push(() => consumer.close());

    await waitFor(committedAll(groupId, specs.orders.name), { what: 'offsets at the end' });
    const reader = committedReader(brokers);
    closers.push(() => reader.close());
    const outputs = await readUntil(reader, specs.dlq.name, (read) => read.length >= events.length);
    expect(outputs.map((m) => m.value).sort()).toEqual(events.map((e) => e.id).sort());
    // The offsets went in the transactions: the consumer itself committed none.
    expect(consumer.stats().commits).toBe(0);
    expect(consumer.stats().records).toBe(events.length);
  });

  it('begins a transaction no sooner than transactionIntervalMs after the last one began: records that come meanwhile join the next', async () => {
    const { specs, producer, groupId } = await setup('interval', 0);
    const intervalMs = 200;
    const began: number[] = [];
    const consumer = member('interval-a', specs, groupId, memoryLogger(), undefined, {
      transactionIntervalMs: intervalMs,
      batchScope: (work) => {
        began.push(performance.now());
        return work();
      },
    });
    await consumer.start();
    closers.push(() => consumer.close());
    // The first transaction also finds the coordinator and initializes the producer.
    const first = orderPlaced();
    await producer.sendMany([producer.eventRecord(first, { topic: specs.orders.name })]);
    await waitFor(() => consumer.stats().records === 1, { what: 'the first record' });
    began.length = 0;

    // One record every 10 ms: without the interval, nearly each would be a batch of its own.
    const events = Array.from({ length: 40 }, () => orderPlaced());
    for (const event of events) {
      await producer.sendMany([producer.eventRecord(event, { topic: specs.orders.name })]);
      await sleep(10);
    }
    await waitFor(() => consumer.stats().records === events.length + 1, {
      what: 'every record',
    });

    expect(began.length, 'the records came over more than one interval').toBeGreaterThan(1);
    const gaps = began.slice(1).map((at, i) => at - (began[i] as number));
    // Measured where the batch reaches the handler's scope, a few steps after the loop took
    // it: those steps may take a little longer for one batch than for the next.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(intervalMs * 0.9);
    expect(began.length).toBeLessThan(events.length / 2);
  });

  it('does not wait transactionIntervalMs after a full batch: a backlog is read a full batch after another', async () => {
    // 1,200 records wait before the consumer starts: more than two batches of 500.
    const { specs, groupId, events } = await setup('backlog', 1_200);
    const intervalMs = 2_000;
    const batches: { endedAt: number; records: number }[] = [];
    let handled = 0;
    const consumer = member('backlog-a', specs, groupId, memoryLogger(), () => void handled++, {
      transactionIntervalMs: intervalMs,
      fromBeginning: true,
      batchScope: async (work) => {
        const before = handled;
        const result = await work();
        batches.push({ endedAt: performance.now(), records: handled - before });
        return result;
      },
    });
    await consumer.start();
    closers.push(() => consumer.close());
    await waitFor(() => consumer.stats().records === events.length, { what: 'every record' });

    const full = batches.flatMap((batch, i) => (batch.records === 500 ? [i] : []));
    expect(full.length, 'the backlog came in full batches').toBeGreaterThanOrEqual(2);
    // The batch after a full one began at once, not an interval after it.
    for (const i of full.filter((i) => i + 1 < batches.length)) {
      expect(batches[i + 1]!.endedAt - batches[i]!.endedAt).toBeLessThan(intervalMs / 2);
    }
  });

  it('reads input written in transactions to its log end: no lag of 1 is left behind the commit markers, which countRecords does not count', async () => {
    const specs = await createTestTopics(brokers, 'markers');
    closers.push(() => deleteTestTopics(brokers, specs));
    const upstream = createTransactionalProducer({
      brokers,
      clientId: 'markers-upstream',
      transactionalId: uniqueName('markers-upstream.tx'),
      logger: memoryLogger(),
    });
    closers.push(() => upstream.close());
    const plain = createProducer({ brokers, clientId: 'markers-plain', logger: memoryLogger() });
    closers.push(() => plain.close());
    // Twelve transactions of 50 records: each ends with a commit marker in every partition it
    // wrote. 600 records are more than one batch (500): the partitions a batch ends with are not
    // all those whose last record it holds.
    const events = Array.from({ length: 600 }, () => orderPlaced());
    for (let n = 0; n < events.length; n += 50) {
      await upstream.runTransaction(
        events.slice(n, n + 50).map((e) => plain.eventRecord(e, { topic: specs.orders.name })),
      );
    }
    const ends = await withAdmin(brokers, (admin) =>
      admin.groupOffsets('none', [specs.orders.name]),
    );
    const records = ends.reduce((sum, row) => sum + Number(row.logEnd), 0);
    expect(records, 'the log holds markers besides the records').toBeGreaterThan(events.length);
    const ranges = ends.map((row) => ({ ...row, from: 0n, to: BigInt(row.logEnd) }));
    expect(await countRecords({ brokers, ranges, logger: memoryLogger() })).toBe(events.length);

    const eosGroup = uniqueName('markers.eos');
    const eos = member('markers-eos', specs, eosGroup, memoryLogger());
    await eos.start();
    closers.push(() => eos.close());
    const aloGroup = uniqueName('markers.alo');
    const { consumer: alo, handled } = countingConsumer({
      brokers,
      specs,
      groupId: aloGroup,
      producer: plain,
    });
    await alo.start();
    closers.push(() => alo.close());

    await waitFor(() => eos.stats().records === events.length && handled() === events.length, {
      what: 'every record handled by both groups',
    });
    await waitFor(committedAll(eosGroup, specs.orders.name), { what: 'exactly-once at the end' });
    await waitFor(committedAll(aloGroup, specs.orders.name), { what: 'at-least-once at the end' });
  });

  it('commits past aborted transactions at the end of a partition, also one where it handled no record: no lag is left that no record will ever clear', async () => {
    const specs = await createTestTopics(brokers, 'aborted-tail');
    closers.push(() => deleteTestTopics(brokers, specs));
    const topic = specs.orders.name;
    const upstream = createTransactionalProducer({
      brokers,
      clientId: 'aborted-tail-upstream',
      transactionalId: uniqueName('aborted-tail-upstream.tx'),
      logger: memoryLogger(),
    });
    closers.push(() => upstream.close());
    const plain = createProducer({ brokers, clientId: 'aborted-plain', logger: memoryLogger() });
    closers.push(() => plain.close());
    // Committed records in partition 0 only: the other partitions will hold nothing but an
    // aborted transaction and its marker, which a read_committed consumer never receives.
    const events = Array.from({ length: 20 }, () => orderPlaced());
    await upstream.runTransaction(
      events.map((e) => ({ ...plain.eventRecord(e, { topic }), partition: 0 })),
    );

    const eosGroup = uniqueName('aborted-tail.eos');
    const eos = member('aborted-tail-eos', specs, eosGroup, memoryLogger());
    const aloGroup = uniqueName('aborted-tail.alo');
    const { consumer: alo, handled } = countingConsumer({
      brokers,
      specs,
      groupId: aloGroup,
      producer: plain,
    });
    for (const consumer of [eos, alo]) {
      await consumer.start();
      closers.push(() => consumer.close());
    }
    await waitFor(() => eos.stats().records === events.length && handled() === events.length, {
      what: 'the committed records handled by both groups',
    });

    // Then, with both groups idle, a transaction in every partition that is aborted.
    const tx = await upstream.begin();
    await tx.send(
      Array.from({ length: specs.orders.partitions }, (_, partition) => ({
        ...plain.eventRecord(orderPlaced(), { topic }),
        partition,
      })),
    );
    await tx.abort();

    await waitFor(committedAll(eosGroup, topic), { what: 'exactly-once past the aborted tail' });
    await waitFor(committedAll(aloGroup, topic), { what: 'at-least-once past the aborted tail' });
    expect(eos.stats().records).toBe(events.length);
    expect(handled()).toBe(events.length);
  });

  it('fences a member that lost its partitions mid-batch: its outputs are never read', async () => {
    const { specs, events, groupId } = await setup('zombie', 30);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    closers.push(() => Promise.resolve(release()));
    let blocked = false;
    const aLog = memoryLogger();
    const a = member('zombie-a', specs, groupId, aLog, async () => {
      if (!blocked) {
        blocked = true;
        await released;
      }
    });
    await a.start();
    closers.push(() => a.close());
    await waitFor(() => blocked, { what: 'a batch in flight in a' });

    // An operator removes a from the group (as a session timeout would); b takes over and
    // commits everything.
    const [first] = (await withAdmin(brokers, (admin) => admin.describeGroup(groupId))).members;
    const raw = new Admin({ clientId: 'test-kick', bootstrapBrokers: brokers });
    await raw.removeMembersFromConsumerGroup({ groupId, members: [{ memberId: first!.memberId }] });
    await raw.close();
    const b = member('zombie-b', specs, groupId, memoryLogger());
    await b.start();
    closers.push(() => b.close());
    await waitFor(committedAll(groupId, specs.orders.name), { what: 'b to commit everything' });

    // a wakes up with its whole batch decided: its transaction carries offsets of a generation
    // that is gone, so the broker refuses it and it is aborted.
    release();
    await waitFor(
      () =>
        aLog.lines.some((line) => line.message === 'batch refused: the group moved on; dropped'),
      { what: 'a to be refused' },
    );
    const reader = committedReader(brokers);
    closers.push(() => reader.close());
    const outputs = await readUntil(
      reader,
      specs.dlq.name,
      (read) => read.length >= events.length,
      5_000,
    );
    expect(outputs.map((m) => m.value).sort()).toEqual(events.map((e) => e.id).sort());
    expect(await committedAll(groupId, specs.orders.name)()).toBe(true);
  });
});

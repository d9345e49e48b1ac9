import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../../test/support/kafka.js';
import { createTestTopic, memoryLogger, withAdmin } from '../../test/fixtures.js';
import { committedReader, readUntil, type TestMessage } from '../../test/transactions-support.js';
import { createProducer } from '../producer/index.js';
import { consumedOffsets, createTransactionalProducer } from './producer.js';
import { renewingTransactionalProducer } from './renewing.js';

describe('a transactional producer', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function transactional(transactionalId: string) {
    const producer = createTransactionalProducer({
      brokers,
      clientId: 'test-tx',
      transactionalId,
      logger: memoryLogger(),
    });
    closers.push(() => producer.close());
    return producer;
  }

  const record = (topic: string, value: string, partition = 0) => ({
    topic,
    partition,
    value: Buffer.from(value),
  });

  /** Fills every partition of a new topic with `perPartition` plain records. */
  async function inputTopic(partitions: number, perPartition: number) {
    const topic = await createTestTopic(brokers, 'tx.input', partitions);
    const plain = createProducer({ brokers, clientId: 'test-tx-input', logger: memoryLogger() });
    try {
      for (let partition = 0; partition < partitions; partition++) {
        for (let i = 0; i < perPartition; i++) {
          await plain.sendRaw(record(topic, `in-${partition}-${i}`, partition));
        }
      }
    } finally {
      await plain.close();
    }
    return topic;
  }

  /** Joins a new group and reads all `count` records of `topic`, staying a member. */
  async function consumeAll(topic: string, count: number) {
    const groupId = uniqueName('tx.group');
    const reader = committedReader(brokers, { groupId });
    closers.push(() => reader.close(true));
    const messages = await readUntil(reader, topic, (read) => read.length >= count);
    expect(messages).toHaveLength(count);
    return { groupId, messages };
  }

  async function committedOffsets(groupId: string, topic: string) {
    const rows = await withAdmin(brokers, (admin) => admin.groupOffsets(groupId, [topic]));
    return rows.map((row) => [row.partition, row.committed]);
  }

  it('is fenced by a new producer with its transactional id, which then works', async () => {
    const topic = await createTestTopic(brokers, 'tx.fence', 1);
    const transactionalId = uniqueName('tx.fence.id');
    const old = transactional(transactionalId);
    await old.runTransaction([record(topic, 'old-1')]);
    const open = await old.begin();
    await open.send([record(topic, 'old-2')]);

    // A restart: the same id again. Its InitProducerId bumps the epoch and aborts old-2.
    const restarted = transactional(transactionalId);
    await restarted.runTransaction([record(topic, 'new-1')]);

    await expect(open.commit()).rejects.toMatchObject({
      code: 'PRODUCER_FENCED',
      retriable: false,
    });
    await expect(old.begin()).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
    await restarted.runTransaction([record(topic, 'new-2')]);

    const reader = committedReader(brokers);
    closers.push(() => reader.close(true));
    const read = await readUntil(reader, topic, (messages) =>
      messages.some((message) => message.value === 'new-2'),
    );
    expect(read.map((message) => message.value)).toEqual(['old-1', 'new-1', 'new-2']);
  });

  it('renewing: after its client was fenced, the next transaction runs on a new client', async () => {
    const topic = await createTestTopic(brokers, 'tx.renew', 1);
    const transactionalId = uniqueName('tx.renew.id');
    const renewing = renewingTransactionalProducer(
      () => transactional(transactionalId),
      memoryLogger(),
    );
    closers.push(() => renewing.close());
    await renewing.runTransaction([record(topic, 'first')]);
    // Another client takes the id (as the broker does when a frozen producer's transaction
    // times out): the renewing producer's client is fenced.
    await transactional(transactionalId).runTransaction([record(topic, 'other')]);

    await expect(renewing.runTransaction([record(topic, 'fenced')])).rejects.toMatchObject({
      code: 'PRODUCER_FENCED',
    });
    await renewing.runTransaction([record(topic, 'renewed')]);

    const reader = committedReader(brokers);
    closers.push(() => reader.close(true));
    const read = await readUntil(reader, topic, (messages) =>
      messages.some((message) => message.value === 'renewed'),
    );
    expect(read.map((message) => message.value)).toEqual(['first', 'other', 'renewed']);
  });

  it('commits the offsets of several partitions in one transaction', async () => {
    const partitions = 4;
    const input = await inputTopic(partitions, 3);
    const output = await createTestTopic(brokers, 'tx.output', 1);
    const { groupId, messages } = await consumeAll(input, partitions * 3);

    await transactional(uniqueName('tx.offsets.id')).runTransaction(
      messages.map((message) => record(output, `out-${message.value}`)),
      consumedOffsets(messages),
    );

    expect(await committedOffsets(groupId, input)).toEqual(
      Array.from({ length: partitions }, (_, partition) => [partition, '3']),
    );
  });

  it('leaves the group offsets where they were when the transaction aborts', async () => {
    const input = await inputTopic(2, 4);
    const output = await createTestTopic(brokers, 'tx.output', 1);
    const { groupId, messages } = await consumeAll(input, 8);
    const producer = transactional(uniqueName('tx.abort.id'));
    const firstHalf = (message: TestMessage) => Number(message.value.split('-')[2]) < 2;

    await producer.runTransaction(
      [record(output, 'first')],
      consumedOffsets(messages.filter(firstHalf)),
    );
    const tx = await producer.begin();
    await tx.send([record(output, 'second')]);
    await tx.addOffsets(consumedOffsets(messages));
    await tx.abort();

    expect(await committedOffsets(groupId, input)).toEqual([
      [0, '2'],
      [1, '2'],
    ]);
    // And the producer goes on after the abort.
    await producer.runTransaction([record(output, 'third')], consumedOffsets(messages));
    expect(await committedOffsets(groupId, input)).toEqual([
      [0, '4'],
      [1, '4'],
    ]);
  });

  it('runs transactions of 100 records back to back (throughput, logged)', async () => {
    const partitions = 3;
    const input = await inputTopic(partitions, 1);
    const output = await createTestTopic(brokers, 'tx.throughput', partitions);
    const { messages } = await consumeAll(input, partitions);
    const consumed = consumedOffsets(messages);
    const producer = transactional(uniqueName('tx.throughput.id'));
    const transactions = 50;
    const perTransaction = 100;
    const payload = Buffer.alloc(200, 'x');

    const started = performance.now();
    for (let t = 0; t < transactions; t++) {
      await producer.runTransaction(
        Array.from({ length: perTransaction }, (_, i) => ({
          topic: output,
          key: `key-${i}`,
          value: payload,
        })),
        consumed,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[kafkadog] ${transactions} transactions of ${perTransaction} records (+${partitions} offsets) ` +
        `in ${seconds.toFixed(2)} s: ${(transactions / seconds).toFixed(1)} transactions/s, ` +
        `${((transactions * perTransaction) / seconds).toFixed(0)} records/s`,
    );
  });
});

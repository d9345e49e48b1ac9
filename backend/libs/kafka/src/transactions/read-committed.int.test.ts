import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers } from '../../../../../test/support/kafka.js';
import { createTestTopic, memoryLogger } from '../../test/fixtures.js';
import { committedReader, readUntil } from '../../test/transactions-support.js';
import { createTransactionalProducer } from './producer.js';
import type { TransactionalProducer } from './types.js';

const partitions = 3;
const transactions = 30;
const sendsPerTransaction = 2;
const recordsPerPartitionPerSend = 3;
// ~200-byte records: a partition's batch of one send is ~700 bytes, so a 1500-byte fetch
// ends between a transaction's records and its marker.
const padding = 'x'.repeat(180);

/**
 * Two producers, each running `transactions` transactions that alternate abort and commit in
 * opposite phase, at the same time: every partition interleaves both producers' batches, and
 * each producer has many aborted transactions there. Returns the values that were committed.
 */
async function writeInterleaved(producers: TransactionalProducer[], topic: string) {
  const committed: string[] = [];
  await Promise.all(
    producers.map(async (producer, p) => {
      for (let t = 0; t < transactions; t++) {
        const commit = (t + p) % 2 === 1;
        const verdict = commit ? 'committed' : 'aborted';
        const tx = await producer.begin();
        const values: string[] = [];
        for (let s = 0; s < sendsPerTransaction; s++) {
          const records = [];
          for (let partition = 0; partition < partitions; partition++) {
            for (let r = 0; r < recordsPerPartitionPerSend; r++) {
              const value = `${verdict}:p${p}:t${t}:s${s}:${partition}.${r}:${padding}`;
              values.push(value);
              records.push({ topic, partition, key: `k${r}`, value: Buffer.from(value) });
            }
          }
          await tx.send(records);
        }
        if (commit) {
          await tx.commit();
          committed.push(...values);
        } else {
          await tx.abort();
        }
      }
    }),
  );
  return committed;
}

describe('read_committed over many aborted transactions', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it.each([
    ['1500-byte fetches (abort markers outside most responses)', 1500],
    ['the default fetch size (several aborted ranges per producer in one response)', undefined],
  ])(
    'never delivers an aborted record, and every committed one exactly once, with %s',
    async (_, maxBytes) => {
      const topic = await createTestTopic(brokers, 'tx.read-committed', partitions);
      const producers = [0, 1].map((p) =>
        createTransactionalProducer({
          brokers,
          clientId: 'test-tx-read-committed',
          transactionalId: `${topic}.producer-${p}`,
          logger: memoryLogger(),
        }),
      );
      for (const producer of producers) closers.push(() => producer.close());
      const committed = await writeInterleaved(producers, topic);
      expect(committed).toHaveLength((transactions / 2) * 2 * sendsPerTransaction * 9);

      const reader = committedReader(brokers, maxBytes === undefined ? {} : { maxBytes });
      closers.push(() => reader.close(true));
      const expected = new Set(committed);
      const messages = await readUntil(reader, topic, (read) => {
        const seen = new Set(read.map((message) => message.value));
        return [...expected].every((value) => seen.has(value));
      });

      const values = messages.map((message) => message.value);
      const aborted = values.filter((value) => value.startsWith('aborted:'));
      expect(
        aborted.map((value) => value.slice(0, 30)),
        'aborted records delivered',
      ).toEqual([]);
      expect(values.filter((value) => !expected.has(value))).toEqual([]);
      expect(values.length, 'each committed record once').toBe(expected.size);
      expect(new Set(values)).toEqual(expected);
    },
  );
});

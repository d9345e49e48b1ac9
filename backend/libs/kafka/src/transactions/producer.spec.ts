import { MultipleErrors, ProtocolError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { isTransactionError, KafkadogError } from '../errors.js';
import { consumedOffsets, transactionRetryDelay } from './producer.js';

const member = (generationId: number) => ({
  consumer: { groupId: 'g', generationId, memberId: `m${generationId}`, coordinatorId: 1 },
});

describe('consumedOffsets', () => {
  it('commits, per partition, the offset after its last message', () => {
    const consumed = consumedOffsets([
      { topic: 'a', partition: 0, offset: 7n, metadata: member(3) },
      { topic: 'a', partition: 1, offset: 2n, metadata: member(3) },
      { topic: 'a', partition: 0, offset: 9n, metadata: member(3) },
      { topic: 'b', partition: 0, offset: 0n, metadata: member(3) },
    ]);
    expect(consumed.offsets).toEqual([
      { topic: 'a', partition: 0, offset: 10n },
      { topic: 'a', partition: 1, offset: 3n },
      { topic: 'b', partition: 0, offset: 1n },
    ]);
  });

  it('speaks for the oldest generation in the batch, so a batch across a rebalance is refused', () => {
    const consumed = consumedOffsets([
      { topic: 'a', partition: 0, offset: 1n, metadata: member(4) },
      { topic: 'a', partition: 0, offset: 2n, metadata: member(3) },
    ]);
    expect(consumed.group).toEqual({
      groupId: 'g',
      generationId: 3,
      memberId: 'm3',
      coordinatorId: 1,
    });
  });

  it('refuses messages not read by a group', () => {
    expect(() => consumedOffsets([{ topic: 'a', partition: 0, offset: 1n, metadata: {} }])).toThrow(
      expect.objectContaining({ code: 'TRANSACTION_STATE' }),
    );
  });
});

describe('transactionRetryDelay', () => {
  it('retries CONCURRENT_TRANSACTIONS within milliseconds, anything else after 1 s', () => {
    const concurrent = new MultipleErrors('failed', [new ProtocolError('CONCURRENT_TRANSACTIONS')]);
    expect(transactionRetryDelay({}, 'addPartitionsToTransaction', 1, 20, concurrent)).toBe(2);
    expect(transactionRetryDelay({}, 'addPartitionsToTransaction', 3, 20, concurrent)).toBe(8);
    expect(transactionRetryDelay({}, 'addPartitionsToTransaction', 10, 20, concurrent)).toBe(50);
    const other = new ProtocolError('NOT_COORDINATOR');
    expect(transactionRetryDelay({}, 'endTransaction', 1, 20, other)).toBe(1000);
  });
});

describe('isTransactionError', () => {
  it('narrows to the closed set of transaction codes', () => {
    const fenced = new KafkadogError('PRODUCER_FENCED', 'fenced');
    expect(isTransactionError(fenced)).toBe(true);
    expect(isTransactionError(fenced, 'PRODUCER_FENCED')).toBe(true);
    expect(isTransactionError(fenced, 'TRANSACTION_ABORTED')).toBe(false);
    expect(isTransactionError(new KafkadogError('PUBLISH_FAILED', 'x'))).toBe(false);
  });
});

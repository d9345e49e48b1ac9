import {
  compatibilityPartitioner,
  findErrorBy,
  Producer,
  stringSerializer,
  type Consumer,
  type Message,
} from '@platformatic/kafka';
import { clientConnection } from '../connection/index.js';
import { describeError, isRetriable, KafkadogError, type TransactionErrorCode } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { recordPositions, toClientMessage } from '../producer/positions.js';
import type {
  ConsumedOffsets,
  GroupMember,
  Transaction,
  TransactionalProducer,
  TransactionalProducerOptions,
  TransactionOffset,
} from './types.js';

type Client = Producer<Buffer, Buffer, string, Buffer>;
// The client does not export its Transaction class.
type ClientTx = Awaited<ReturnType<Client['beginTransaction']>>;

export const defaultTransactionTimeoutMs = 60_000;

/**
 * The client's delay before another attempt. Right after a commit the coordinator is still
 * writing the markers, so the next transaction's first AddPartitionsToTxn gets
 * CONCURRENT_TRANSACTIONS: that clears in milliseconds, and the client's flat 1 s would cap a
 * producer at one transaction a second: 2, 4, 8… ms, at most 50 (a retry waits at most about
 * what the markers take). Anything else waits the client's usual 1 s.
 */
export function transactionRetryDelay(
  _client: unknown,
  _operation: string,
  attempt: number,
  _retries: number,
  error: Error,
): number {
  if (findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS')) {
    return Math.min(2 ** attempt, 50);
  }
  return 1000;
}

const fencingErrors = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'];
const staleGroupErrors = [
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
  'REBALANCE_IN_PROGRESS',
];
const hasApiError = (error: unknown, ids: readonly string[]) =>
  ids.some((id) => findErrorBy(error as Error, 'apiId', id) !== null);

function transactionError(
  code: TransactionErrorCode,
  message: string,
  cause?: unknown,
  retriable = false,
): KafkadogError {
  return new KafkadogError(
    code,
    cause === undefined ? message : `${message}: ${describeError(cause)}`,
    {
      cause,
      retriable,
    },
  );
}

/** The group member of a fetched message, as the client's consumer stream records it. */
export function groupMemberOf(message: Pick<Message, 'metadata'>): GroupMember {
  const consumer = message.metadata.consumer as Partial<GroupMember> | undefined;
  if (typeof consumer?.groupId !== 'string' || typeof consumer.generationId !== 'number') {
    throw transactionError('TRANSACTION_STATE', 'the message was not read by a consumer group');
  }
  return {
    groupId: consumer.groupId,
    generationId: consumer.generationId,
    memberId: consumer.memberId ?? null,
    coordinatorId: consumer.coordinatorId ?? null,
  };
}

/** The group member a consumer is now (for offsets of records it did not fetch as a stream). */
export function groupMemberOfConsumer(
  consumer: Pick<Consumer, 'groupId' | 'generationId' | 'memberId' | 'coordinatorId'>,
): GroupMember {
  return {
    groupId: consumer.groupId,
    generationId: consumer.generationId,
    memberId: consumer.memberId,
    coordinatorId: consumer.coordinatorId,
  };
}

/**
 * The offsets that mark a batch of fetched messages as consumed: per partition, the offset after
 * its last message. The group member is the oldest generation among them, so a batch that spans
 * a rebalance is refused rather than committed for partitions that moved.
 */
export function consumedOffsets(
  messages: readonly Pick<Message, 'topic' | 'partition' | 'offset' | 'metadata'>[],
): ConsumedOffsets {
  if (messages.length === 0) {
    throw transactionError('TRANSACTION_STATE', 'no messages to take offsets from');
  }
  let group = groupMemberOf(messages[0]!);
  const next = new Map<string, TransactionOffset>();
  for (const message of messages) {
    const member = groupMemberOf(message);
    if (member.groupId !== group.groupId) {
      throw transactionError('TRANSACTION_STATE', 'the messages come from different groups');
    }
    if (member.generationId < group.generationId) group = member;
    const key = `${message.topic}:${message.partition}`;
    const offset = message.offset + 1n;
    if ((next.get(key)?.offset ?? -1n) < offset) {
      next.set(key, { topic: message.topic, partition: message.partition, offset });
    }
  }
  return { group, offsets: [...next.values()] };
}

/** Dedupes by partition, keeping the highest offset. */
function latestPerPartition(offsets: readonly TransactionOffset[]): TransactionOffset[] {
  const latest = new Map<string, TransactionOffset>();
  for (const entry of offsets) {
    const key = `${entry.topic}:${entry.partition}`;
    const seen = latest.get(key);
    if (!seen || seen.offset < entry.offset) latest.set(key, entry);
  }
  return [...latest.values()];
}

/**
 * A producer for read-process-write: a batch's outputs and its consumer offsets commit together
 * or not at all. Readers must use `isolationLevel: 'READ_COMMITTED'`. See README.md for the
 * client bugs this works around.
 */
export function createTransactionalProducer(
  options: TransactionalProducerOptions,
): TransactionalProducer {
  const logger = options.logger ?? consoleLogger;
  const { transactionalId } = options;
  const timeout = options.transactionTimeoutMs ?? defaultTransactionTimeoutMs;
  if (!Number.isInteger(timeout) || timeout < 1000) {
    throw new KafkadogError(
      'INVALID_OPTION',
      `transactionTimeoutMs must be an integer >= 1000, got ${timeout}`,
    );
  }
  const client: Client = new Producer<Buffer, Buffer, string, Buffer>({
    clientId: options.clientId,
    ...clientConnection(options.brokers),
    idempotent: true,
    acks: -1,
    transactionalId,
    // "No producer yet": the broker then bumps the epoch of whoever held this id before and
    // aborts its open transaction. The client's default (0, 0) is refused with PRODUCER_FENCED
    // as soon as the id has a history (our patch fixes the default too; this keeps us safe).
    producerId: -1n,
    producerEpoch: -1,
    // The client sends its request timeout as the transaction timeout (InitProducerId), and has
    // no separate setting: a 5 s default would fence any batch that takes longer to process.
    timeout,
    retries: options.retries ?? 20,
    retryDelay: transactionRetryDelay,
    partitioner: compatibilityPartitioner,
    serializers: { headerKey: stringSerializer },
  });

  type State = 'idle' | 'open' | 'fenced' | 'closed';
  let state: State = 'idle';

  async function shutDown(next: 'fenced' | 'closed'): Promise<void> {
    state = next;
    // A fenced or failed client keeps its transaction forever ("There is already an active
    // transaction"); only a new producer can go on.
    await client.close(true).catch((error: unknown) => {
      logger.warn('transactional producer did not close cleanly', {
        transactionalId,
        error: describeError(error),
      });
    });
  }

  function refuse(): KafkadogError {
    return state === 'fenced'
      ? transactionError('PRODUCER_FENCED', `producer ${transactionalId} was fenced`)
      : transactionError('PRODUCER_CLOSED', `producer ${transactionalId} is closed`);
  }

  async function fenced(cause: unknown): Promise<KafkadogError> {
    logger.warn('transactional producer fenced: another producer has its transactional id', {
      transactionalId,
      error: describeError(cause),
    });
    await shutDown('fenced');
    return transactionError(
      'PRODUCER_FENCED',
      `producer ${transactionalId} was fenced by a newer one or its transaction timed out`,
      cause,
    );
  }

  /** Aborts after a failure and says why: the error to throw. */
  async function abortAfter(tx: ClientTx, cause: unknown): Promise<KafkadogError> {
    if (hasApiError(cause, fencingErrors)) return fenced(cause);
    try {
      await tx.abort();
      state = 'idle';
    } catch (abortError) {
      if (hasApiError(abortError, fencingErrors)) return fenced(abortError);
      logger.error('transaction could be neither completed nor aborted; closing the producer', {
        transactionalId,
        error: describeError(cause),
        abortError: describeError(abortError),
      });
      await shutDown('closed');
      return transactionError(
        'TRANSACTION_FAILED',
        `transaction of ${transactionalId} failed and could not be aborted`,
        cause,
      );
    }
    if (hasApiError(cause, staleGroupErrors)) {
      return transactionError(
        'TRANSACTION_GROUP_STALE',
        `the group moved on since the batch was read; transaction of ${transactionalId} aborted`,
        cause,
      );
    }
    return transactionError(
      'TRANSACTION_ABORTED',
      `transaction of ${transactionalId} aborted`,
      cause,
      isRetriable(cause),
    );
  }

  function wrap(tx: ClientTx): Transaction {
    let done = false;
    // Every call fails the whole transaction: it is aborted, and later calls are refused.
    async function step<T>(work: () => Promise<T>): Promise<T> {
      if (done) throw transactionError('TRANSACTION_STATE', 'the transaction is already over');
      try {
        return await work();
      } catch (error) {
        done = true;
        throw error instanceof KafkadogError ? error : await abortAfter(tx, error);
      }
    }

    return {
      send: (records) =>
        step(async () => {
          if (records.length === 0) return [];
          const messages = records.map(toClientMessage);
          const result = await tx.send({ messages });
          const metadata = await client.metadata({
            topics: [...new Set(messages.map((m) => m.topic))],
          });
          return recordPositions(
            messages,
            result.offsets ?? [],
            (topic) => metadata.topics.get(topic)?.partitionsCount ?? 1,
          );
        }),

      addOffsets: ({ group, offsets }) =>
        step(async () => {
          if (offsets.length === 0) return;
          if (group.coordinatorId === null) {
            throw await abortAfter(
              tx,
              transactionError('TRANSACTION_STATE', `group ${group.groupId} has no coordinator`),
            );
          }
          // addConsumer only reads the group id.
          await tx.addConsumer({ groupId: group.groupId } as unknown as Consumer);
          // All partitions in one TxnOffsetCommit: our patch lets addOffset take several
          // messages (unpatched, concurrent calls are merged into one and all but one offset is
          // lost, and calls one after the other cost a round trip per partition).
          // The client commits `message.offset + 1` with the message's group metadata.
          const messages = latestPerPartition(offsets).map(({ topic, partition, offset }) => ({
            topic,
            partition,
            offset: offset - 1n,
            metadata: { consumer: group },
          }));
          await tx.addOffset(messages as unknown as Message);
        }),

      commit: () =>
        step(async () => {
          await tx.commit();
          done = true;
          state = 'idle';
        }),

      abort: async () => {
        if (done) return;
        done = true;
        const error = await abortAfter(tx, undefined);
        if (error.code !== 'TRANSACTION_ABORTED') throw error;
      },
    };
  }

  const producer: TransactionalProducer = {
    transactionalId,

    async begin() {
      if (state === 'fenced' || state === 'closed') throw refuse();
      if (state === 'open') {
        throw transactionError(
          'TRANSACTION_STATE',
          `producer ${transactionalId} has an open transaction`,
        );
      }
      state = 'open';
      try {
        return wrap(await client.beginTransaction());
      } catch (error) {
        if (hasApiError(error, fencingErrors)) throw await fenced(error);
        // The client keeps a transaction that failed to begin as its active one; nothing was
        // sent in it, so dropping it locally is safe.
        await client.transaction?.cancel().catch(() => undefined);
        state = 'idle';
        throw transactionError(
          'TRANSACTION_ABORTED',
          `could not begin a transaction for ${transactionalId}`,
          error,
          isRetriable(error),
        );
      }
    },

    async runTransaction(records, consumed) {
      const tx = await producer.begin();
      const positions = await tx.send(records);
      if (consumed) await tx.addOffsets(consumed);
      await tx.commit();
      return positions;
    },

    async close() {
      if (state === 'closed' || state === 'fenced') return;
      await shutDown('closed');
    },
  };
  return producer;
}

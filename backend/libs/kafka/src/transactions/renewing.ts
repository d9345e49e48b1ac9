import { describeError, isTransactionError } from '../errors.js';
import { consoleLogger, type Logger } from '../logger.js';
import type { TransactionalProducer } from './types.js';

/** A producer's ends: fenced, or closed after a transaction it could neither commit nor abort. */
const endings = ['PRODUCER_FENCED', 'TRANSACTION_FAILED'] as const;

/**
 * A transactional producer that starts a new client after its current one has ended, for an id
 * that one process uses at a time (a service instance's). A client ends when its transaction
 * timed out (the process was frozen, say) and the broker bumped its epoch, or when a transaction
 * could be neither committed nor aborted; it then refuses every call, and the partitions it writes
 * for would stall for good. The new client's InitProducerId bumps the epoch again and aborts
 * whatever the old one left open. A zombie gains nothing by it: each transaction carries its
 * consumer group's generation, and the broker refuses one from a member the group dropped.
 * The call that failed still fails: its batch is decided again.
 */
export function renewingTransactionalProducer(
  create: () => TransactionalProducer,
  logger: Logger = consoleLogger,
): TransactionalProducer {
  let current = create();
  let closed = false;

  function renewAfter(error: unknown): void {
    if (closed || !endings.some((code) => isTransactionError(error, code))) return;
    const ended = current;
    current = create();
    logger.warn('transactional producer ended; a new one takes over its transactional id', {
      transactionalId: ended.transactionalId,
      error: describeError(error),
    });
    void ended.close().catch(() => undefined);
  }

  async function onCurrent<T>(call: (producer: TransactionalProducer) => Promise<T>): Promise<T> {
    try {
      return await call(current);
    } catch (error) {
      renewAfter(error);
      throw error;
    }
  }

  return {
    get transactionalId() {
      return current.transactionalId;
    },
    begin: () => onCurrent((producer) => producer.begin()),
    runTransaction: (records, consumed) =>
      onCurrent((producer) => producer.runTransaction(records, consumed)),
    async close() {
      closed = true;
      await current.close();
    },
  };
}

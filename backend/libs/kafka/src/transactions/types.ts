import type { Brokers } from '../brokers.js';
import type { Logger } from '../logger.js';
import type { RawRecord, RecordPosition } from '../producer/index.js';

export interface TransactionalProducerOptions {
  readonly brokers: Brokers;
  readonly clientId: string;
  /**
   * Names the producer across restarts: a new producer with the same id fences the previous one
   * and aborts its open transaction. One id per unit of work that must not run twice at once
   * (e.g. a service instance's slot), never a random one.
   */
  readonly transactionalId: string;
  readonly logger?: Logger;
  /**
   * How long a transaction may stay open before the broker aborts it (and fences this producer);
   * default 60 s, the Java client's. The client sends its request timeout here, so this is also
   * how long one request may take.
   */
  readonly transactionTimeoutMs?: number;
  /** Attempts per request after a transient error; default 20. */
  readonly retries?: number;
}

/** A consumer group member as it was when a batch was fetched: whose offsets to commit. */
export interface GroupMember {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string | null;
  readonly coordinatorId: number | null;
}

/** A partition's new committed offset: the next offset to read, as in `consumer.commit`. */
export interface TransactionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** The offsets to commit with a batch's outputs, and the group member that read the batch. */
export interface ConsumedOffsets {
  readonly group: GroupMember;
  readonly offsets: readonly TransactionOffset[];
}

export interface Transaction {
  /**
   * Sends records to any topics and partitions in one call (one request per partition leader);
   * resolves with where each was stored, in the same order.
   */
  send(records: readonly RawRecord[]): Promise<RecordPosition[]>;
  /** Adds consumer offsets to the transaction: they commit with it, or not at all. */
  addOffsets(consumed: ConsumedOffsets): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionalProducer {
  readonly transactionalId: string;
  /** Opens a transaction; one at a time per producer. */
  begin(): Promise<Transaction>;
  /**
   * Sends the records and adds the offsets in one transaction and commits it, or aborts it on
   * failure and rejects with a KafkadogError whose code is a TransactionErrorCode.
   */
  runTransaction(
    records: readonly RawRecord[],
    consumed?: ConsumedOffsets,
  ): Promise<RecordPosition[]>;
  close(): Promise<void>;
}

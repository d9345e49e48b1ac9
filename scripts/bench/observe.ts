import { Headers, topics } from '@kafkadog/contracts';
import { silentLogger, tailTopics, type ReadRecord } from '@kafkadog/kafka';
import { HopTracker, type Step } from './hops.js';
import { OutcomeTracker } from './outcomes.js';

const OBSERVER_FETCH_BYTES = 64 * 1024;

/**
 * Reads orders.v1, the replies on payments.v1 and inventory.v1, and orders.outcome.v1 from their
 * start, as an independent observer (no consumer group, nothing committed), into an
 * OutcomeTracker and a HopTracker. Times are the records' timestamps. The library's tail rides
 * out a broker that dies: it finds the partitions' new leaders and reads on from where it was.
 */
export async function observeOrders(
  brokers: string[],
  clientId: string,
): Promise<{ tracker: OutcomeTracker; hops: HopTracker; close(): Promise<void> }> {
  const tracker = new OutcomeTracker();
  const hops = new HopTracker();
  const handledAt = (record: ReadRecord) => {
    const value = Number(record.headers[Headers.handledAt]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  // The replies of payment and inventory, for the breakdown of each order's way.
  const replies: Record<string, { step: Step; types: readonly string[] }> = {
    [topics.payments.name]: { step: 'payment', types: ['PaymentAuthorized', 'PaymentDeclined'] },
    [topics.inventory.name]: {
      step: 'inventory',
      types: ['InventoryReserved', 'InventoryRejected'],
    },
  };
  const tail = await tailTopics({
    brokers,
    topics: [topics.orders.name, topics.outcomes.name, ...Object.keys(replies)],
    clientId,
    logger: silentLogger,
    // Latency comes from the records' timestamps, not from when they are read here: the broker
    // may gather 64 KiB (or wait 100 ms) per fetch, instead of answering one for each record
    // any service writes: the bench should not load the broker it measures.
    maxWaitMs: 100,
    minBytes: OBSERVER_FETCH_BYTES,
    onRecord: (record) => {
      const id = record.key;
      const type = record.headers[Headers.eventType] ?? '';
      if (!id) return;
      if (record.topic === topics.orders.name) {
        if (type !== 'OrderPlaced') return;
        tracker.placed(id, record.timestamp);
        hops.placed(id, record.timestamp);
      } else if (record.topic === topics.outcomes.name) {
        if (type !== 'OrderCompleted' && type !== 'OrderCancelled') return;
        tracker.outcome(id, type, record.timestamp);
        hops.step(id, 'saga', record.timestamp, handledAt(record));
      } else {
        const reply = replies[record.topic];
        if (reply?.types.includes(type))
          hops.step(id, reply.step, record.timestamp, handledAt(record));
      }
    },
  });
  return { tracker, hops, close: () => tail.close() };
}

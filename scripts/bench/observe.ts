import { Headers, topics } from '@kafkadog/contracts';
import { collectRecords, type CollectedRecord } from '../lib/collect.js';
import { HopTracker, type Step } from './hops.js';
import { OutcomeTracker } from './outcomes.js';

/**
 * Reads orders.v1, the replies on payments.v1 and inventory.v1, and orders.outcome.v1 from their
 * start, as an independent observer (a group of its own that commits nothing), into an
 * OutcomeTracker and a HopTracker. Times are the records' timestamps.
 */
export async function observeOrders(
  brokers: string[],
  groupPrefix: string,
): Promise<{ tracker: OutcomeTracker; hops: HopTracker; close(): Promise<void> }> {
  const tracker = new OutcomeTracker();
  const hops = new HopTracker();
  const orderId = (record: CollectedRecord) => record.key?.toString('utf8');
  const handledAt = (record: CollectedRecord) => {
    const value = Number(record.headers[Headers.handledAt]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  // The replies of payment and inventory, for the breakdown of each order's way.
  const replies = (topic: string, step: Step, types: readonly string[]) =>
    collectRecords(brokers, topic, {
      groupPrefix,
      keep: false,
      onRecord: (record) => {
        const id = orderId(record);
        if (id && types.includes(record.headers[Headers.eventType] ?? '')) {
          hops.step(id, step, record.timestamp, handledAt(record));
        }
      },
    });
  const collectors = await Promise.all([
    collectRecords(brokers, topics.orders.name, {
      groupPrefix,
      keep: false,
      onRecord: (record) => {
        const id = orderId(record);
        if (id && record.headers[Headers.eventType] === 'OrderPlaced') {
          tracker.placed(id, record.timestamp);
          hops.placed(id, record.timestamp);
        }
      },
    }),
    collectRecords(brokers, topics.outcomes.name, {
      groupPrefix,
      keep: false,
      onRecord: (record) => {
        const id = orderId(record);
        const type = record.headers[Headers.eventType];
        if (id && (type === 'OrderCompleted' || type === 'OrderCancelled')) {
          tracker.outcome(id, type, record.timestamp);
          hops.step(id, 'saga', record.timestamp, handledAt(record));
        }
      },
    }),
    replies(topics.payments.name, 'payment', ['PaymentAuthorized', 'PaymentDeclined']),
    replies(topics.inventory.name, 'inventory', ['InventoryReserved', 'InventoryRejected']),
  ]);
  return {
    tracker,
    hops,
    close: async () => {
      await Promise.all(collectors.map((collector) => collector.close()));
    },
  };
}

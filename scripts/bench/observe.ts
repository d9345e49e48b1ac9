import { Headers, topics } from '@kafkadog/contracts';
import { collectRecords, type CollectedRecord } from '../lib/collect.js';
import { OutcomeTracker } from './outcomes.js';

/**
 * Reads orders.v1 and orders.outcome.v1 from their start, as an independent observer (a group
 * of its own that commits nothing), into an OutcomeTracker. Times are the records' timestamps.
 */
export async function observeOrders(
  brokers: string[],
  groupPrefix: string,
): Promise<{ tracker: OutcomeTracker; close(): Promise<void> }> {
  const tracker = new OutcomeTracker();
  const orderId = (record: CollectedRecord) => record.key?.toString('utf8');
  const collectors = await Promise.all([
    collectRecords(brokers, topics.orders.name, {
      groupPrefix,
      keep: false,
      onRecord: (record) => {
        const id = orderId(record);
        if (id && record.headers[Headers.eventType] === 'OrderPlaced') {
          tracker.placed(id, record.timestamp);
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
        }
      },
    }),
  ]);
  return {
    tracker,
    close: async () => {
      await Promise.all(collectors.map((collector) => collector.close()));
    },
  };
}

import { allTopics } from '@kafkadog/contracts';
import { readToEnd, silentLogger, type ReadRecord } from '@kafkadog/kafka';
import type { Stack } from '../lib/stack.js';

/** Orders traced in a failed run's report, at most. */
export const MAX_TRACED = 3;
const STATE_CHARS = 240;

export interface OrderTrace {
  readonly orderId: string;
  /** Every record keyed by the order, in any registry topic, and the log lines naming it. */
  readonly lines: readonly string[];
}

/** One line per record: where, when, what (an event's type and id, a state's value). */
export function describeRecord(record: ReadRecord): string {
  const where = `${record.topic}[${record.partition}]@${record.offset}`;
  const at = new Date(record.timestamp).toISOString().slice(11, 23);
  const text = record.value?.toString('utf8');
  let what: string;
  if (text === undefined) what = 'tombstone';
  else {
    const type = record.headers['event-type'];
    const id = record.headers['event-id'];
    what = type
      ? `${type}${id ? ` ${id}` : ''}`
      : text.length > STATE_CHARS
        ? `${text.slice(0, STATE_CHARS)}…`
        : text;
  }
  return `${at}  ${where}  ${what}`;
}

/**
 * What happened to some orders, for a run that lost or doubled them: every record keyed by each
 * (orders, replies, outcomes, retries, dead letters, every service's state), by time, and the
 * lines the services logged about it.
 */
export async function traceOrders(
  stack: Stack,
  orderIds: readonly string[],
): Promise<OrderTrace[]> {
  const wanted = new Set(orderIds.slice(0, MAX_TRACED));
  if (wanted.size === 0) return [];
  const records = new Map<string, ReadRecord[]>([...wanted].map((id) => [id, []]));
  await readToEnd({
    brokers: stack.brokers,
    topics: allTopics.filter((topic) => topic.keyedBy === 'orderId').map((topic) => topic.name),
    clientId: 'kafkadog-faults-trace',
    logger: silentLogger,
    onRecord: (record) => {
      if (record.key && wanted.has(record.key)) records.get(record.key)?.push(record);
    },
  });
  return [...wanted].map((orderId) => {
    const found = (records.get(orderId) ?? []).sort((a, b) => a.timestamp - b.timestamp);
    const logged = stack.processes.flatMap((name) =>
      stack
        .logs(name)
        .filter((line) => line.includes(orderId))
        .map((line) => `${name}: ${line}`),
    );
    return { orderId, lines: [...found.map(describeRecord), ...logged] };
  });
}

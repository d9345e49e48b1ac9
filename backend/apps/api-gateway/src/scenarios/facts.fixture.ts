import { Headers, topics } from '@kafkadog/contracts';
import type { EventDetail, Fact, GroupFact, RecordFact } from './facts.js';

const T0 = Date.parse('2026-01-01T10:00:00Z');

/**
 * Facts for verdict tests, built as a run would record them: records get the next offset of
 * their partition (partition 0 unless told), times move forward as the test says.
 */
export class Given {
  readonly facts: Fact[] = [];
  readonly #next = new Map<string, number>();
  now = T0;

  /** Moves the clock on. */
  after(ms: number): this {
    this.now += ms;
    return this;
  }

  placed(orderId: string, label = 'order'): this {
    this.facts.push({ kind: 'placed', at: this.now, orderId, label });
    return this;
  }

  record(topic: string, fields: Partial<RecordFact> = {}): RecordFact {
    const partition = fields.partition ?? 0;
    const key = `${topic}[${partition}]`;
    const offset = this.#next.get(key) ?? 0;
    this.#next.set(key, offset + 1);
    const record: RecordFact = {
      kind: 'record',
      topic,
      partition,
      offset: String(offset),
      timestamp: this.now,
      key: null,
      type: null,
      orderId: fields.key ?? null,
      eventId: null,
      headers: {},
      invalid: null,
      data: {},
      ...fields,
    };
    this.facts.push(record);
    return record;
  }

  event(topic: string, type: string, orderId: string, data: EventDetail = {}): this {
    this.record(topic, { type, orderId, key: orderId, data });
    return this;
  }

  faults(inventoryFailureRate: number): this {
    this.record(topics.faults.name, {
      type: 'FaultsConfigured',
      key: 'faults',
      orderId: null,
      data: { inventoryFailureRate },
    });
    return this;
  }

  retry(
    orderId: string,
    attempt: number,
    dueInMs: number,
    extra: Record<string, string> = {},
  ): this {
    this.record(topics.retry.name, {
      key: orderId,
      type: 'OrderPlaced',
      headers: {
        [Headers.retryAttempt]: String(attempt),
        [Headers.retryNotBefore]: String(this.now + dueInMs),
        [Headers.retryGroup]: 'inventory-service',
        ...extra,
      },
    });
    return this;
  }

  deadLetter(key: string, group: string, reason: string, source?: RecordFact): this {
    this.record(topics.dlq.name, {
      key,
      headers: {
        [Headers.dlqGroup]: group,
        [Headers.dlqReason]: reason,
        ...(source
          ? {
              [Headers.originalTopic]: source.topic,
              [Headers.originalPartition]: String(source.partition),
              [Headers.originalOffset]: source.offset,
            }
          : {}),
      },
    });
    return this;
  }

  offsets(
    group: string,
    topic: string,
    partition: number,
    committed: string | null,
    logEnd = committed ?? '0',
  ): this {
    this.facts.push({ kind: 'offsets', at: this.now, group, topic, partition, committed, logEnd });
    return this;
  }

  recordCount(topic: string, records: number): this {
    this.facts.push({ kind: 'recordCount', at: this.now, topic, records });
    return this;
  }

  counter(service: string, name: string, labels: Record<string, string>, value: number): this {
    this.facts.push({ kind: 'counter', at: this.now, service, name, labels, value });
    return this;
  }

  group(group: string, members: GroupFact['members'], state = 'Stable'): this {
    this.facts.push({ kind: 'group', at: this.now, group, state, members });
    return this;
  }

  health(service: string, up = true): this {
    this.facts.push({ kind: 'health', at: this.now, service, up, detail: up ? '200' : '503' });
    return this;
  }

  kafka(up: boolean): this {
    this.facts.push({ kind: 'kafka', at: this.now, up });
    return this;
  }
}

/** The failing checks of a judgement, by name: what a broken case should name. */
export function failing(judged: {
  checks: readonly { name: string; passed: boolean }[];
}): string[] {
  return judged.checks.filter((c) => !c.passed).map((c) => c.name);
}

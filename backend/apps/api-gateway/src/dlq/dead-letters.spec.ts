import { Headers } from '@kafkadog/contracts';
import type { ReadRecord } from '@kafkadog/kafka';
import { describe, expect, it } from 'vitest';
import {
  DeadLetterLog,
  PREVIEW_CHARS,
  REDRIVEN_FROM_HEADER,
  redriveRecord,
} from './dead-letters.js';

function deadLetter(
  offset: number,
  headers: Record<string, string>,
  value = '{"id":"x"}',
): ReadRecord {
  return {
    topic: 'orders.dlq.v1',
    partition: 0,
    offset: String(offset),
    key: `order-${offset}`,
    value: Buffer.from(value),
    headers,
    timestamp: Date.parse('2026-01-01T00:00:00.000Z') + offset,
  };
}

function exhausted(offset: number, at: string, sourceTopic = 'orders.v1'): ReadRecord {
  return deadLetter(offset, {
    [Headers.eventType]: 'OrderPlaced',
    [Headers.eventId]: 'event-1',
    [Headers.dlqReason]: 'retries_exhausted',
    [Headers.dlqError]: 'INVENTORY_UNAVAILABLE: flaky',
    [Headers.dlqGroup]: 'inventory-service',
    [Headers.originalTopic]: sourceTopic,
    [Headers.originalPartition]: '2',
    [Headers.originalOffset]: '41',
    [Headers.retryAttempt]: '4',
    [Headers.dlqAt]: at,
  });
}

function retryRecord(headers: Record<string, string>): ReadRecord {
  return { ...deadLetter(0, headers), topic: 'orders.retry.v1' };
}

describe('DeadLetterLog', () => {
  it('given dead letters, then it counts them by reason and source topic with the oldest and newest', () => {
    const log = new DeadLetterLog();
    log.add(exhausted(0, '2026-01-01T00:00:02.000Z'));
    log.add(exhausted(1, '2026-01-01T00:00:01.000Z', 'payments.v1'));
    log.add(
      deadLetter(
        2,
        { [Headers.dlqReason]: 'invalid_json', [Headers.originalTopic]: 'orders.v1' },
        '{',
      ),
    );
    expect(log.stats()).toEqual({
      total: 3,
      byReason: { retries_exhausted: 2, invalid_json: 1 },
      bySourceTopic: { 'orders.v1': 2, 'payments.v1': 1 },
      byGroup: { 'inventory-service': 2, unknown: 1 },
      redriven: 0,
      // The third has no dlq-at header: its record timestamp counts.
      oldest: '2026-01-01T00:00:00.002Z',
      newest: '2026-01-01T00:00:02.000Z',
    });
  });

  it('lists entries newest first with what a learner needs to see', () => {
    const log = new DeadLetterLog();
    log.add(exhausted(0, '2026-01-01T00:00:00.000Z'));
    log.add(exhausted(1, '2026-01-01T00:00:01.000Z'));
    expect(log.list(1)).toEqual([
      {
        offset: 1,
        key: 'order-1',
        reason: 'retries_exhausted',
        error: 'INVENTORY_UNAVAILABLE: flaky',
        sourceTopic: 'orders.v1',
        sourcePartition: 2,
        sourceOffset: 41,
        group: 'inventory-service',
        at: '2026-01-01T00:00:01.000Z',
        eventType: 'OrderPlaced',
        retries: 4,
        valuePreview: '{"id":"x"}',
        valueBytes: 10,
        headers: expect.objectContaining({
          'dlq-reason': 'retries_exhausted',
          'dlq-consumer-group': 'inventory-service',
        }) as Record<string, string>,
        redrivenFrom: null,
        redriven: false,
      },
    ]);
  });

  it('truncates long values in the preview', () => {
    const log = new DeadLetterLog();
    log.add(deadLetter(0, {}, 'x'.repeat(PREVIEW_CHARS + 10)));
    expect(log.get(0)?.valuePreview).toBe(`${'x'.repeat(PREVIEW_CHARS)}…`);
    expect(log.get(0)?.valueBytes).toBe(PREVIEW_CHARS + 10);
  });

  it('given a retry record written by a redrive, then its dead letter counts as redriven', () => {
    const log = new DeadLetterLog();
    log.add(exhausted(7, '2026-01-01T00:00:00.000Z'));
    log.addRetry(retryRecord({ [Headers.retryGroup]: 'inventory-service' }));
    expect(log.get(7)?.redriven).toBe(false);
    log.addRetry(retryRecord({ [REDRIVEN_FROM_HEADER]: '7' }));
    expect(log.get(7)?.redriven).toBe(true);
    expect(log.stats().redriven).toBe(1);
  });

  it('given the retry record is read before its dead letter, then it still counts', () => {
    const log = new DeadLetterLog();
    log.addRetry(retryRecord({ [REDRIVEN_FROM_HEADER]: '3' }));
    log.add(exhausted(3, '2026-01-01T00:00:00.000Z'));
    expect(log.get(3)?.redriven).toBe(true);
  });
});

describe('redriveRecord', () => {
  it('sends the bytes back to the retry topic, due now, for the group that gave up', () => {
    const record = exhausted(5, '2026-01-01T00:00:00.000Z');
    const log = new DeadLetterLog();
    log.add(record);
    const retry = redriveRecord(log.get(5)!, record, 1_234);
    expect(retry?.topic).toBe('orders.retry.v1');
    expect(retry?.key).toBe('order-5');
    expect(retry?.value?.toString()).toBe('{"id":"x"}');
    const headers = Object.fromEntries(
      [...(retry?.headers as Map<string, Buffer>)].map(([name, value]) => [name, value.toString()]),
    );
    expect(headers).toMatchObject({
      [Headers.eventType]: 'OrderPlaced',
      [Headers.eventId]: 'event-1',
      [Headers.retryGroup]: 'inventory-service',
      [Headers.retryAttempt]: '1',
      [Headers.retryNotBefore]: '1234',
      [Headers.originalTopic]: 'orders.v1',
      [Headers.originalPartition]: '2',
      [Headers.originalOffset]: '41',
      [Headers.originalKey]: 'order-5',
      [REDRIVEN_FROM_HEADER]: '5',
    });
    // The dead-letter headers stay behind: the retry worker would otherwise see stale ones.
    expect(headers).not.toHaveProperty(Headers.dlqReason);
    expect(headers).not.toHaveProperty(Headers.dlqGroup);
  });

  it('gives nothing for a dead letter that does not name its group', () => {
    const record = deadLetter(0, { [Headers.dlqReason]: 'invalid_json' });
    const log = new DeadLetterLog();
    log.add(record);
    expect(redriveRecord(log.get(0)!, record, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from './definitions';
import { attemptLabel, buildWaterfall, kindOf } from './timeline';

function entry(
  type: string,
  topic: string,
  ms: number,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry {
  return {
    type,
    eventId: `${type}-id`,
    topic,
    partition: 0,
    offset: ms,
    timestamp: new Date(Date.UTC(2025, 0, 1) + ms).toISOString(),
    ...extra,
  };
}

describe('buildWaterfall', () => {
  it('places every hop on one axis from the first record, in time order', () => {
    const { hops, span } = buildWaterfall([
      entry('OrderCompleted', 'orders.outcome.v1', 90),
      entry('OrderPlaced', 'orders.v1', 0),
      entry('PaymentAuthorized', 'payments.v1', 40),
      entry('InventoryReserved', 'inventory.v1', 60),
    ]);
    expect(hops.map((hop) => hop.entry.type)).toEqual([
      'OrderPlaced',
      'PaymentAuthorized',
      'InventoryReserved',
      'OrderCompleted',
    ]);
    expect(hops.map((hop) => hop.at)).toEqual([0, 40, 60, 90]);
    expect(span).toBe(90);
    expect(hops[3]!.terminal).toBe(true);
  });

  it('splits a hop into waiting and processing when the gateway measured them', () => {
    const { hops } = buildWaterfall([
      entry('OrderPlaced', 'orders.v1', 0),
      entry('PaymentAuthorized', 'payments.v1', 50, { waitMs: 30, processMs: 20 }),
    ]);
    expect(hops[1]).toMatchObject({ start: 0, waitMs: 30, processMs: 20 });
  });

  it('starts an unmeasured hop at its cause', () => {
    const { hops } = buildWaterfall([
      entry('OrderPlaced', 'orders.v1', 0),
      entry('PaymentDeclined', 'payments.v1', 30),
      entry('InventoryReserved', 'inventory.v1', 45),
      entry('OrderCancelled', 'orders.outcome.v1', 70),
    ]);
    expect(hops[1]).toMatchObject({ cause: 0, start: 0, waitMs: null });
    expect(hops[3]).toMatchObject({ cause: 2, start: 45 });
  });

  it('links a compensation to the step it undoes by its compensates id', () => {
    const { hops } = buildWaterfall([
      entry('OrderPlaced', 'orders.v1', 0),
      entry('InventoryReserved', 'inventory.v1', 10, { eventId: 'reserved-1' }),
      entry('PaymentDeclined', 'payments.v1', 20),
      entry('OrderCancelled', 'orders.outcome.v1', 30),
      entry('InventoryReleased', 'inventory.v1', 40, { compensates: 'reserved-1' }),
    ]);
    expect(hops[4]!.compensates).toBe(1);
    expect(hops[1]!.compensatedBy).toEqual([4]);
    expect(hops[4]!.cause).toBe(3);
  });

  it('falls back to the rule: InventoryReleased undoes InventoryReserved, PaymentVoided undoes PaymentAuthorized', () => {
    const { hops } = buildWaterfall([
      entry('OrderPlaced', 'orders.v1', 0),
      entry('PaymentAuthorized', 'payments.v1', 10),
      entry('InventoryRejected', 'inventory.v1', 20),
      entry('OrderCancelled', 'orders.outcome.v1', 30),
      entry('PaymentVoided', 'payments.v1', 40),
    ]);
    expect(hops[4]!.compensates).toBe(1);
    expect(hops[1]!.compensatedBy).toEqual([4]);
    expect(hops[2]!.compensates).toBeNull();
  });

  it('treats retry and dead-letter records by their kind or their topic; a dead letter is terminal', () => {
    const retry = entry('OrderPlaced', 'orders.retry.v1', 100);
    const dead = entry('OrderPlaced', 'orders.dlq.v1', 900);
    expect(kindOf(retry)).toBe('retry');
    expect(kindOf(dead)).toBe('dead-letter');
    expect(kindOf({ ...retry, kind: 'event' })).toBe('event');
    const { hops } = buildWaterfall([entry('OrderPlaced', 'orders.v1', 0), retry, dead]);
    expect(hops[2]!.terminal).toBe(true);
    expect(hops[1]!.terminal).toBe(false);
  });

  it('is empty for an empty timeline', () => {
    expect(buildWaterfall([])).toEqual({ hops: [], origin: 0, span: 1 });
  });
});

describe('attemptLabel', () => {
  it('says which attempt comes and when', () => {
    const retry = entry('OrderPlaced', 'orders.retry.v1', 0, {
      attempt: 2,
      maxAttempts: 5,
      notBefore: new Date(Date.UTC(2025, 0, 1) + 4000).toISOString(),
    });
    expect(attemptLabel(retry)).toBe('attempt 2 of 5, next in 4 s');
    expect(attemptLabel({ ...retry, notBefore: undefined, maxAttempts: undefined })).toBe(
      'attempt 2',
    );
    expect(attemptLabel(entry('OrderPlaced', 'orders.v1', 0))).toBeNull();
  });
});

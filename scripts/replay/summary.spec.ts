import { describe, expect, it } from 'vitest';
import { duplicatesOf, formatReport, movedRecords, replayHeld } from './summary.js';

describe('movedRecords', () => {
  it('counts the records a reset moves back over as replayed, and forward over as skipped', () => {
    expect(
      movedRecords([
        { topic: 'orders.v1', partition: 0, before: '12', after: '0', records: 12 },
        // Written in transactions: 15 offsets back, of which 3 are commit markers.
        { topic: 'payments.v1', partition: 1, before: '15', after: '0', records: 12 },
        { topic: 'orders.v1', partition: 2, before: '4', after: '9', records: 5 },
        { topic: 'payments.v1', partition: 0, before: null, after: '0', records: 0 },
      ]),
    ).toEqual({ replayed: 24, skipped: 5 });
  });
});

describe('duplicatesOf', () => {
  it("sums the group's counter over every service and topic, and no other group's", () => {
    const saga = [
      'kafkadog_duplicates_suppressed_total{topic="orders.v1",group="order-saga",service="order-saga"} 40',
      'kafkadog_duplicates_suppressed_total{topic="payments.v1",group="order-saga",service="order-saga"} 2',
      'kafkadog_duplicates_suppressed_total{topic="orders.retry.v1",group="order-saga.retry",service="order-saga"} 7',
    ].join('\n');
    const payment =
      'kafkadog_duplicates_suppressed_total{topic="orders.v1",group="payment-service",service="payment-service"} 5';
    expect(duplicatesOf([saga, payment, ''], 'order-saga')).toBe(42);
    expect(duplicatesOf([saga, payment], 'payment-service')).toBe(5);
  });
});

describe('the replay report', () => {
  const group = (replayed: number, duplicates: number) => ({
    group: 'order-saga',
    replayed,
    skipped: 0,
    duplicates,
    seconds: 1.25,
    command: 'kafka-consumer-groups.sh --group order-saga --reset-offsets --to-earliest --execute',
  });

  it('holds when every replayed record was a suppressed duplicate and no outcome was written', () => {
    expect(replayHeld({ groups: [group(10, 10)], newOutcomes: 0 })).toBe(true);
    expect(replayHeld({ groups: [group(10, 9)], newOutcomes: 0 })).toBe(false);
    expect(replayHeld({ groups: [group(10, 10)], newOutcomes: 1 })).toBe(false);
  });

  it('says the totals, each group, what was not suppressed, and the command', () => {
    const text = formatReport({ groups: [group(10, 9)], newOutcomes: 0 });
    expect(text).toContain(
      'Replay of 1 group(s): 10 record(s) replayed, 9 duplicate(s) suppressed, 0 new outcome(s).',
    );
    expect(text).toContain(
      'order-saga: replayed 10 record(s) in 1.3 s, 9 duplicate(s) suppressed  ← 1 not suppressed',
    );
    expect(text).toContain('kafka-consumer-groups.sh --group order-saga');
  });
});

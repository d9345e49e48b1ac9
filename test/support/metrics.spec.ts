import { describe, expect, it } from 'vitest';
import { counter, parseMetrics } from './metrics.js';

const text = `# HELP kafkadog_duplicates_suppressed_total Events already applied, kept from the handler
# TYPE kafkadog_duplicates_suppressed_total counter
kafkadog_duplicates_suppressed_total{service="payment-service",topic="orders.v1",group="payment-service"} 100
kafkadog_duplicates_suppressed_total{service="payment-service",topic="orders.outcome.v1",group="payment-service"} 7
kafkadog_messages_consumed_total{topic="odd \\"name\\", really",group="g"} 3
process_cpu_seconds_total 0.25
`;

describe('counter', () => {
  it('sums the samples whose labels match', () => {
    expect(counter(text, 'kafkadog_duplicates_suppressed_total')).toBe(107);
    expect(counter(text, 'kafkadog_duplicates_suppressed_total', { topic: 'orders.v1' })).toBe(100);
    expect(
      counter(text, 'kafkadog_duplicates_suppressed_total', {
        topic: 'orders.v1',
        group: 'other',
      }),
    ).toBe(0);
  });

  it('reads labels with escaped quotes and commas, and samples without labels', () => {
    expect(counter(text, 'kafkadog_messages_consumed_total', { topic: 'odd "name", really' })).toBe(
      3,
    );
    expect(counter(text, 'process_cpu_seconds_total')).toBe(0.25);
  });

  it('is 0 for a counter that is not there', () => {
    expect(counter(text, 'kafkadog_nothing_total')).toBe(0);
    expect(parseMetrics('')).toEqual([]);
  });
});

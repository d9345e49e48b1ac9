import { describe, expect, it } from 'vitest';
import { counterValue } from './prometheus.js';

const text = `# HELP kafkadog_duplicates_suppressed_total Events already applied, kept from the handler
# TYPE kafkadog_duplicates_suppressed_total counter
kafkadog_duplicates_suppressed_total{topic="orders.outcome.v1",group="notification-service",service="notification-service"} 7
kafkadog_duplicates_suppressed_total{topic="orders.v1",group="notification-service",service="notification-service"} 2
kafkadog_duplicates_suppressed_total_created{topic="orders.v1"} 1700000000
process_cpu_seconds_total 3.5
`;

describe('counterValue', () => {
  it('sums the series that carry the labels', () => {
    const name = 'kafkadog_duplicates_suppressed_total';
    expect(counterValue(text, name, { topic: 'orders.outcome.v1' })).toBe(7);
    expect(counterValue(text, name, { group: 'notification-service' })).toBe(9);
    expect(counterValue(text, name, { group: 'order-saga' })).toBe(0);
    expect(counterValue(text, 'process_cpu_seconds_total', {})).toBe(3.5);
  });
});

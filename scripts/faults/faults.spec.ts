import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { shuffled } from './chaos.js';
import { chooseBroker } from './cluster.js';
import { faultLength, faultSeed, stockScaleFor } from './plan.js';

describe('chooseBroker', () => {
  it('picks the node that leads the most partitions and coordinates the most groups', () => {
    const leaders = new Map([
      [1, ['orders.v1[0]', 'payments.v1[0]']],
      [2, ['orders.v1[1]', 'payments.v1[1]']],
      [3, ['orders.v1[2]']],
    ]);
    const coordinators = new Map([
      ['order-saga', 2],
      ['payment-service', 1],
      ['inventory-service', 2],
    ]);
    expect(chooseBroker([1, 2, 3], leaders, coordinators)).toEqual({
      node: 2,
      partitions: ['orders.v1[1]', 'payments.v1[1]'],
      totalPartitions: 5,
      groups: ['order-saga', 'inventory-service'],
    });
  });

  it('takes the lowest id on a tie, so that a run is reproducible', () => {
    const leaders = new Map([
      [2, ['a[0]']],
      [3, ['a[1]']],
    ]);
    expect(chooseBroker([1, 2, 3], leaders, new Map()).node).toBe(2);
  });
});

describe('the chaos order', () => {
  it('is a permutation, the same for the same seed', () => {
    const items = ['api-gateway', 'order-saga', 'payment-service', 'inventory-service'];
    const first = shuffled(items, xoroshiro128plus(42));
    expect([...first].sort()).toEqual([...items].sort());
    expect(shuffled(items, xoroshiro128plus(42))).toEqual(first);
  });
});

describe('fault run settings', () => {
  it('runs short unless KAFKADOG_FAULTS=long, and refuses anything else', () => {
    expect(faultLength({})).toBe('short');
    expect(faultLength({ KAFKADOG_FAULTS: 'long' })).toBe('long');
    expect(() => faultLength({ KAFKADOG_FAULTS: 'forever' })).toThrow(/short or long/);
  });

  it('replays a seed from FAULTS_SEED', () => {
    expect(faultSeed({ FAULTS_SEED: '1234' })).toBe(1234);
    expect(() => faultSeed({ FAULTS_SEED: 'abc' })).toThrow(/whole number/);
    expect(Number.isInteger(faultSeed({}))).toBe(true);
  });

  it('scales the stock so that the scarce products sell out partway through a run', () => {
    expect(stockScaleFor(50)).toBe(1);
    expect(stockScaleFor(1_000)).toBe(10);
    expect(stockScaleFor(18_000)).toBe(180);
  });
});

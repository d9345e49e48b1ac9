import { catalog } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failuresOf, formatReport } from './report.js';
import type { FaultReport } from './run.js';
import { stockBalance, tallyOrders } from './tally.js';

function report(overrides: Partial<FaultReport> = {}): FaultReport {
  const placed = [
    { orderId: 'a', items: [{ productId: 'sku-gpu', quantity: 1 }] },
    { orderId: 'b', items: [{ productId: 'sku-gpu', quantity: 1 }] },
  ];
  const outcomes = [
    { orderId: 'a', eventId: 'e1', type: 'OrderCompleted' as const, reasons: [] },
    { orderId: 'a', eventId: 'e1', type: 'OrderCompleted' as const, reasons: [] },
    { orderId: 'b', eventId: 'e2', type: 'OrderCancelled' as const, reasons: ['inventory'] },
  ];
  const stock = catalog.map((product) => {
    const sold = product.id === 'sku-gpu' ? 1 : 0;
    const available = product.initialStock - sold;
    return { productId: product.id, initial: product.initialStock, available, reserved: 0, sold };
  });
  return {
    title: 'a fault',
    setup: 'one node',
    ratePerSec: 10,
    durationMs: 1_000,
    loadMs: 1_000,
    drainMs: 500,
    drained: true,
    drainBlocker: undefined,
    timeline: [{ atMs: 400, what: 'kill -9 order-saga (pid 1)' }],
    faultFailures: [],
    orders: tallyOrders({ accepted: ['a', 'b'], failedBy: { ECONNREFUSED: 2 }, placed, outcomes }),
    stock: stockBalance({
      stockScale: 1,
      placed,
      completedOrderIds: ['a'],
      stock,
      shown: new Map(stock.map((row) => [row.productId, row.available])),
    }),
    stockError: undefined,
    readError: undefined,
    traces: [],
    ...overrides,
  };
}

describe('the fault report', () => {
  it('prints the timeline, the counts and the stock per product as a table', () => {
    const text = formatReport(report());
    expect(text).toContain('kill -9 order-saga (pid 1)');
    expect(text).toMatch(/placed \(201\)\s+2/);
    expect(text).toMatch(/refused placements\s+2\s+not orders, so not lost: ECONNREFUSED 2/);
    expect(text).toMatch(/lost\s+0/);
    expect(text).toMatch(/duplicate outcomes\s+0/);
    expect(text).toMatch(/identical copies\s+1/);
    expect(text).toMatch(/sku-gpu\s+3\s+1\s+2\s+0\s+2\s+ok/);
    expect(text).toMatch(/stock balance\s+ok/);
  });

  it('finds nothing wrong in a run that lost nothing and balances (copies of one event are no second outcome)', () => {
    // The other products start from 0 in this made-up run, so their catalog stock is wrong.
    const failures = failuresOf(report()).filter(
      (failure) => failure.includes('sku-gpu') || !failure.startsWith('stock'),
    );
    expect(failures).toEqual([]);
  });

  it('fails a run on a lost order, a second outcome, an unbalanced stock, a stuck drain or a service that did not come back', () => {
    const unbalanced = report().stock.map((row) =>
      row.productId === 'sku-mouse' ? { ...row, reserved: 1, problems: ['1 still reserved'] } : row,
    );
    const bad = report({
      stock: unbalanced,
      drained: false,
      drainBlocker: '1 orders on orders.v1 without an outcome',
      faultFailures: ['payment-service did not come back'],
      orders: tallyOrders({
        accepted: ['a', 'b'],
        failedBy: {},
        placed: [
          { orderId: 'a', items: [] },
          { orderId: 'b', items: [] },
        ],
        outcomes: [
          { orderId: 'a', eventId: 'e1', type: 'OrderCompleted', reasons: [] },
          { orderId: 'a', eventId: 'e2', type: 'OrderCancelled', reasons: ['timeout'] },
        ],
      }),
    });
    const failures = failuresOf(bad);
    expect(failures).toEqual(
      expect.arrayContaining([
        'payment-service did not come back',
        '1 orders lost (no outcome): b',
        '1 orders with more than one outcome: a',
        'the drain gave up, still waiting for 1 orders on orders.v1 without an outcome',
      ]),
    );
    expect(failures).toContain('stock of sku-mouse: 1 still reserved');
    expect(formatReport(bad)).toMatch(/lost\s+1\s+no outcome: b/);
    expect(
      formatReport({ ...bad, traces: [{ orderId: 'b', lines: ['orders.v1[0]@7  OrderPlaced'] }] }),
    ).toContain('trace of b:\n     orders.v1[0]@7  OrderPlaced');
  });
});

import { catalog } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { stockBalance, tallyOrders, type OutcomeRecord, type PlacedOrder } from './tally.js';

const order = (orderId: string, productId = 'sku-gpu', quantity = 1): PlacedOrder => ({
  orderId,
  items: [{ productId, quantity }],
});
const completed = (orderId: string, eventId = `${orderId}-done`): OutcomeRecord => ({
  orderId,
  eventId,
  type: 'OrderCompleted',
  reasons: [],
});
const cancelled = (
  orderId: string,
  reasons: string[],
  eventId = `${orderId}-off`,
): OutcomeRecord => ({
  orderId,
  eventId,
  type: 'OrderCancelled',
  reasons,
});

describe('tallyOrders', () => {
  it('counts outcomes per order placed, and tells lost, duplicated and unknown ones apart', () => {
    const tally = tallyOrders({
      accepted: ['a', 'b', 'c', 'd', 'ghost'],
      failedBy: { ECONNREFUSED: 3, 'HTTP 503 starting': 1 },
      placed: [order('a'), order('b'), order('c'), order('d'), order('unanswered')],
      outcomes: [
        completed('a'),
        completed('a'), // the same event again: a redone batch
        cancelled('b', ['payment', 'inventory']),
        completed('c'),
        cancelled('c', ['timeout']), // a second, different outcome
        completed('unanswered'),
        completed('never-placed'),
      ],
    });
    expect(tally).toMatchObject({
      accepted: 5,
      failed: 4,
      placed: 5,
      unconfirmed: 1,
      completed: 3,
      cancelled: 1,
      cancelledBy: { 'inventory+payment': 1 },
      neverWritten: ['ghost'],
      lost: ['d'],
      duplicates: ['c'],
      copies: 1,
      unknown: ['never-placed'],
    });
  });
});

describe('stockBalance', () => {
  const initial = (id: string, scale: number) =>
    (catalog.find((product) => product.id === id)?.initialStock ?? 0) * scale;
  const rows = (
    scale: number,
    overrides: Record<string, Partial<{ available: number; reserved: number; sold: number }>>,
  ) =>
    catalog.map((product) => ({
      productId: product.id,
      initial: product.initialStock * scale,
      available: product.initialStock * scale,
      reserved: 0,
      sold: 0,
      ...overrides[product.id],
    }));
  const shownOf = (stock: { productId: string; available: number }[]) =>
    new Map(stock.map((row) => [row.productId, row.available]));

  it('holds when what completed orders hold is what inventory counts as sold', () => {
    const stock = rows(2, {
      'sku-gpu': { available: initial('sku-gpu', 2) - 3, sold: 3 },
    });
    const balance = stockBalance({
      stockScale: 2,
      placed: [order('a', 'sku-gpu', 2), order('b', 'sku-gpu', 1), order('c', 'sku-gpu', 1)],
      completedOrderIds: ['a', 'b', 'b'],
      stock,
      shown: shownOf(stock),
    });
    expect(balance.every((row) => row.problems.length === 0)).toBe(true);
    expect(balance.find((row) => row.productId === 'sku-gpu')).toMatchObject({
      sold: 3,
      available: 3,
    });
  });

  it('names units sold twice, left reserved, or shown differently by the gateway', () => {
    const stock = rows(1, {
      'sku-gpu': { available: 1, sold: 2 },
      'sku-mouse': { available: 99, reserved: 1 },
    });
    const shown = shownOf(stock);
    shown.set('sku-laptop', 9);
    const balance = stockBalance({
      stockScale: 1,
      placed: [order('a', 'sku-gpu', 1)],
      completedOrderIds: ['a'],
      stock,
      shown,
    });
    const problems = Object.fromEntries(balance.map((row) => [row.productId, row.problems]));
    expect(problems['sku-gpu']).toEqual([
      'initial − sold = 2, inventory has 1',
      'inventory counts 2 sold',
    ]);
    expect(problems['sku-mouse']).toEqual([
      'initial − sold = 100, inventory has 99',
      '1 still reserved',
    ]);
    expect(problems['sku-laptop']).toEqual(['the gateway shows 9']);
  });

  it('flags a product inventory does not report', () => {
    const balance = stockBalance({
      stockScale: 1,
      placed: [],
      completedOrderIds: [],
      stock: [],
      shown: new Map(),
    });
    expect(balance.every((row) => row.problems[0] === 'inventory has no row for it')).toBe(true);
  });
});

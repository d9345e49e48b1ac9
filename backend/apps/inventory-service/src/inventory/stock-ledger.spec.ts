import { randomUUID } from 'node:crypto';
import { catalog, createEvent, type OrderLine } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolveReservation,
  isStockConserved,
  type Reservation,
} from './inventory.decider.js';
import { StockLedger } from './stock-ledger.js';

const lines = (items: [string, number][]) =>
  items.map(([productId, quantity]) => ({ productId, quantity }));
const reserved = (items: [string, number][]): Reservation => ({
  status: 'reserved',
  items: lines(items),
});
const sold = (items: [string, number][]): Reservation => ({ status: 'sold', items: lines(items) });
const released = (items: [string, number][]): Reservation => ({
  status: 'released',
  items: lines(items),
});

function placed(productId: string, quantity: number, orderId = randomUUID()) {
  const items: OrderLine[] = [{ productId, quantity, unitPrice: 100 }];
  const data = {
    customerEmail: 'a@example.com',
    items,
    total: 100 * quantity,
    cardNumber: '4242424242424242',
  };
  return createEvent('OrderPlaced', data, { orderId });
}

describe('the stock ledger', () => {
  it('starts from the catalog, everything available', () => {
    const ledger = new StockLedger();
    expect(ledger.rows()).toEqual(
      catalog.map((p) => ({
        productId: p.id,
        initial: p.initialStock,
        available: p.initialStock,
        reserved: 0,
        sold: 0,
      })),
    );
  });

  it('given orders reserving and selling, then the stock is the catalog minus what they hold', () => {
    const ledger = new StockLedger();

    expect(ledger.set('a', reserved([['sku-gpu', 2]]))).toEqual(['sku-gpu']);
    expect(
      ledger.set(
        'b',
        sold([
          ['sku-gpu', 1],
          ['sku-mouse', 4],
        ]),
      ),
    ).toEqual(['sku-mouse', 'sku-gpu']);

    expect(ledger.stock['sku-gpu']).toEqual({ available: 0, reserved: 2, sold: 1 });
    expect(ledger.stock['sku-mouse']).toEqual({ available: 96, reserved: 0, sold: 4 });
    expect(isStockConserved(ledger.stock)).toBe(true);
  });

  it('given the same hold again, then nothing changes (idempotent)', () => {
    const ledger = new StockLedger();
    ledger.set('a', reserved([['sku-gpu', 2]]));
    const before = ledger.stock;

    expect(ledger.set('a', reserved([['sku-gpu', 2]]))).toEqual([]);
    expect(ledger.stock).toEqual(before);
  });

  it('moves an order from reserved to sold, and gives released or rejected stock back', () => {
    const ledger = new StockLedger();
    ledger.set('a', reserved([['sku-gpu', 2]]));
    ledger.set('a', sold([['sku-gpu', 2]]));
    expect(ledger.stock['sku-gpu']).toEqual({ available: 1, reserved: 0, sold: 2 });

    ledger.set('b', reserved([['sku-gpu', 1]]));
    ledger.set('b', released([['sku-gpu', 1]]));
    expect(ledger.stock['sku-gpu']).toEqual({ available: 1, reserved: 0, sold: 2 });
    expect(ledger.holdOf('b')).toBeUndefined();
  });

  it('gives the decider the stock as if the order held exactly its state, not what the ledger recorded', () => {
    const ledger = new StockLedger();
    // Reserved in memory when it was decided, but its state was never stored (a failed write):
    ledger.set('a', reserved([['sku-gpu', 3]]));
    const again = placed('sku-gpu', 3, randomUUID());

    expect(decide(ledger.sliceFor('a', undefined), { ...again, orderId: 'a' })).toMatchObject([
      { type: 'InventoryReserved' },
    ]);
    expect(decide(ledger.sliceFor('b', undefined), again)).toMatchObject([
      { type: 'InventoryRejected', data: { shortages: [{ available: 0 }] } },
    ]);
  });

  it('derives the same stock from the final reservations as from the live history', () => {
    const live = new StockLedger();
    const reservations = new Map<string, Reservation | undefined>();
    const orders = Array.from({ length: 40 }, (_, i) =>
      placed(i % 3 ? 'sku-gpu' : 'sku-mouse', 1 + (i % 2)),
    );
    for (const [i, order] of orders.entries()) {
      const id = order.orderId!;
      const slice = live.sliceFor(id, reservations.get(id));
      const outputs = decide(slice, order);
      const after = [order, ...outputs].reduce(evolveReservation, slice.reservation);
      reservations.set(
        id,
        i % 4 === 0 && after?.status === 'reserved' ? { ...after, status: 'sold' } : after,
      );
      live.set(id, reservations.get(id));
    }

    const rebuilt = new StockLedger();
    for (const [id, reservation] of reservations) rebuilt.set(id, reservation);

    expect(rebuilt.stock).toEqual(live.stock);
    expect(isStockConserved(live.stock)).toBe(true);
    expect(live.stock['sku-gpu']?.available).toBe(0);
  });
});

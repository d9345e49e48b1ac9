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

    expect(ledger.move(undefined, reserved([['sku-gpu', 2]]))).toEqual(['sku-gpu']);
    expect(
      ledger.move(
        undefined,
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

  it('given a hold that stays the same, then nothing changes', () => {
    const ledger = new StockLedger();
    ledger.move(undefined, reserved([['sku-gpu', 2]]));
    const before = ledger.stock;

    expect(ledger.move(reserved([['sku-gpu', 2]]), reserved([['sku-gpu', 2]]))).toEqual([]);
    expect(ledger.stock).toEqual(before);
  });

  it('moves an order from reserved to sold, and gives released, rejected or deleted stock back', () => {
    const ledger = new StockLedger();
    ledger.move(undefined, reserved([['sku-gpu', 2]]));
    ledger.move(reserved([['sku-gpu', 2]]), sold([['sku-gpu', 2]]));
    expect(ledger.stock['sku-gpu']).toEqual({ available: 1, reserved: 0, sold: 2 });

    ledger.move(undefined, reserved([['sku-gpu', 1]]));
    ledger.move(reserved([['sku-gpu', 1]]), released([['sku-gpu', 1]]));
    expect(ledger.stock['sku-gpu']).toEqual({ available: 1, reserved: 0, sold: 2 });

    ledger.move(sold([['sku-gpu', 2]]), undefined);
    expect(ledger.stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });
  });

  it('derives the same stock from the final reservations as from the live history', () => {
    const live = new StockLedger();
    const reservations = new Map<string, Reservation | undefined>();
    const orders = Array.from({ length: 40 }, (_, i) =>
      placed(i % 3 ? 'sku-gpu' : 'sku-mouse', 1 + (i % 2)),
    );
    for (const [i, order] of orders.entries()) {
      const id = order.orderId!;
      const before = reservations.get(id);
      const outputs = decide({ stock: live.stock, reservation: before }, order);
      const after = [order, ...outputs].reduce(evolveReservation, before);
      reservations.set(
        id,
        i % 4 === 0 && after?.status === 'reserved' ? { ...after, status: 'sold' } : after,
      );
      live.move(before, reservations.get(id));
    }

    const rebuilt = new StockLedger();
    for (const reservation of reservations.values()) rebuilt.move(undefined, reservation);

    expect(rebuilt.stock).toEqual(live.stock);
    expect(isStockConserved(live.stock)).toBe(true);
    expect(live.stock['sku-gpu']?.available).toBe(0);
  });
});

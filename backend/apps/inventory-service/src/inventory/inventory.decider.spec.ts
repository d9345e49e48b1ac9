import { randomUUID } from 'node:crypto';
import { catalog, createEvent, validateEvent, type OrderLine } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolve,
  initialStock,
  isStockConserved,
  withHold,
  type InventoryInput,
  type InventoryOutput,
  type InventoryState,
  type Reservation,
  type StockLevels,
} from './inventory.decider.js';

type Item = [productId: string, quantity: number];

function orderPlaced(items: Item[], orderId: string = randomUUID()) {
  const lines: OrderLine[] = items.map(([productId, quantity]) => ({
    productId,
    quantity,
    unitPrice: 100,
  }));
  return createEvent(
    'OrderPlaced',
    {
      customerEmail: 'ada@example.com',
      items: lines,
      total: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
      cardNumber: '4242424242424242',
    },
    { orderId },
  );
}

function orderCancelled(orderId: string) {
  const data = { customerEmail: 'ada@example.com', reasons: ['payment' as const], details: [] };
  return createEvent('OrderCancelled', data, { orderId });
}

function orderCompleted(orderId: string) {
  const items = [{ productId: 'sku-mouse', quantity: 1, unitPrice: 100 }];
  return createEvent(
    'OrderCompleted',
    { customerEmail: 'ada@example.com', items, total: 100 },
    { orderId },
  );
}

const orderIdOf = (event: InventoryInput | InventoryOutput) => event.orderId!;

/**
 * What the adapter does: keep stock and a map of reservations; hand each event the slice it
 * needs, fold the input and its outputs, put the slice back. Records every output it emits.
 */
class Shop {
  stock: StockLevels = initialStock();
  readonly reservations = new Map<string, Reservation>();
  readonly emitted: InventoryOutput[] = [];

  slice(orderId: string): InventoryState {
    return { stock: this.stock, reservation: this.reservations.get(orderId) };
  }

  handle(input: InventoryInput): InventoryOutput[] {
    const state = this.slice(orderIdOf(input));
    const outputs = decide(state, input);
    this.put(orderIdOf(input), [input, ...outputs].reduce(evolve, state));
    this.emitted.push(...outputs);
    return outputs;
  }

  fold(event: InventoryInput | InventoryOutput): void {
    this.put(orderIdOf(event), evolve(this.slice(orderIdOf(event)), event));
  }

  level(productId: string) {
    return this.stock[productId];
  }

  private put(orderId: string, state: InventoryState): void {
    this.stock = state.stock;
    if (state.reservation) this.reservations.set(orderId, state.reservation);
  }
}

function given(...inputs: InventoryInput[]): Shop {
  const shop = new Shop();
  for (const input of inputs) shop.handle(input);
  return shop;
}

describe('initial stock', () => {
  it('comes from the catalog, all available', () => {
    const stock = initialStock();
    expect(Object.keys(stock)).toEqual(catalog.map((p) => p.id));
    expect(stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });
    expect(isStockConserved(stock)).toBe(true);
  });
});

describe('reserving for an OrderPlaced', () => {
  it('given enough stock, when an order is placed, then every line is reserved', () => {
    const shop = given();
    const placed = orderPlaced([
      ['sku-gpu', 2],
      ['sku-mouse', 5],
    ]);

    const outputs = shop.handle(placed);

    expect(outputs).toMatchObject([
      {
        type: 'InventoryReserved',
        orderId: placed.orderId,
        causationId: placed.id,
        data: {
          items: [
            { productId: 'sku-gpu', quantity: 2 },
            { productId: 'sku-mouse', quantity: 5 },
          ],
        },
      },
    ]);
    expect(() => validateEvent(outputs[0]!)).not.toThrow();
    expect(shop.level('sku-gpu')).toEqual({ available: 1, reserved: 2, sold: 0 });
    expect(shop.level('sku-mouse')).toEqual({ available: 95, reserved: 5, sold: 0 });
  });

  it('given 3 graphics cards, when 3 are ordered, then the last one can be reserved', () => {
    expect(given().handle(orderPlaced([['sku-gpu', 3]]))[0]?.type).toBe('InventoryReserved');
  });

  it('given too little stock for one line, when placed, then nothing is reserved (all or nothing)', () => {
    const shop = given();

    const outputs = shop.handle(
      orderPlaced([
        ['sku-mouse', 1],
        ['sku-gpu', 4],
      ]),
    );

    expect(outputs).toMatchObject([
      {
        type: 'InventoryRejected',
        data: {
          reason: 'insufficient_stock',
          shortages: [{ productId: 'sku-gpu', requested: 4, available: 3 }],
        },
      },
    ]);
    expect(() => validateEvent(outputs[0]!)).not.toThrow();
    expect(shop.stock).toEqual(initialStock());
  });

  it('sums lines of the same product before checking stock', () => {
    const outputs = given().handle(
      orderPlaced([
        ['sku-gpu', 2],
        ['sku-gpu', 2],
      ]),
    );
    expect(outputs).toMatchObject([
      { data: { shortages: [{ productId: 'sku-gpu', requested: 4, available: 3 }] } },
    ]);
  });

  it('treats an unknown product as out of stock', () => {
    expect(given().handle(orderPlaced([['sku-unicorn', 1]]))).toMatchObject([
      { data: { shortages: [{ productId: 'sku-unicorn', requested: 1, available: 0 }] } },
    ]);
  });

  it('given stock reserved by earlier orders, when the rest is exceeded, then it is rejected', () => {
    const shop = given(orderPlaced([['sku-gpu', 2]]));
    expect(shop.handle(orderPlaced([['sku-gpu', 2]]))).toMatchObject([
      { type: 'InventoryRejected', data: { shortages: [{ requested: 2, available: 1 }] } },
    ]);
  });

  it('given a reserved order, when the same OrderPlaced comes again, then nothing (idempotent)', () => {
    const placed = orderPlaced([['sku-gpu', 1]]);
    const shop = given(placed);

    expect(shop.handle(placed)).toEqual([]);
    expect(shop.level('sku-gpu')).toEqual({ available: 2, reserved: 1, sold: 0 });
  });

  it('given a rejected order, when the same OrderPlaced comes again after stock freed up, then still nothing', () => {
    const blocker = orderPlaced([['sku-gpu', 3]]);
    const placed = orderPlaced([['sku-gpu', 1]]);
    const shop = given(blocker, placed, orderCancelled(blocker.orderId!));

    expect(shop.handle(placed)).toEqual([]);
  });
});

describe('releasing on an OrderCancelled (compensation of InventoryReserved)', () => {
  it('given a reserved order, when cancelled, then its stock is released', () => {
    const placed = orderPlaced([['sku-gpu', 2]]);
    const cancelled = orderCancelled(placed.orderId!);
    const shop = given(placed);

    expect(shop.handle(cancelled)).toMatchObject([
      {
        type: 'InventoryReleased',
        causationId: cancelled.id,
        data: { items: [{ productId: 'sku-gpu', quantity: 2 }] },
      },
    ]);
    expect(shop.level('sku-gpu')).toEqual({ available: 3, reserved: 0, sold: 0 });
  });

  it('given a released order, when the cancellation comes again, then nothing (no double release)', () => {
    const placed = orderPlaced([['sku-gpu', 2]]);
    const shop = given(placed, orderCancelled(placed.orderId!));

    expect(shop.handle(orderCancelled(placed.orderId!))).toEqual([]);
    expect(shop.level('sku-gpu')).toEqual({ available: 3, reserved: 0, sold: 0 });
  });

  it('given a rejected order, when cancelled, then there is nothing to release', () => {
    const placed = orderPlaced([['sku-gpu', 9]]);
    expect(given(placed).handle(orderCancelled(placed.orderId!))).toEqual([]);
  });

  it('given an order cancelled before we decided, when OrderPlaced arrives late, then nothing is reserved', () => {
    const placed = orderPlaced([['sku-gpu', 1]]);
    const shop = given(orderCancelled(placed.orderId!));

    expect(shop.reservations.get(placed.orderId!)).toEqual({ status: 'cancelled' });
    expect(shop.handle(placed)).toEqual([]);
    expect(shop.stock).toEqual(initialStock());
  });
});

describe('selling on an OrderCompleted', () => {
  it('given a reserved order, when completed, then its stock moves from reserved to sold, silently', () => {
    const placed = orderPlaced([['sku-gpu', 2]]);
    const shop = given(placed);

    expect(shop.handle(orderCompleted(placed.orderId!))).toEqual([]);
    expect(shop.level('sku-gpu')).toEqual({ available: 1, reserved: 0, sold: 2 });
    expect(shop.reservations.get(placed.orderId!)?.status).toBe('sold');
  });

  it('given a sold order, when completed again or cancelled, then nothing changes', () => {
    const placed = orderPlaced([['sku-gpu', 2]]);
    const shop = given(placed, orderCompleted(placed.orderId!));
    const before = shop.stock;

    expect(shop.handle(orderCompleted(placed.orderId!))).toEqual([]);
    expect(shop.handle(orderCancelled(placed.orderId!))).toEqual([]);
    expect(shop.stock).toBe(before);
  });

  it('given a rejected or unknown order, when completed, then nothing changes', () => {
    const rejected = orderPlaced([['sku-gpu', 9]]);
    const shop = given(rejected);
    const before = shop.stock;

    shop.handle(orderCompleted(rejected.orderId!));
    shop.handle(orderCompleted(randomUUID()));

    expect(shop.stock).toBe(before);
  });
});

describe('rebuilding from the topics', () => {
  it('given the live history, when inventory.v1 then orders.outcome.v1 are folded, then the state is the same', () => {
    const sold = orderPlaced([['sku-gpu', 1]]);
    const released = orderPlaced([['sku-mouse', 3]]);
    const rejected = orderPlaced([['sku-gpu', 5]]);
    const outcomes = [orderCompleted(sold.orderId!), orderCancelled(released.orderId!)];
    const live = given(sold, released, rejected, ...outcomes);

    const rebuilt = new Shop();
    for (const event of [...live.emitted, ...outcomes]) rebuilt.fold(event);

    expect(rebuilt.stock).toEqual(live.stock);
    expect(rebuilt.reservations).toEqual(live.reservations);
  });
});

describe('folding a log with duplicates (an at-least-once producer may write a record twice)', () => {
  it('given every inventory.v1 and outcome record twice, when folded, then each fact counts once', () => {
    const sold = orderPlaced([['sku-gpu', 1]]);
    const released = orderPlaced([['sku-gpu', 2]]);
    const outcomes = [orderCompleted(sold.orderId!), orderCancelled(released.orderId!)];
    const live = given(sold, released, ...outcomes);

    const rebuilt = new Shop();
    for (const event of [...live.emitted, ...outcomes]) {
      rebuilt.fold(event);
      rebuilt.fold(event);
    }

    expect(rebuilt.level('sku-gpu')).toEqual({ available: 2, reserved: 0, sold: 1 });
    expect(rebuilt.stock).toEqual(live.stock);
  });
});

describe('the conservation check', () => {
  it('flags a product whose counts no longer add up, or go negative', () => {
    const stock = initialStock();
    const gpu = { available: 3, reserved: 0, sold: 0 };
    expect(isStockConserved({ ...stock, 'sku-gpu': { ...gpu, sold: 1 } })).toBe(false);
    expect(isStockConserved({ ...stock, 'sku-gpu': { ...gpu, available: -1, sold: 4 } })).toBe(
      false,
    );
    const { ['sku-gpu']: _missing, ...withoutGpu } = stock;
    expect(isStockConserved(withoutGpu)).toBe(false);
  });
});

describe('property: stock is conserved under any sequence, duplicates included', () => {
  /** mulberry32: a tiny seeded PRNG, so a failing sequence can be replayed from its seed. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function randomInputs(seed: number, steps: number): InventoryInput[] {
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const hexDigit = () => Math.floor(random() * 16).toString(16);
    const uuid = () => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, hexDigit);
    const orderIds = Array.from({ length: Math.ceil(steps / 3) }, uuid);
    const inputs: InventoryInput[] = [];
    for (let step = 0; step < steps; step++) {
      const orderId = pick(orderIds);
      const roll = random();
      if (roll < 0.5) {
        const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (): Item => {
          const product = random() < 0.3 ? 'sku-gpu' : pick(catalog).id;
          return [product, 1 + Math.floor(random() * 6)];
        });
        inputs.push(orderPlaced(lines, orderId));
      } else if (roll < 0.75) {
        inputs.push(orderCancelled(orderId));
      } else {
        inputs.push(orderCompleted(orderId));
      }
    }
    return inputs;
  }

  it.each([1, 2, 3, 42, 1234, 2024, 99_991, 123_456_789])(
    'seed %i: 600 random placements, cancellations and completions, each delivered twice',
    (seed) => {
      const shop = new Shop();
      const inputs = randomInputs(seed, 600);
      for (const input of inputs) {
        for (const delivery of [input, input]) {
          shop.handle(delivery);
          expect(isStockConserved(shop.stock), `after ${delivery.type} (seed ${seed})`).toBe(true);
        }
      }

      // The sequence exercised every path, so the property is not vacuous.
      const statuses = new Set([...shop.reservations.values()].map((r) => r.status));
      expect(statuses).toEqual(new Set(['reserved', 'rejected', 'released', 'sold', 'cancelled']));

      // Redelivering the whole history later still keeps the invariant.
      for (const input of inputs) {
        shop.handle(input);
        expect(isStockConserved(shop.stock), `replayed ${input.type} (seed ${seed})`).toBe(true);
      }

      // The stock is a function of the orders' reservations alone (how the service rebuilds it).
      const derived = [...shop.reservations.values()].reduce(
        (stock, reservation) => withHold(stock, undefined, reservation),
        initialStock(),
      );
      expect(derived).toEqual(shop.stock);

      // However often an order's events came, it was decided once and released at most once.
      const decisions = shop.emitted.filter((e) => e.type !== 'InventoryReleased');
      const releases = shop.emitted.filter((e) => e.type === 'InventoryReleased');
      expect(new Set(decisions.map(orderIdOf)).size).toBe(decisions.length);
      expect(new Set(releases.map(orderIdOf)).size).toBe(releases.length);
    },
  );
});

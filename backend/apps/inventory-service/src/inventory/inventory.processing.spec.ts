import { randomUUID } from 'node:crypto';
import { createEvent, type OrderLine } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { describe, expect, it } from 'vitest';
import {
  isStockConserved,
  type InventoryInput,
  type InventoryOutput,
} from './inventory.decider.js';
import { inventoryDecider, OrderInventory } from './inventory.processing.js';
import { StockLedger } from './stock-ledger.js';

function placed(productId: string, quantity: number) {
  const items: OrderLine[] = [{ productId, quantity, unitPrice: 100 }];
  const data = {
    customerEmail: 'ada@example.com',
    items,
    total: 100 * quantity,
    cardNumber: '4242424242424242',
  };
  return createEvent('OrderPlaced', data, { orderId: randomUUID() });
}

function cancelled(orderId: string) {
  const data = { customerEmail: 'ada@example.com', reasons: ['payment' as const], details: [] };
  return createEvent('OrderCancelled', data, { orderId });
}

function completed(orderId: string) {
  const items = [{ productId: 'sku-gpu', quantity: 1, unitPrice: 100 }];
  return createEvent(
    'OrderCompleted',
    { customerEmail: 'ada@example.com', items, total: 100 },
    { orderId },
  );
}

interface Stored {
  state: OrderInventory;
  applied: string[];
}

/**
 * inventory-service in miniature: what `createOrderProcessor` does with the decider (applied ids,
 * decide, fold), where a batch's outputs and states are written together or not at all, with a
 * state topic and inventory.v1 that survive a "crash", and memory that does not. The ledger is
 * folded from every state change, as `onStateChanged` does: at load, and as states are staged.
 */
class Service {
  readonly published: InventoryOutput[] = [];
  stored = new Map<string, Stored>();
  changed: string[] = [];
  #ledger = new StockLedger();
  #decider: OrderDecider<OrderInventory, InventoryInput, InventoryOutput> = this.#newDecider();
  #memory = new Map<string, Stored>();

  get stock() {
    return this.#ledger.stock;
  }

  /** A batch of inputs; `crash`: the process dies after deciding, before the batch is written. */
  handle(inputs: InventoryInput[], fault?: 'crash'): ('handled' | 'duplicate')[] {
    const outputs: InventoryOutput[] = [];
    const results = inputs.map((input) => {
      const orderId = input.orderId!;
      const current = this.#memory.get(orderId) ??
        this.stored.get(orderId) ?? { state: this.#decider.initialState, applied: [] };
      if (current.applied.includes(input.id)) return 'duplicate' as const;
      const decided = this.#decider.decide(current.state, input);
      const decider = this.#decider;
      const state = [input, ...decided].reduce(
        (folded, event) => decider.evolve(folded, event),
        current.state,
      );
      const staged = OrderInventory.parse(state);
      this.#memory.set(orderId, { state: staged, applied: [...current.applied, input.id] });
      this.#ledger.move(current.state.reservation, staged.reservation);
      outputs.push(...decided);
      return 'handled' as const;
    });
    if (fault === 'crash') {
      this.restart();
      return results;
    }
    this.published.push(...outputs);
    for (const [orderId, stored] of this.#memory) this.stored.set(orderId, stored);
    this.#memory.clear();
    return results;
  }

  /** A new process: the stored states are all it has, loaded one change at a time. */
  restart(): void {
    this.#memory.clear();
    this.#ledger = new StockLedger();
    for (const { state } of this.stored.values()) this.#ledger.move(undefined, state.reservation);
    this.#decider = this.#newDecider();
  }

  repliesFor(orderId: string) {
    return this.published.filter((e) => e.orderId === orderId).map((e) => [e.type, e.id]);
  }

  #newDecider() {
    return inventoryDecider({
      stock: () => this.#ledger.stock,
      onStockChanged: (ids) => this.changed.push(...ids),
    });
  }
}

describe('inventory decisions through the order processor', () => {
  it('reserves, sells, releases and rejects as the decider says, with the stock kept alongside', () => {
    const service = new Service();
    const sold = placed('sku-gpu', 1);
    const freed = placed('sku-gpu', 2);
    const tooMany = placed('sku-gpu', 1);

    service.handle([sold, freed, tooMany]);
    service.handle([completed(sold.orderId!), cancelled(freed.orderId!)]);

    expect(service.published.map((e) => e.type)).toEqual([
      'InventoryReserved',
      'InventoryReserved',
      'InventoryRejected',
      'InventoryReleased',
    ]);
    expect(service.stock['sku-gpu']).toEqual({ available: 2, reserved: 0, sold: 1 });
    expect(service.changed).toContain('sku-gpu');
    expect(service.stored.get(sold.orderId!)?.state.reservation?.status).toBe('sold');
  });

  it('given an event applied already, then it is suppressed and nothing changes', () => {
    const service = new Service();
    const order = placed('sku-gpu', 1);
    service.handle([order]);

    expect(service.handle([order])).toEqual(['duplicate']);
    expect(service.published).toHaveLength(1);
    expect(service.stock['sku-gpu']).toEqual({ available: 2, reserved: 1, sold: 0 });
  });

  it('given a crash before a batch was written, when the orders come back in another order, then the stock is decided anew and nothing contradicts a published reply', () => {
    const service = new Service();
    const first = placed('sku-gpu', 3);
    const second = placed('sku-gpu', 1);
    service.handle([first, second], 'crash');
    expect(service.published).toEqual([]);
    expect(service.stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });

    service.handle([second, first]); // the redelivery, partitions interleaved differently

    expect(service.repliesFor(second.orderId!).map(([type]) => type)).toEqual([
      'InventoryReserved',
    ]);
    expect(service.repliesFor(first.orderId!).map(([type]) => type)).toEqual(['InventoryRejected']);
    expect(isStockConserved(service.stock)).toBe(true);
  });

  it("given one order twice in a batch, then the second event sees the first one's state", () => {
    const service = new Service();
    const order = placed('sku-gpu', 2);

    service.handle([order, cancelled(order.orderId!)]);

    expect(service.repliesFor(order.orderId!).map(([type]) => type)).toEqual([
      'InventoryReserved',
      'InventoryReleased',
    ]);
    expect(service.stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });
  });

  it('rebuilds the same stock from the stored states after a clean restart', () => {
    const service = new Service();
    const orders = Array.from({ length: 12 }, (_, i) => placed(i % 2 ? 'sku-gpu' : 'sku-mouse', 1));
    service.handle(orders);
    service.handle([completed(orders[1]!.orderId!), cancelled(orders[2]!.orderId!)]);
    const before = service.stock;

    service.restart();

    expect(service.stock).toEqual(before);
    expect(isStockConserved(service.stock)).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { createEvent, type OrderLine } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { describe, expect, it } from 'vitest';
import {
  isStockConserved,
  type InventoryInput,
  type InventoryOutput,
} from './inventory.decider.js';
import {
  inventoryDecider,
  loadLedger,
  OrderInventory,
  PendingOutputs,
} from './inventory.processing.js';
import type { StockLedger } from './stock-ledger.js';

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
 * decide, fold, effects, then the state write), with a state topic and inventory.v1 that survive
 * a "crash", and memory (ledger, pending outputs) that does not.
 */
class Service {
  readonly published: InventoryOutput[] = [];
  stored = new Map<string, Stored>();
  changed: string[] = [];
  #pending = new PendingOutputs();
  #ledger: StockLedger | undefined;
  #decider: OrderDecider<OrderInventory, InventoryInput, InventoryOutput> = this.#newDecider();

  get stock() {
    return this.#ledgerNow().stock;
  }

  /** `crash`: dies after the effects, before the state write. `failEffects`: publishing fails. */
  handle(
    input: InventoryInput,
    fault?: 'crash' | 'failEffects',
  ): 'handled' | 'duplicate' | 'failed' {
    const orderId = input.orderId!;
    const current = this.stored.get(orderId) ?? { state: this.#decider.initialState, applied: [] };
    if (current.applied.includes(input.id)) return 'duplicate';
    const outputs = this.#decider.decide(current.state, input);
    const decider = this.#decider;
    const state = [input, ...outputs].reduce(
      (folded, event) => decider.evolve(folded, event),
      current.state,
    );
    if (fault === 'failEffects') return 'failed';
    this.published.push(...outputs);
    if (fault === 'crash') {
      this.restart();
      return 'failed';
    }
    this.stored.set(orderId, {
      state: OrderInventory.parse(state),
      applied: [...current.applied, input.id],
    });
    return 'handled';
  }

  /** A new process: the stored states and inventory.v1 are all it has. */
  restart(): void {
    this.#pending = new PendingOutputs();
    for (const event of this.published) this.#pending.add(event);
    this.#ledger = undefined;
    this.#decider = this.#newDecider();
    this.#ledgerNow();
    this.#pending.prune((orderId) => this.stored.get(orderId)?.state.reservation);
  }

  repliesFor(orderId: string) {
    return this.published.filter((e) => e.orderId === orderId).map((e) => [e.type, e.id]);
  }

  #ledgerNow(): StockLedger {
    this.#ledger ??= loadLedger(
      [...this.stored].map(([id, { state }]) => [id, state]),
      this.#pending,
    );
    return this.#ledger;
  }

  #newDecider() {
    return inventoryDecider({
      ledger: () => this.#ledgerNow(),
      pending: this.#pending,
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

    service.handle(sold);
    service.handle(freed);
    service.handle(tooMany);
    service.handle(completed(sold.orderId!));
    service.handle(cancelled(freed.orderId!));

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
    service.handle(order);

    expect(service.handle(order)).toBe('duplicate');
    expect(service.published).toHaveLength(1);
    expect(service.stock['sku-gpu']).toEqual({ available: 2, reserved: 1, sold: 0 });
  });

  it('given a crash after a reservation was published, when another order comes first after the restart, then the stock stays held and the first reply stands', () => {
    const service = new Service();
    const first = placed('sku-gpu', 3);
    service.handle(first, 'crash');
    expect(service.stock['sku-gpu']).toEqual({ available: 0, reserved: 3, sold: 0 });

    const second = placed('sku-gpu', 1);
    service.handle(second);
    service.handle(first); // the redelivery

    expect(service.repliesFor(second.orderId!).map(([type]) => type)).toEqual([
      'InventoryRejected',
    ]);
    // The same event (same id) again, never a contradicting InventoryRejected.
    const replies = service.repliesFor(first.orderId!);
    expect(new Set(replies.map(([, id]) => id)).size).toBe(1);
    expect(replies[0]?.[0]).toBe('InventoryReserved');
    expect(service.stored.get(first.orderId!)?.state.reservation?.status).toBe('reserved');
    expect(isStockConserved(service.stock)).toBe(true);
  });

  it('given a crash after a reservation was published, when the cancellation comes before the redelivery, then the stock is released', () => {
    const service = new Service();
    const order = placed('sku-gpu', 2);
    service.handle(order, 'crash');

    service.handle(cancelled(order.orderId!));
    service.handle(order);

    expect(service.repliesFor(order.orderId!).map(([type]) => type)).toContain('InventoryReleased');
    expect(service.stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });
    expect(service.stored.get(order.orderId!)?.state.reservation?.status).toBe('released');
  });

  it('given a decision whose publish failed, when it is retried after stock freed up, then it is the same decision', () => {
    const service = new Service();
    const blocker = placed('sku-gpu', 3);
    service.handle(blocker);
    const order = placed('sku-gpu', 1);
    expect(service.handle(order, 'failEffects')).toBe('failed');

    service.handle(cancelled(blocker.orderId!));
    service.handle(order); // the retry

    expect(service.repliesFor(order.orderId!).map(([type]) => type)).toEqual(['InventoryRejected']);
  });

  it('given a reservation whose publish failed, when the order is cancelled instead, then the reservation and its release both go out and the stock comes back', () => {
    const service = new Service();
    const order = placed('sku-gpu', 2);
    service.handle(order, 'failEffects');
    expect(service.stock['sku-gpu']?.available).toBe(1); // held: nobody else may take it

    service.handle(cancelled(order.orderId!));

    expect(service.repliesFor(order.orderId!).map(([type]) => type)).toEqual([
      'InventoryReserved',
      'InventoryReleased',
    ]);
    expect(service.stock['sku-gpu']).toEqual({ available: 3, reserved: 0, sold: 0 });
  });

  it('rebuilds the same stock from the stored states after a clean restart', () => {
    const service = new Service();
    const orders = Array.from({ length: 12 }, (_, i) => placed(i % 2 ? 'sku-gpu' : 'sku-mouse', 1));
    for (const order of orders) service.handle(order);
    service.handle(completed(orders[1]!.orderId!));
    service.handle(cancelled(orders[2]!.orderId!));
    const before = service.stock;

    service.restart();

    expect(service.stock).toEqual(before);
    expect(isStockConserved(service.stock)).toBe(true);
  });
});

describe('pending outputs', () => {
  it('forgets what the stored state shows, keeps what it does not', () => {
    const service = new Service();
    const order = placed('sku-gpu', 1);
    service.handle(order);
    const reserved = service.published[0]!;
    const pending = new PendingOutputs();
    pending.add(reserved);
    pending.add(reserved);

    pending.prune(() => undefined);
    expect(pending.size).toBe(1);
    expect(pending.resolve(order.orderId!, undefined).unstored).toEqual([reserved]);

    pending.prune(() => ({ status: 'reserved', items: [{ productId: 'sku-gpu', quantity: 1 }] }));
    expect(pending.size).toBe(0);
  });
});

import { InventoryRejected, StockLine, type KafkadogEvent } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { z } from 'zod';
import {
  decide,
  evolveReservation,
  type InventoryInput,
  type InventoryOutput,
  type Reservation,
} from './inventory.decider.js';
import { StockLedger } from './stock-ledger.js';

/**
 * How inventory-service runs its decider through `createOrderProcessor`.
 *
 * The decider's state is one order's reservation plus the global stock. The processor keeps state
 * per order, so the per-order part is what it stores (`OrderInventory`, in
 * inventory-service.state.v1) and the stock is a view over all of them (`StockLedger`), derived
 * at load and updated at each decision.
 *
 * A decision depends on the global stock, so redoing one after a crash could come out different
 * (another order took the stock first) and contradict the reply already published. So a decision,
 * once taken, is never taken again: outputs decided for an order whose stored state does not show
 * them yet are "pending"; they count in the stock, and they are emitted again (same event ids)
 * with the next input of that order, which stores them. After a restart the pending outputs are
 * found on inventory.v1 (`PendingOutputs.add` for each record, before the processor starts).
 */

const Shortage = InventoryRejected.shape.data.shape.shortages.element;

export const ReservationSchema = z.union([
  z.object({ status: z.enum(['reserved', 'released', 'sold']), items: z.array(StockLine) }),
  z.object({ status: z.literal('rejected'), shortages: z.array(Shortage) }),
  z.object({ status: z.literal('cancelled') }),
]);

/** What inventory-service stores per order (stock is derived from these, never stored). */
export interface OrderInventory {
  readonly reservation?: Reservation | undefined;
}

export const OrderInventory: z.ZodType<OrderInventory> = z.object({
  reservation: ReservationSchema.optional(),
});

export function isInventoryInput(event: KafkadogEvent): event is InventoryInput {
  return (
    event.type === 'OrderPlaced' ||
    event.type === 'OrderCancelled' ||
    event.type === 'OrderCompleted'
  );
}

export function isInventoryOutput(event: KafkadogEvent): event is InventoryOutput {
  return (
    event.type === 'InventoryReserved' ||
    event.type === 'InventoryRejected' ||
    event.type === 'InventoryReleased'
  );
}

/** Outputs decided for orders whose stored state may not show them yet. */
export class PendingOutputs {
  readonly #byOrder = new Map<string, InventoryOutput[]>();

  get size(): number {
    return this.#byOrder.size;
  }

  orderIds(): IterableIterator<string> {
    return this.#byOrder.keys();
  }

  add(event: InventoryOutput): void {
    const orderId = orderIdOf(event);
    const list = this.#byOrder.get(orderId) ?? [];
    if (!list.some((known) => known.id === event.id)) this.#byOrder.set(orderId, [...list, event]);
  }

  /**
   * The order's reservation with its pending outputs folded in, and the outputs that changed it:
   * those the stored `reservation` does not show yet.
   */
  resolve(
    orderId: string,
    reservation: Reservation | undefined,
  ): { reservation: Reservation | undefined; unstored: InventoryOutput[] } {
    let current = reservation;
    const unstored: InventoryOutput[] = [];
    for (const event of this.#byOrder.get(orderId) ?? []) {
      const next = evolveReservation(current, event);
      if (next !== current) unstored.push(event);
      current = next;
    }
    return { reservation: current, unstored };
  }

  replace(orderId: string, events: readonly InventoryOutput[]): void {
    if (events.length > 0) this.#byOrder.set(orderId, [...events]);
    else this.#byOrder.delete(orderId);
  }

  /** Forgets the outputs that the orders' stored states show. */
  prune(stored: (orderId: string) => Reservation | undefined): void {
    for (const orderId of [...this.#byOrder.keys()]) {
      this.replace(orderId, this.resolve(orderId, stored(orderId)).unstored);
    }
  }
}

/** The stock at load: every stored order's reservation, with its pending outputs folded in. */
export function loadLedger(
  stored: Iterable<[string, OrderInventory]>,
  pending: PendingOutputs,
  ledger: StockLedger = new StockLedger(),
): StockLedger {
  const seen = new Set<string>();
  for (const [orderId, state] of stored) {
    seen.add(orderId);
    ledger.set(orderId, pending.resolve(orderId, state.reservation).reservation);
  }
  for (const orderId of pending.orderIds()) {
    if (!seen.has(orderId)) ledger.set(orderId, pending.resolve(orderId, undefined).reservation);
  }
  return ledger;
}

export interface InventoryDeciderOptions {
  /** The stock view; built on first use, once the processor has loaded the stored states. */
  readonly ledger: () => StockLedger;
  readonly pending: PendingOutputs;
  /** Told which products' numbers a decision changed. */
  readonly onStockChanged: (productIds: string[]) => void;
}

/**
 * The inventory decider over one order's stored state. `decide` takes the stock decision and
 * records it at once, in the ledger and as pending: the processor runs one decide at a time
 * (it is synchronous), so the next decision, of any order, already sees this one's stock.
 */
export function inventoryDecider(
  options: InventoryDeciderOptions,
): OrderDecider<OrderInventory, InventoryInput, InventoryOutput> {
  const { pending } = options;
  return {
    initialState: {},
    decide(state, input) {
      const orderId = orderIdOf(input);
      const ledger = options.ledger();
      const { reservation, unstored } = pending.resolve(orderId, state.reservation);
      const fresh = decide(ledger.sliceFor(orderId, reservation), input);
      pending.replace(orderId, [...unstored, ...fresh]);
      const after = [input, ...fresh].reduce(evolveReservation, reservation);
      const changed = ledger.set(orderId, after);
      if (changed.length > 0) options.onStockChanged(changed);
      return [...unstored, ...fresh];
    },
    evolve(state, event) {
      const { reservation } = pending.resolve(orderIdOf(event), state.reservation);
      return { reservation: evolveReservation(reservation, event) };
    },
  };
}

function orderIdOf(event: InventoryInput | InventoryOutput): string {
  if (event.orderId === undefined) throw new TypeError(`${event.type} ${event.id} has no orderId`);
  return event.orderId;
}

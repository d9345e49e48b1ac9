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
 * A decision depends on the global stock, so redoing one could come out different (another order
 * took the stock first). That is safe because a decision's reply and the order's state are
 * written in one batch: a decision whose reply was published is stored, and a redelivered input
 * is suppressed by its id; a decision that was not written was never seen, and is taken anew.
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

/** The stock at load: every stored order's reservation. */
export function loadLedger(
  stored: Iterable<[string, OrderInventory]>,
  ledger: StockLedger = new StockLedger(),
): StockLedger {
  for (const [orderId, state] of stored) ledger.set(orderId, state.reservation);
  return ledger;
}

export interface InventoryDeciderOptions {
  /** The stock view; built on first use, once the processor has loaded the stored states. */
  readonly ledger: () => StockLedger;
  /** Told which products' numbers a decision changed. */
  readonly onStockChanged: (productIds: string[]) => void;
}

/**
 * The inventory decider over one order's stored state. `decide` takes the stock decision and
 * records it at once in the ledger: the processor runs one decide at a time (it is synchronous),
 * so the next decision, of any order, already sees this one's stock.
 */
export function inventoryDecider(
  options: InventoryDeciderOptions,
): OrderDecider<OrderInventory, InventoryInput, InventoryOutput> {
  return {
    initialState: {},
    decide(state, input) {
      const orderId = orderIdOf(input);
      const ledger = options.ledger();
      const outputs = decide(ledger.sliceFor(orderId, state.reservation), input);
      const after = [input, ...outputs].reduce(evolveReservation, state.reservation);
      const changed = ledger.set(orderId, after);
      if (changed.length > 0) options.onStockChanged(changed);
      return outputs;
    },
    evolve(state, event) {
      return { reservation: evolveReservation(state.reservation, event) };
    },
  };
}

function orderIdOf(event: InventoryInput): string {
  if (event.orderId === undefined) throw new TypeError(`${event.type} ${event.id} has no orderId`);
  return event.orderId;
}

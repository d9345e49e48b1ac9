import { InventoryRejected, StockLine, type KafkadogEvent } from '@kafkadog/contracts';
import type { OrderDecider } from '@kafkadog/service';
import { z } from 'zod';
import {
  decide,
  evolveReservation,
  withHold,
  type InventoryInput,
  type InventoryOutput,
  type Reservation,
  type StockLevels,
} from './inventory.decider.js';
import { changedProducts } from './stock-ledger.js';

/**
 * How inventory-service runs its decider through `createOrderProcessor`.
 *
 * The decider's state is one order's reservation plus the global stock. The processor keeps state
 * per order, so the per-order part is what it stores (`OrderInventory`, in
 * inventory-service.state.v1) and the stock is a view over all of them (`StockLedger`), folded
 * from every change of the stored states (`onStateChanged`): a decision counts in the stock once
 * its state is staged, and the next decision, of any order, sees it.
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

export interface InventoryDeciderOptions {
  /** The stock over every stored state, this order's included (`StockLedger.stock`). */
  readonly stock: () => StockLevels;
  /** Told which products' numbers a decision changed. */
  readonly onStockChanged: (productIds: string[]) => void;
}

/**
 * The inventory decider over one order's stored state and the stock. The stock counts what this
 * order's state holds, so it is the stock "as if the order held exactly its reservation": a
 * redelivered or redone input is decided the same way whatever other orders did meanwhile.
 */
export function inventoryDecider(
  options: InventoryDeciderOptions,
): OrderDecider<OrderInventory, InventoryInput, InventoryOutput> {
  return {
    initialState: {},
    decide(state, input) {
      const stock = options.stock();
      const outputs = decide({ stock, reservation: state.reservation }, input);
      const after = [input, ...outputs].reduce(evolveReservation, state.reservation);
      const changed = changedProducts(stock, withHold(stock, state.reservation, after));
      if (changed.length > 0) options.onStockChanged(changed);
      return outputs;
    },
    evolve(state, event) {
      return { reservation: evolveReservation(state.reservation, event) };
    },
  };
}

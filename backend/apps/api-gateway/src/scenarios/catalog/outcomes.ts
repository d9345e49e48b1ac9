import { placedOrders, type Fact } from '../facts.js';
import { check, outcomesOf, type Check } from '../verdict.js';

/**
 * Every order placed under `label` (every order, without one) has exactly one outcome (there was
 * at least one order).
 */
export function oneOutcomeEach(
  facts: readonly Fact[],
  label: string | undefined,
  name: string,
): Check & { passed: boolean } {
  const orders = placedOrders(facts, label);
  if (orders.length === 0) return check(name, false, 'no order placed yet');
  const counts = orders.map((o) => outcomesOf(facts, o.orderId));
  const missing = counts.filter((c) => c.length === 0).length;
  const twice = counts.filter((c) => c.length > 1).length;
  const types = counts.flatMap((c) => c.map((r) => r.type));
  const completed = types.filter((t) => t === 'OrderCompleted').length;
  return check(
    name,
    missing === 0 && twice === 0,
    `${orders.length} placed: ${completed} completed, ${types.length - completed} cancelled` +
      `${missing > 0 ? `, ${missing} without an outcome yet` : ''}${twice > 0 ? `, ${twice} with more than one` : ''}`,
  );
}

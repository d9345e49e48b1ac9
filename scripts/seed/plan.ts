import { catalog, productById } from '@kafkadog/contracts';

/** Test cards of the payment rules (DESIGN.md). */
export const GOOD_CARD = '4242424242424242';
export const DECLINED_CARD = '4000000000000002';
/** Payments over this total (cents) are declined with limit_exceeded. */
export const PAYMENT_LIMIT = 500_000;

export const SCENARIOS = ['success', 'declined', 'over-limit', 'out-of-stock'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface SeedOrder {
  readonly n: number;
  readonly scenario: Scenario;
  readonly body: {
    readonly customerEmail: string;
    readonly items: readonly { productId: string; quantity: number }[];
    readonly cardNumber: string;
  };
}

/**
 * Of every 20 orders: 16 succeed, 2 pay with the declined card, 1 is over the payment limit,
 * 1 asks for more than there is. The over-limit and out-of-stock ones are 10 apart, so that a
 * few orders in flight at once never hold the same scarce stock.
 */
const CYCLE: readonly Scenario[] = Array.from({ length: 20 }, (_, i): Scenario => {
  if (i === 4 || i === 14) return 'declined';
  if (i === 9) return 'over-limit';
  if (i === 19) return 'out-of-stock';
  return 'success';
});

/**
 * The everyday products, weighted by their stock, so that 200 orders' successes fit in the
 * initial stock (160 successes: 60 mice, 40 hubs, 20 each of keyboards, webcams, headphones).
 */
const EVERYDAY = [
  'sku-mouse',
  'sku-usb-hub',
  'sku-mouse',
  'sku-keyboard',
  'sku-mouse',
  'sku-usb-hub',
  'sku-webcam',
  'sku-headphones',
] as const;

/** 4 laptops: in stock (10), but over the payment limit. */
const OVER_LIMIT = { productId: 'sku-laptop', quantity: 4 };
/** 4 graphics cards: there are only 3. */
const OUT_OF_STOCK = {
  productId: 'sku-gpu',
  quantity: (productById('sku-gpu')?.initialStock ?? 3) + 1,
};

/** Order n (0-based) of a seed run; the same n always gives the same order. */
export function seedOrder(n: number): SeedOrder {
  const scenario = CYCLE[n % CYCLE.length] ?? 'success';
  const customerEmail = `customer${n % 100}@example.com`;
  switch (scenario) {
    case 'success': {
      const successes =
        Math.floor(n / CYCLE.length) * 16 +
        CYCLE.slice(0, n % CYCLE.length).filter((s) => s === 'success').length;
      const productId = EVERYDAY[successes % EVERYDAY.length] ?? 'sku-mouse';
      return {
        n,
        scenario,
        body: { customerEmail, items: [{ productId, quantity: 1 }], cardNumber: GOOD_CARD },
      };
    }
    case 'declined':
      return {
        n,
        scenario,
        body: {
          customerEmail,
          items: [{ productId: 'sku-mouse', quantity: 1 }],
          cardNumber: DECLINED_CARD,
        },
      };
    case 'over-limit':
      return { n, scenario, body: { customerEmail, items: [OVER_LIMIT], cardNumber: GOOD_CARD } };
    case 'out-of-stock':
      return { n, scenario, body: { customerEmail, items: [OUT_OF_STOCK], cardNumber: GOOD_CARD } };
  }
}

export function seedOrders(count: number): SeedOrder[] {
  return Array.from({ length: count }, (_, n) => seedOrder(n));
}

/** The catalog total of an order, in cents. */
export function orderTotal(order: SeedOrder): number {
  return order.body.items.reduce(
    (sum, item) => sum + item.quantity * (catalog.find((p) => p.id === item.productId)?.price ?? 0),
    0,
  );
}

/** Units per product that the orders meant to succeed take from stock. */
export function stockNeeded(orders: readonly SeedOrder[]): Map<string, number> {
  const needed = new Map<string, number>();
  for (const order of orders) {
    if (order.scenario !== 'success') continue;
    for (const item of order.body.items) {
      needed.set(item.productId, (needed.get(item.productId) ?? 0) + item.quantity);
    }
  }
  return needed;
}

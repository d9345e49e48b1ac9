import { catalog } from '@kafkadog/contracts';
import type { ProcessName } from '../../scripts/lib/stack.js';
import { waitFor, type WaitOptions } from '../../scripts/lib/wait.js';

/** Test cards of the payment rules (DESIGN.md). */
export const cards = { ok: '4242424242424242', declined: '4000000000000002' } as const;

export interface OrderRequest {
  customerEmail: string;
  items: { productId: string; quantity: number }[];
  cardNumber: string;
}

export type OrderStatus = 'PENDING' | 'COMPLETED' | 'CANCELLED';

/** GET /orders/:id (DESIGN.md). */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  reason?: unknown;
  items: { productId: string; quantity: number }[];
  total: number;
  timeline: {
    type: string;
    topic: string;
    partition: number;
    offset: number | string;
    timestamp: number | string;
  }[];
}

/** `{ customerEmail, items, cardNumber }` with a good card unless given. */
export function orderBody(
  items: { productId: string; quantity: number }[],
  overrides: Partial<OrderRequest> = {},
): OrderRequest {
  return { customerEmail: 'ada@example.com', items, cardNumber: cards.ok, ...overrides };
}

/** POST /orders; fails unless the gateway answers 201 with an order id. */
export async function placeOrder(
  gatewayUrl: string,
  body: OrderRequest,
  headers: Record<string, string> = {},
): Promise<{ orderId: string; status: string }> {
  const response = await fetch(`${gatewayUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /orders answered ${response.status}: ${text.slice(0, 500)}`);
  }
  const json = JSON.parse(text) as { orderId?: unknown; status?: unknown };
  if (typeof json.orderId !== 'string') throw new Error(`POST /orders gave no orderId: ${text}`);
  return { orderId: json.orderId, status: String(json.status) };
}

/** Places `bodies` with at most `concurrency` requests in flight; ids in the order of `bodies`. */
export async function placeOrders(
  gatewayUrl: string,
  bodies: readonly OrderRequest[],
  concurrency = 50,
  onPlaced?: (placed: number, orderId: string) => void,
): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  let next = 0;
  let placed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, bodies.length) }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const { orderId } = await placeOrder(gatewayUrl, bodies[i] as OrderRequest);
        ids[i] = orderId;
        onPlaced?.(++placed, orderId);
      }
    }),
  );
  return ids;
}

/** GET /orders/:id, or undefined on 404. */
export async function getOrder(
  gatewayUrl: string,
  orderId: string,
): Promise<OrderView | undefined> {
  const response = await fetch(`${gatewayUrl}/orders/${orderId}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /orders/${orderId} answered ${response.status}`);
  return (await response.json()) as OrderView;
}

/**
 * Polls GET /orders/:id of each order until it is no longer PENDING (up to 90 s: long enough for a
 * failover that waits out a session); resolves with the final views, in the order of `orderIds`.
 */
export function waitForEnded(
  gatewayUrl: string,
  orderIds: readonly string[],
): Promise<OrderView[]> {
  return Promise.all(
    orderIds.map((id) =>
      waitFor(
        async () => {
          const order = await getOrder(gatewayUrl, id);
          return order && order.status !== 'PENDING' && order;
        },
        { timeoutMs: 90_000, intervalMs: 200, what: `order ${id} to end` },
      ),
    ),
  );
}

/** Polls GET /orders/:id until the order has `status`; the error names the last one seen. */
export async function waitForOrderStatus(
  gatewayUrl: string,
  orderId: string,
  status: OrderStatus,
  options: WaitOptions = {},
): Promise<OrderView> {
  let last: OrderView | undefined;
  try {
    return await waitFor(
      async () => {
        last = await getOrder(gatewayUrl, orderId);
        return last?.status === status && last;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `order ${orderId} to be ${status}`, ...options },
    );
  } catch (error) {
    const seen = last
      ? `${last.status} (${last.timeline.map((e) => e.type).join(', ')})`
      : 'not found';
    throw new Error(`${(error as Error).message}; last seen: ${seen}`, { cause: error });
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `${init?.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 500)}`,
    );
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** The gateway's fault switches (PUT /faults takes any of them; the others stay as they are). */
export interface FaultSwitches {
  inventoryFailureRate?: number;
  paymentLimitCents?: number;
  declinedCards?: string[];
}

/** PUT /faults: resolves once the gateway has published the new setting to Kafka. */
export async function putFaults(gatewayUrl: string, switches: FaultSwitches): Promise<void> {
  await getJson(`${gatewayUrl}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(switches),
  });
}

/** Inventory's GET /stock, one row per product. */
export interface StockRow {
  productId: string;
  initial: number;
  available: number;
  reserved: number;
  sold: number;
}

export async function getStock(inventoryUrl: string): Promise<Map<string, StockRow>> {
  const rows = await getJson<StockRow[]>(`${inventoryUrl}/stock`);
  return new Map(rows.map((row) => [row.productId, row]));
}

/** The status GET /stock answers: 200 from the active instance, 503 from a standby. */
export async function stockStatus(inventoryUrl: string): Promise<number | undefined> {
  return (await fetch(`${inventoryUrl}/stock`).catch(() => undefined))?.status;
}

/**
 * Of two inventory-service instances, the one whose GET /stock answers (it holds the lease) and
 * the one that says it is a standby (503); waits until there is exactly one of each.
 */
export async function activeInventory(
  url: (process: ProcessName) => string,
  instances: readonly [ProcessName, ProcessName] = ['inventory-service', 'inventory-service#2'],
): Promise<{ active: ProcessName; standby: ProcessName }> {
  return waitFor(
    async () => {
      const answers = await Promise.all(instances.map((name) => stockStatus(url(name))));
      const active = instances.filter((_, i) => answers[i] === 200);
      const standby = instances.filter((_, i) => answers[i] === 503);
      return (
        active.length === 1 && standby.length === 1 && { active: active[0]!, standby: standby[0]! }
      );
    },
    { timeoutMs: 30_000, what: 'one active and one standby inventory-service' },
  );
}

/** The gateway's GET /products: `[{ id, name, price, stock }]`. */
export async function getProducts(gatewayUrl: string): Promise<Map<string, number>> {
  const products = await getJson<{ id: string; stock: number }[]>(`${gatewayUrl}/products`);
  return new Map(products.map((product) => [product.id, product.stock]));
}

export function initialStock(productId: string): number {
  const product = catalog.find((candidate) => candidate.id === productId);
  if (!product) throw new Error(`no product ${productId} in the catalog`);
  return product.initialStock;
}

/** Email lines of the notification service for one order (`email sent to=… order=<id>`). */
export function emailLines(lines: readonly string[], orderId: string): string[] {
  return lines.filter((line) => line.includes('email sent') && line.includes(`order=${orderId}`));
}

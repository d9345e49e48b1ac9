'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { placeOrder, setFaults } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { PlacedOrder, PlaceOrderRequest, Product } from '../../lib/definitions';
import { fetchFaults, fetchProducts } from '../../lib/data';
import { formatCents } from '../../lib/format';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { QueryState } from '../query-state';
import { ErrorState } from '../states';

const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';

interface Preset {
  id: string;
  title: string;
  explains: string;
  order: PlaceOrderRequest;
  /** Fault switches set before the order is placed. */
  faults?: { inventoryFailureRate: number };
}

const PRESETS: Preset[] = [
  {
    id: 'success',
    title: 'Success',
    explains: '1 keyboard, a good card: reserved, authorized, completed.',
    order: {
      customerEmail: 'ada@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1 }],
      cardNumber: GOOD_CARD,
    },
  },
  {
    id: 'decline',
    title: 'Payment decline',
    explains: `Card ${DECLINED_CARD} is declined; the reserved stock is released (compensation).`,
    order: {
      customerEmail: 'grace@example.com',
      items: [{ productId: 'sku-keyboard', quantity: 1 }],
      cardNumber: DECLINED_CARD,
    },
  },
  {
    id: 'out-of-stock',
    title: 'Out of stock',
    explains: '4 × Graphics Card (3 in stock): inventory rejects it, the payment is voided.',
    order: {
      customerEmail: 'linus@example.com',
      items: [{ productId: 'sku-gpu', quantity: 4 }],
      cardNumber: GOOD_CARD,
    },
  },
  {
    id: 'flaky',
    title: 'Flaky inventory',
    explains:
      'Sets the inventory failure rate to 100 %, then orders: retries with backoff, a dead letter, a timeout.',
    order: {
      customerEmail: 'margaret@example.com',
      items: [{ productId: 'sku-mouse', quantity: 1 }],
      cardNumber: GOOD_CARD,
    },
    faults: { inventoryFailureRate: 1 },
  },
];

export function OrderForm() {
  const base = useApiUrl();
  const router = useRouter();
  const queryClient = useQueryClient();
  const products = useGateway(['products'], fetchProducts, { refetchInterval: 3000 });
  const faults = useGateway(['faults'], fetchFaults, { refetchInterval: 5000 });
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [email, setEmail] = useState('ada@example.com');
  const [card, setCard] = useState(GOOD_CARD);

  const place = useMutation<
    PlacedOrder,
    ApiError,
    { order: PlaceOrderRequest; faults?: Preset['faults'] }
  >({
    mutationFn: async ({ order, faults: switches }) => {
      if (switches) await setFaults(base, switches);
      return placeOrder(base, order);
    },
    onSuccess: (placed) => {
      void queryClient.invalidateQueries({ queryKey: [base, 'orders'] });
      router.push(`/orders/${placed.orderId}`);
    },
  });
  const healFaults = useMutation<unknown, ApiError>({
    mutationFn: () => setFaults(base, { inventoryFailureRate: 0 }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [base, 'faults'] }),
  });

  const items = Object.entries(quantities)
    .filter(([, quantity]) => quantity > 0)
    .map(([productId, quantity]) => ({ productId, quantity }));
  const total = (list: Product[]) =>
    items.reduce(
      (sum, item) => sum + (list.find((p) => p.id === item.productId)?.price ?? 0) * item.quantity,
      0,
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    place.mutate({ order: { customerEmail: email, items, cardNumber: card } });
  };

  const failureRate = faults.data?.inventoryFailureRate ?? 0;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="presets-title">
        <h2 id="presets-title">One click</h2>
        <div className="preset-grid">
          {PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              className="preset"
              data-testid={`preset-${preset.id}`}
              disabled={place.isPending}
              onClick={() => place.mutate({ order: preset.order, faults: preset.faults })}
            >
              <strong>{preset.title}</strong>
              <span className="small">{preset.explains}</span>
            </button>
          ))}
        </div>
        {failureRate > 0 ? (
          <div className="notice" style={{ marginTop: '0.75rem' }}>
            <p>
              Inventory fails {Math.round(failureRate * 100)} % of the time right now: every order
              retries, then goes to the dead-letter queue.
            </p>
            <button
              type="button"
              className="button-secondary"
              onClick={() => healFaults.mutate()}
              disabled={healFaults.isPending}
            >
              Make inventory reliable again
            </button>
          </div>
        ) : null}
      </section>

      <form className="card stack" onSubmit={submit} aria-labelledby="form-title">
        <h2 id="form-title">Your own order</h2>
        <fieldset>
          <legend>Products (stock is live)</legend>
          <QueryState query={products} what="the products">
            {(list) => (
              <div className="product-list">
                {list.map((product) => {
                  const quantity = quantities[product.id] ?? 0;
                  const inputId = `qty-${product.id}`;
                  return (
                    <div
                      key={product.id}
                      className={quantity > 0 ? 'product-row selected' : 'product-row'}
                      data-testid="product"
                      data-product-id={product.id}
                    >
                      <div>
                        <div className="product-name">{product.name}</div>
                        <div className="small muted">
                          {formatCents(product.price)} ·{' '}
                          <span data-testid="stock">{product.stock}</span> in stock
                        </div>
                      </div>
                      <label htmlFor={inputId} className="small">
                        Quantity<span className="visually-hidden"> of {product.name}</span>
                      </label>
                      <input
                        id={inputId}
                        type="number"
                        min={0}
                        max={99}
                        value={quantity}
                        onChange={(event) =>
                          setQuantities((previous) => ({
                            ...previous,
                            [product.id]: Math.max(
                              0,
                              Math.min(99, Number(event.target.value) || 0),
                            ),
                          }))
                        }
                      />
                    </div>
                  );
                })}
                <p className="small">
                  Total: <strong>{formatCents(total(list))}</strong> (the gateway prices the order
                  from the catalog)
                </p>
              </div>
            )}
          </QueryState>
        </fieldset>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="customer-email">Customer email</label>
            <input
              id="customer-email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor="card-number">Card number</label>
            <input
              id="card-number"
              aria-describedby="card-hint"
              inputMode="numeric"
              required
              value={card}
              onChange={(e) => setCard(e.target.value.replace(/\s+/g, ''))}
              autoComplete="off"
            />
            <span id="card-hint" className="field-hint">
              {DECLINED_CARD} is declined
            </span>
          </div>
        </div>
        <div>
          <button type="submit" className="button" disabled={place.isPending || items.length === 0}>
            {place.isPending ? 'Placing…' : 'Place order'}
          </button>
        </div>
        {items.length === 0 ? (
          <p className="small muted">Choose a quantity for at least one product.</p>
        ) : null}
      </form>

      {place.isError ? (
        <div>
          <ErrorState error={place.error} apiUrl={base} what="placing the order" />
          {place.error.issues.length > 0 ? (
            <ul>
              {place.error.issues.map((issue) => (
                <li key={issue.field}>
                  <code>{issue.field}</code>: {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

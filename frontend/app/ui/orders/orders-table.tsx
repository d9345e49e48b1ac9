'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { OrderPage } from '../../lib/definitions';
import { fetchOrders } from '../../lib/data';
import { formatCents, formatDateTime } from '../../lib/format';
import { useGateway } from '../../lib/hooks';
import { Badge } from '../badges';
import { QueryState } from '../query-state';
import { Empty } from '../states';

const PAGE = 50;

export function OrdersTable({ initial }: { initial?: OrderPage }) {
  const [offset, setOffset] = useState(0);
  const query = useGateway(['orders', offset], (base) => fetchOrders(base, PAGE, offset), {
    refetchInterval: 2000,
    initialData: offset === 0 ? initial : undefined,
    placeholderData: (previous) => previous,
  });
  return (
    <QueryState query={query} what="the orders">
      {(page) =>
        page.total === 0 ? (
          <Empty>
            <p>No orders yet.</p>
            <p>
              <Link href="/orders/new">Create one</Link> and it appears here with its status.
            </p>
          </Empty>
        ) : (
          <div className="stack">
            <div className="table-wrap" tabIndex={0}>
              <table>
                <caption className="visually-hidden">Orders, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Status</th>
                    <th scope="col">Items</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col">Customer</th>
                    <th scope="col">Placed</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {page.orders.map((order) => (
                    <tr key={order.orderId} data-testid="order-row" data-order-id={order.orderId}>
                      <td className="mono">
                        <Link href={`/orders/${order.orderId}`}>{order.orderId.slice(0, 8)}</Link>
                      </td>
                      <td>
                        <Badge value={order.status} testId="order-status" />
                      </td>
                      <td>
                        {order.items
                          .map((item) => `${item.quantity} × ${item.productId}`)
                          .join(', ')}
                      </td>
                      <td className="num">{formatCents(order.total)}</td>
                      <td>{order.customerEmail}</td>
                      <td>{formatDateTime(order.createdAt)}</td>
                      <td>{order.details?.join(', ') ?? order.reason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="row">
              <span className="small muted">
                {page.offset + 1}–{Math.min(page.total, page.offset + page.orders.length)} of{' '}
                {page.total}
              </span>
              <button
                type="button"
                className="button-secondary"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Newer
              </button>
              <button
                type="button"
                className="button-secondary"
                disabled={offset + PAGE >= page.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Older
              </button>
            </div>
          </div>
        )
      }
    </QueryState>
  );
}

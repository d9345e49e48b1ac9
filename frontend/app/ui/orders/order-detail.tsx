'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useMemo } from 'react';
import type { OrderView } from '../../lib/definitions';
import { fetchOrder } from '../../lib/data';
import { formatCents, formatDateTime } from '../../lib/format';
import { useApiUrl, useEventStream, useGateway } from '../../lib/hooks';
import { buildWaterfall } from '../../lib/timeline';
import { Badge } from '../badges';
import { StreamStatus } from '../overview/stream-status';
import { QueryState } from '../query-state';
import { Empty, ErrorState, Loading } from '../states';
import { Waterfall } from './waterfall';

/** How long after its last record an ended order is still refreshed (compensations follow the outcome). */
const SETTLE_MS = 15_000;

export function OrderDetail({ orderId, initial }: { orderId: string; initial?: OrderView }) {
  const base = useApiUrl();
  const queryClient = useQueryClient();
  const query = useGateway(['order', orderId], (url) => fetchOrder(url, orderId), {
    initialData: initial,
    // The read model may not have folded a just-placed order yet: keep asking while it is unknown.
    retry: (failures, error) => error.status === 404 && failures < 15,
    retryDelay: 1000,
    // Compensations are written after the outcome: keep asking for a while after the last record.
    refetchInterval: (q) => {
      const order = q.state.data;
      if (!order) return false;
      const settled =
        order.status !== 'PENDING' && Date.now() - Date.parse(order.updatedAt) > SETTLE_MS;
      return settled ? false : 2000;
    },
  });
  const onRecord = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: [base, 'order', orderId] });
  }, [queryClient, base, orderId]);
  const stream = useEventStream({ key: orderId }, onRecord);
  const model = useMemo(() => buildWaterfall(query.data?.timeline ?? []), [query.data?.timeline]);

  if (query.data === undefined && query.isError && query.error.status === 404) {
    return <ErrorState error={query.error} apiUrl={base} what={`order ${orderId}`} />;
  }
  if (query.data === undefined && query.isFetching && query.failureCount > 0) {
    return <Loading label="Waiting for the gateway to read this order from orders.v1…" />;
  }

  return (
    <QueryState query={query} what="the order">
      {(order) => (
        <div className="stack">
          <section className="card" aria-labelledby="summary-title">
            <div className="card-header">
              <h2 id="summary-title">Summary</h2>
              <StreamStatus state={stream} apiUrl={base} />
            </div>
            <dl className="kv">
              <dt>Status</dt>
              <dd>
                <Badge value={order.status} testId="order-status" />
              </dd>
              {order.reasons?.length || order.reason ? (
                <>
                  <dt>Reason</dt>
                  <dd data-testid="order-reason">{(order.reasons ?? [order.reason]).join(', ')}</dd>
                </>
              ) : null}
              {order.details?.length ? (
                <>
                  <dt>Details</dt>
                  <dd>{order.details.join(', ')}</dd>
                </>
              ) : null}
              <dt>Payment</dt>
              <dd>{order.payment ?? '–'}</dd>
              <dt>Inventory</dt>
              <dd>{order.inventory ?? '–'}</dd>
              <dt>Items</dt>
              <dd>
                {order.items.map((item) => `${item.quantity} × ${item.productId}`).join(', ')}
              </dd>
              <dt>Total</dt>
              <dd>{formatCents(order.total)}</dd>
              <dt>Customer</dt>
              <dd>{order.customerEmail}</dd>
              <dt>Placed</dt>
              <dd>{formatDateTime(order.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatDateTime(order.updatedAt)}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="timeline-title">
            <div className="card-header">
              <h2 id="timeline-title">The saga, hop by hop</h2>
              <span className="small muted">{order.timeline.length} records</span>
            </div>
            {order.timeline.length === 0 ? (
              <Empty>
                <p>No records yet.</p>
              </Empty>
            ) : (
              <Waterfall model={model} />
            )}
          </section>
          <p className="small">
            Every record of this order on its topics:{' '}
            <Link href={`/explorer/topics/orders.v1?key=${orderId}`}>browse by key</Link>.
          </p>
        </div>
      )}
    </QueryState>
  );
}

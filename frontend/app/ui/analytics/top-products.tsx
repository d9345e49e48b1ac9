'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchProducts, fetchTopProducts } from '../../lib/data';
import { formatCents, formatCount, formatDateTime, formatDuration } from '../../lib/format';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { Empty, ErrorState, Loading } from '../states';

export function TopProducts() {
  const base = useApiUrl();
  const top = useGateway(['top-products'], fetchTopProducts, { refetchInterval: 5000 });
  const products = useGateway(['products'], fetchProducts, { staleTime: 60_000 });
  const names = new Map((products.data ?? []).map((product) => [product.id, product.name]));

  if (top.data === undefined) {
    if (top.isError && top.error.code === 'no_snapshot') {
      return (
        <Empty>
          <p>No window yet: the analytics service has not published to analytics.snapshots.v1.</p>
          <p>
            Place an order or browse a few pages; the first TopProductsUpdated appears when its
            window closes.
          </p>
        </Empty>
      );
    }
    if (top.isError) return <ErrorState error={top.error} apiUrl={base} what="the top products" />;
    return <Loading label="Loading the top products…" />;
  }
  const data = top.data;
  const rows = data.byQuantity.map((rank) => ({
    name: names.get(rank.productId) ?? rank.productId,
    productId: rank.productId,
    quantity: rank.quantity,
    revenue: rank.revenue,
  }));
  const pages = Object.entries(data.pageviews.byPage).sort(([, a], [, b]) => b - a);
  const windowMs = Date.parse(data.windowEnd) - Date.parse(data.windowStart);

  return (
    <div className="stack">
      <section className="card" aria-labelledby="top-title">
        <div className="card-header">
          <h2 id="top-title">Top products of the window</h2>
          <span className="small" data-testid="window">
            {formatDateTime(data.windowStart)} → {formatDateTime(data.windowEnd)} (
            {formatDuration(windowMs)})
          </span>
        </div>
        {rows.length === 0 ? (
          <Empty>
            <p>No product was ordered in this window.</p>
          </Empty>
        ) : (
          <>
            <div
              className="chart"
              role="img"
              aria-label={`Units ordered per product: ${rows.map((r) => `${r.name} ${r.quantity}`).join(', ')}`}
            >
              <ResponsiveContainer
                width="100%"
                height="100%"
                initialDimension={{ width: 600, height: 280 }}
              >
                <BarChart
                  data={rows}
                  layout="vertical"
                  margin={{ left: 8, right: 24, top: 8, bottom: 8 }}
                >
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} />
                  <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12 }} />
                  <Tooltip formatter={(value) => [String(value), 'units']} />
                  <Bar dataKey="quantity" name="units" fill="#1a56b8" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <div className="table-wrap" tabIndex={0}>
              <table>
                <caption className="visually-hidden">Top products by units</caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col" className="num">
                      Units
                    </th>
                    <th scope="col" className="num">
                      Revenue
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.productId}>
                      <td>{row.name}</td>
                      <td className="num">{formatCount(row.quantity)}</td>
                      <td className="num">{formatCents(row.revenue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <p className="small muted">
          From TopProductsUpdated {data.eventId.slice(0, 8)} on analytics.snapshots.v1, published{' '}
          {formatDateTime(data.occurredAt)}.
        </p>
      </section>
      <section className="card" aria-labelledby="pageviews-title">
        <div className="card-header">
          <h2 id="pageviews-title">Pageviews in the window</h2>
          <span className="stat-value" data-testid="pageviews-total">
            {formatCount(data.pageviews.total)}
          </span>
        </div>
        <p className="small muted">
          This dashboard sends a PageViewed through the gateway (POST /pageviews →
          analytics.pageviews.v1) on each navigation.
        </p>
        {pages.length === 0 ? (
          <Empty>
            <p>No pageviews in this window.</p>
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Pageviews per page</caption>
              <thead>
                <tr>
                  <th scope="col">Page</th>
                  <th scope="col" className="num">
                    Views
                  </th>
                </tr>
              </thead>
              <tbody>
                {pages.map(([page, count]) => (
                  <tr key={page}>
                    <td className="mono">{page}</td>
                    <td className="num">{formatCount(count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

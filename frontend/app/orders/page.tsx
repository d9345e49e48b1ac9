import Link from 'next/link';
import { fetchOrders } from '../lib/data';
import { firstRead } from '../lib/server';
import { OrdersTable } from '../ui/orders/orders-table';
import { PageHeader } from '../ui/page-header';

export const metadata = { title: 'Orders' };

export default async function OrdersPage() {
  const initial = await firstRead((base) => fetchOrders(base, 50, 0));
  return (
    <div className="page">
      <PageHeader
        title="Orders"
        lead="Every order the gateway has read from the topics, newest first. Its status comes from orders.outcome.v1."
        actions={
          <Link className="button" href="/orders/new">
            New order
          </Link>
        }
      />
      <OrdersTable initial={initial} />
    </div>
  );
}

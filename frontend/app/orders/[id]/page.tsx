import { fetchOrder } from '../../lib/data';
import { firstRead } from '../../lib/server';
import { OrderDetail } from '../../ui/orders/order-detail';
import { PageHeader } from '../../ui/page-header';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `Order ${id.slice(0, 8)}` };
}

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const orderId = decodeURIComponent(id);
  const initial = await firstRead((base) => fetchOrder(base, orderId));
  return (
    <div className="page">
      <PageHeader
        title={
          <>
            Order <span className="mono">{orderId}</span>
          </>
        }
        back={{ href: '/orders', label: 'Orders' }}
        lead="Each record of the saga with where it lives (topic, partition, offset) and how long each hop took. It updates live while the order is pending."
      />
      <OrderDetail orderId={orderId} initial={initial} />
    </div>
  );
}

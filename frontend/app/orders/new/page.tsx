import { OrderForm } from '../../ui/orders/order-form';
import { PageHeader } from '../../ui/page-header';

export const metadata = { title: 'New order' };

export default function NewOrderPage() {
  return (
    <div className="page">
      <PageHeader
        title="Create an order"
        back={{ href: '/orders', label: 'Orders' }}
        lead="The gateway writes OrderPlaced to orders.v1; payment and inventory answer in parallel, the saga decides. Pick a preset to see a failure on purpose."
      />
      <OrderForm />
    </div>
  );
}

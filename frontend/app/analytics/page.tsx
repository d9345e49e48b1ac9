import { TopProducts } from '../ui/analytics/top-products';
import { PageHeader } from '../ui/page-header';

export const metadata = { title: 'Analytics' };

export default function AnalyticsPage() {
  return (
    <div className="page">
      <PageHeader
        title="Analytics"
        lead="The analytics service counts products from orders.v1 and pageviews from analytics.pageviews.v1 in time windows, and publishes each window to analytics.snapshots.v1."
      />
      <TopProducts />
    </div>
  );
}

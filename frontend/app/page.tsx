import { LiveEvents } from './ui/overview/live-events';
import { SystemHealthCard } from './ui/overview/system-health';
import { PageHeader } from './ui/page-header';

export const metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <div className="page">
      <PageHeader
        title="Overview"
        lead="Every record written to the order flow's topics, as it is written, and the health of each service and of the broker."
      />
      <LiveEvents aside={<SystemHealthCard />} />
    </div>
  );
}

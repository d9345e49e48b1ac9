import { fetchDeadLetters } from '../lib/data';
import { firstRead } from '../lib/server';
import { DeadLetterList, DlqStatsCard } from '../ui/dlq/dead-letters';
import { PageHeader } from '../ui/page-header';

export const metadata = { title: 'Dead letters' };

export default async function DlqPage() {
  const initial = await firstRead((base) => fetchDeadLetters(base, 100));
  return (
    <div className="page">
      <PageHeader
        title="Dead-letter queue"
        lead="Records that exhausted their retries or could not be parsed land on orders.dlq.v1 with the reason in their headers. A redrive sends one back to the group that gave up on it."
      />
      <DlqStatsCard />
      <DeadLetterList initial={initial} />
    </div>
  );
}

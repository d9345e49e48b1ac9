import Link from 'next/link';
import { fetchTopics } from '../lib/data';
import { firstRead } from '../lib/server';
import { ClusterLine } from '../ui/explorer/cluster';
import { FlowLanes, TopicsTable } from '../ui/explorer/topics-table';
import { PageHeader } from '../ui/page-header';

export const metadata = { title: 'Topics' };

export default async function ExplorerPage() {
  const initial = await firstRead(fetchTopics);
  return (
    <div className="page">
      <PageHeader
        title="Kafka explorer"
        lead="The real broker's topics, partitions and consumer groups. Every action shows the command of Kafka's own tools that does the same."
        actions={
          <Link className="button-secondary" href="/explorer/groups">
            Consumer groups
          </Link>
        }
      />
      <ClusterLine />
      <TopicsTable initial={initial} />
      <FlowLanes />
    </div>
  );
}

import { LiveTail } from '../../../ui/explorer/live-tail';
import { MessageBrowser } from '../../../ui/explorer/message-browser';
import { ProduceForm } from '../../../ui/explorer/produce-form';
import { TopicDetailCard } from '../../../ui/explorer/topic-detail';
import { PageHeader } from '../../../ui/page-header';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function TopicPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = decodeURIComponent((await params).name);
  const { key } = await searchParams;
  return (
    <div className="page">
      <PageHeader
        title={<span className="mono">{name}</span>}
        back={{ href: '/explorer', label: 'Topics' }}
        lead="Its partitions with their leader, replicas and in-sync replicas, the records they keep, where each group is, and the messages themselves."
      />
      <TopicDetailCard name={name} />
      <MessageBrowser topic={name} initialKey={typeof key === 'string' ? key : undefined} />
      <div className="grid-2">
        <LiveTail topic={name} />
        <ProduceForm topic={name} />
      </div>
    </div>
  );
}

import { GroupDetailView } from '../../../ui/groups/group-detail';
import { PageHeader } from '../../../ui/page-header';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `Group ${decodeURIComponent(id)}` };
}

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const groupId = decodeURIComponent((await params).id);
  return (
    <div className="page">
      <PageHeader
        title={
          <>
            Group <span className="mono">{groupId}</span>
          </>
        }
        back={{ href: '/explorer/groups', label: 'Consumer groups' }}
        lead="Its members and what each one was assigned, how far it has committed on each partition, its lag, its rebalances, and a reset of its offsets."
      />
      <GroupDetailView groupId={groupId} />
    </div>
  );
}

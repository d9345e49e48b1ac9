import { fetchGroups } from '../../lib/data';
import { firstRead } from '../../lib/server';
import { GroupsTable } from '../../ui/groups/groups-table';
import { PageHeader } from '../../ui/page-header';

export const metadata = { title: 'Consumer groups' };

export default async function GroupsPage() {
  const initial = await firstRead(fetchGroups);
  return (
    <div className="page">
      <PageHeader
        title="Consumer groups"
        back={{ href: '/explorer', label: 'Topics' }}
        lead="Each service reads through its own consumer group: the members share the partitions, and the group's committed offsets say how far it has read."
      />
      <GroupsTable initial={initial} />
    </div>
  );
}

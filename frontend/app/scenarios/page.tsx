import { fetchScenarios } from '../lib/data';
import { serverApiUrl, serverRead } from '../lib/server';
import { PageHeader } from '../ui/page-header';
import { ScenarioCards } from '../ui/scenarios/scenario-cards';
import { Empty, ErrorState } from '../ui/states';

export const metadata = { title: 'Scenarios' };

export default async function ScenariosPage() {
  const read = await serverRead(fetchScenarios);
  return (
    <div className="page">
      <PageHeader
        title="Scenarios"
        lead="Each scenario teaches one Kafka idea by making it happen on the live stack: one click runs it, and the verdict is computed from what is on the topics, not from what the runner did."
      />
      {!read.ok ? (
        <div className="stack">
          <ErrorState error={read.error} apiUrl={serverApiUrl()} what="the scenarios" />
          <p>
            <a href="/scenarios">Try again</a>
          </p>
        </div>
      ) : read.data.scenarios.length === 0 ? (
        <Empty>
          <p>The gateway lists no scenarios.</p>
        </Empty>
      ) : (
        <ScenarioCards scenarios={read.data.scenarios} />
      )}
    </div>
  );
}

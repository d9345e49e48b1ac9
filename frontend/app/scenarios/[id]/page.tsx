import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { fetchScenarios } from '../../lib/data';
import { serverApiUrl, serverRead } from '../../lib/server';
import { PageHeader } from '../../ui/page-header';
import { FaultsForm } from '../../ui/scenarios/faults-form';
import { ScenarioRunner } from '../../ui/scenarios/scenario-runner';
import { ErrorState, Loading } from '../../ui/states';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `Scenario ${decodeURIComponent(id)}` };
}

export default async function ScenarioPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const read = await serverRead(fetchScenarios);
  if (!read.ok) {
    return (
      <div className="page">
        <PageHeader title={`Scenario ${id}`} back={{ href: '/scenarios', label: 'Scenarios' }} />
        <div className="stack">
          <ErrorState error={read.error} apiUrl={serverApiUrl()} what="the scenario" />
          <p>
            <a href={`/scenarios/${encodeURIComponent(id)}`}>Try again</a>
          </p>
        </div>
      </div>
    );
  }
  const scenario = read.data.scenarios.find((s) => s.id === id);
  if (!scenario) notFound();
  return (
    <div className="page">
      <PageHeader title={scenario.title} back={{ href: '/scenarios', label: 'Scenarios' }} />
      <section className="card" aria-labelledby="concept-title">
        <h2 id="concept-title">The Kafka idea</h2>
        <p style={{ maxWidth: '80ch' }}>{scenario.concept}</p>
        <h3>What the run does</h3>
        <p style={{ margin: 0, maxWidth: '80ch' }}>{scenario.summary}</p>
      </section>
      <Suspense fallback={<Loading />}>
        <ScenarioRunner scenarioId={scenario.id} />
      </Suspense>
      <FaultsForm highlight={scenario.faults} />
    </div>
  );
}

import Link from 'next/link';
import type { ScenarioSummary } from '../../lib/definitions';

export function ScenarioCards({ scenarios }: { scenarios: ScenarioSummary[] }) {
  return (
    <ul className="cards" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {scenarios.map((scenario) => (
        <li
          key={scenario.id}
          className="card stack"
          data-testid="scenario-card"
          data-scenario={scenario.id}
        >
          <h2 style={{ margin: 0 }}>
            <Link href={`/scenarios/${encodeURIComponent(scenario.id)}`}>{scenario.title}</Link>
          </h2>
          <p className="small" style={{ margin: 0 }}>
            <span className="tag">{scenario.concept}</span>
          </p>
          <p style={{ margin: 0 }}>{scenario.summary}</p>
          {scenario.faults.length > 0 ? (
            <p className="small muted" style={{ margin: 0 }}>
              Fault switches: {scenario.faults.join(', ')}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

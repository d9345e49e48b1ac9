'use client';

import { fetchSystemHealth } from '../../lib/data';
import { useGateway } from '../../lib/hooks';
import { Badge } from '../badges';
import { QueryState } from '../query-state';

export function SystemHealthCard() {
  const query = useGateway(['system-health'], fetchSystemHealth, { refetchInterval: 3000 });
  return (
    <section className="card" aria-labelledby="health-title">
      <div className="card-header">
        <h2 id="health-title">Health</h2>
        <span className="small muted">every 3 s</span>
      </div>
      <QueryState query={query} what="the health of the services">
        {(health) => (
          <ul className="health-list">
            <li data-testid="health" data-name="kafka" data-status={health.kafka.status}>
              <span>
                <strong>Kafka broker</strong>
                <br />
                <span className="small muted mono">
                  {health.kafka.brokers.join(', ') || 'no brokers'}
                </span>
              </span>
              <Badge value={health.kafka.status} />
            </li>
            {health.services.map((service) => (
              <li
                key={service.name}
                data-testid="health"
                data-name={service.name}
                data-status={service.status}
              >
                <span>
                  <strong>{service.name}</strong>
                  <br />
                  <span className="small muted mono">{service.url}</span>
                  {service.detail ? <span className="small muted"> · {service.detail}</span> : null}
                </span>
                <Badge value={service.status} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

'use client';

import { fetchCluster } from '../../lib/data';
import { bootstrapOf } from '../../lib/kafka-commands';
import { useGateway } from '../../lib/hooks';

/** The bootstrap servers the tools' commands name: the gateway's, else the tools' default. */
export function useBootstrap(): string {
  const cluster = useGateway(['cluster'], fetchCluster, { staleTime: 60_000 });
  return bootstrapOf(cluster.data?.brokers);
}

export function ClusterLine() {
  const cluster = useGateway(['cluster'], fetchCluster, { staleTime: 60_000 });
  if (!cluster.data) return null;
  const { nodes, controller, brokers } = cluster.data;
  return (
    <p className="small" data-testid="cluster">
      Bootstrap <code>{brokers.join(',')}</code> · {nodes.length} broker
      {nodes.length === 1 ? '' : 's'}:{' '}
      {nodes.map((node) => `${node.id} (${node.host}:${node.port})`).join(', ')}
      {controller !== undefined ? ` · controller ${controller}` : ''}
    </p>
  );
}

'use client';

import { fetchTopic } from '../../lib/data';
import { formatCount } from '../../lib/format';
import { describeTopicCommand, topicConfigCommand } from '../../lib/kafka-commands';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { KafkaCommand } from '../command';
import { ErrorState, Loading } from '../states';
import { useBootstrap } from './cluster';
import { PartitionLanes } from './lanes';

export function TopicDetailCard({ name }: { name: string }) {
  const base = useApiUrl();
  const bootstrap = useBootstrap();
  const query = useGateway(['topic', name], (url) => fetchTopic(url, name), {
    refetchInterval: 2000,
  });
  if (!query.data) {
    if (query.isError && query.error.code === 'unknown_topic') {
      return (
        <div className="state state-error" role="alert">
          <p className="state-title">No topic named {name}</p>
          <p>{query.error.message}</p>
        </div>
      );
    }
    if (query.isError)
      return <ErrorState error={query.error} apiUrl={base} what={`topic ${name}`} />;
    return <Loading label={`Loading ${name}…`} />;
  }
  const topic = query.data;
  const configs = Object.entries(topic.configs);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="partitions-title">
        <div className="card-header">
          <h2 id="partitions-title">Partitions</h2>
          <span className="small muted">
            key: {topic.keyedBy} · {topic.events.join(', ') || topic.description}
          </span>
        </div>
        <div className="stack">
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Partitions of {topic.name}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Partition
                  </th>
                  <th scope="col" className="num">
                    Leader
                  </th>
                  <th scope="col">Replicas</th>
                  <th scope="col">ISR</th>
                  <th scope="col" className="num">
                    Low watermark
                  </th>
                  <th scope="col" className="num">
                    High watermark
                  </th>
                  <th scope="col" className="num">
                    Messages
                  </th>
                </tr>
              </thead>
              <tbody>
                {topic.partitions.map((p) => (
                  <tr key={p.partition} data-testid="partition-row" data-partition={p.partition}>
                    <td className="num">{p.partition}</td>
                    <td className="num">{p.leader}</td>
                    <td>{p.replicas.join(', ')}</td>
                    <td>{p.isr.join(', ')}</td>
                    <td className="num">{p.low}</td>
                    <td className="num">{p.high}</td>
                    <td className="num">{formatCount(p.messages)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PartitionLanes topic={topic.name} partitions={topic.partitions} groups={topic.groups} />
          <KafkaCommand command={describeTopicCommand(bootstrap, topic.name)} />
        </div>
      </section>
      <section className="card" aria-labelledby="config-title">
        <h2 id="config-title">Configuration set on the topic</h2>
        {configs.length === 0 ? (
          <p className="small muted">None: every setting is the broker&apos;s default.</p>
        ) : (
          <dl className="kv">
            {configs.map(([key, value]) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt>{key}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
        <div style={{ marginTop: '0.75rem' }}>
          <KafkaCommand command={topicConfigCommand(bootstrap, topic.name)} />
        </div>
      </section>
    </div>
  );
}

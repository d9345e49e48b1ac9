'use client';

import Link from 'next/link';
import type { TopicSummary } from '../../lib/definitions';
import { fetchTopic, fetchTopics } from '../../lib/data';
import { formatCount } from '../../lib/format';
import { describeTopicCommand, listTopicsCommand } from '../../lib/kafka-commands';
import { useGateway } from '../../lib/hooks';
import { KafkaCommand } from '../command';
import { QueryState } from '../query-state';
import { Empty } from '../states';
import { useBootstrap } from './cluster';
import { PartitionLanes } from './lanes';

export function TopicsTable({ initial }: { initial?: { topics: TopicSummary[] } }) {
  const bootstrap = useBootstrap();
  const query = useGateway(['topics'], fetchTopics, {
    refetchInterval: 2000,
    initialData: initial,
  });
  return (
    <section className="card" aria-labelledby="topics-title">
      <div className="card-header">
        <h2 id="topics-title">Topics</h2>
        <span className="small muted">refreshed every 2 s</span>
      </div>
      <QueryState query={query} what="the topics">
        {({ topics }) =>
          topics.length === 0 ? (
            <Empty>
              <p>
                No topics. Create them with <code>npm run topics:create</code>.
              </p>
            </Empty>
          ) : (
            <div className="stack">
              <div className="table-wrap" tabIndex={0}>
                <table>
                  <caption className="visually-hidden">Topics of the cluster</caption>
                  <thead>
                    <tr>
                      <th scope="col">Topic</th>
                      <th scope="col" className="num">
                        Partitions
                      </th>
                      <th scope="col" className="num">
                        Replication
                      </th>
                      <th scope="col" className="num">
                        Messages
                      </th>
                      <th scope="col">Key</th>
                      <th scope="col">Events</th>
                    </tr>
                  </thead>
                  <tbody>
                    {topics.map((topic) => (
                      <tr
                        key={topic.name}
                        data-testid="topic-row"
                        data-topic={topic.name}
                        data-partitions={topic.partitions}
                        data-messages={topic.messages}
                      >
                        <td>
                          <Link href={`/explorer/topics/${encodeURIComponent(topic.name)}`}>
                            {topic.name}
                          </Link>
                          {topic.internal ? (
                            <>
                              {' '}
                              <span className="badge badge-muted">internal</span>
                            </>
                          ) : null}
                        </td>
                        <td className="num">{topic.partitions}</td>
                        <td className="num">{topic.replicationFactor}</td>
                        <td className="num">{formatCount(topic.messages)}</td>
                        <td>{topic.keyedBy}</td>
                        <td className="wrap">
                          {topic.events.join(', ') || (
                            <span className="muted">{topic.description}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <KafkaCommand
                command={`${listTopicsCommand(bootstrap)}\n${describeTopicCommand(bootstrap)}`}
              />
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

/** A topic's partitions as lanes with the cursors of its groups, refreshed every 2 s. */
export function TopicLanesCard({ name, headingLevel = 3 }: { name: string; headingLevel?: 2 | 3 }) {
  const query = useGateway(['topic', name], (base) => fetchTopic(base, name), {
    refetchInterval: 2000,
  });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-label={`${name} partitions`}>
      <div className="card-header">
        <Heading>
          <Link href={`/explorer/topics/${encodeURIComponent(name)}`}>{name}</Link>
        </Heading>
        {query.data ? (
          <span className="small muted">
            {query.data.partitions.length} partition{query.data.partitions.length === 1 ? '' : 's'}{' '}
            · ISR {query.data.partitions.map((p) => `[${p.isr.join(',')}]`).join(' ')}
          </span>
        ) : null}
      </div>
      <QueryState query={query} what={`the partitions of ${name}`}>
        {(topic) => (
          <PartitionLanes topic={topic.name} partitions={topic.partitions} groups={topic.groups} />
        )}
      </QueryState>
    </section>
  );
}

export function FlowLanes() {
  const query = useGateway(['topics'], fetchTopics, { refetchInterval: 2000 });
  const flow = (query.data?.topics ?? []).filter((topic) => !topic.internal);
  if (flow.length === 0) return null;
  return (
    <section aria-labelledby="lanes-title" className="stack">
      <div>
        <h2 id="lanes-title">Partitions as logs, groups as cursors</h2>
        <p className="lead">
          Each lane is one partition&apos;s log, from offset 0 to its log end. Each cursor is where
          a consumer group has committed: the records to its right are its lag. Watch them move as
          orders flow.
        </p>
      </div>
      {flow.map((topic) => (
        <TopicLanesCard key={topic.name} name={topic.name} />
      ))}
    </section>
  );
}

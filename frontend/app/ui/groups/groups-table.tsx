'use client';

import Link from 'next/link';
import type { GroupSummary } from '../../lib/definitions';
import { fetchGroups } from '../../lib/data';
import { formatCount } from '../../lib/format';
import { listGroupsCommand } from '../../lib/kafka-commands';
import { useGateway } from '../../lib/hooks';
import { Badge } from '../badges';
import { KafkaCommand } from '../command';
import { useBootstrap } from '../explorer/cluster';
import { QueryState } from '../query-state';
import { Empty } from '../states';

export function GroupsTable({ initial }: { initial?: { groups: GroupSummary[] } }) {
  const bootstrap = useBootstrap();
  const query = useGateway(['groups'], fetchGroups, {
    refetchInterval: 2000,
    initialData: initial,
  });
  return (
    <section className="card stack" aria-labelledby="groups-title">
      <div className="card-header">
        <h2 id="groups-title">Consumer groups</h2>
        <span className="small muted">refreshed every 2 s</span>
      </div>
      <QueryState query={query} what="the consumer groups">
        {({ groups }) =>
          groups.length === 0 ? (
            <Empty>
              <p>No consumer groups. Start the services: each one joins its group.</p>
            </Empty>
          ) : (
            <div className="table-wrap" tabIndex={0}>
              <table>
                <caption className="visually-hidden">Consumer groups of the cluster</caption>
                <thead>
                  <tr>
                    <th scope="col">Group</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">
                      Members
                    </th>
                    <th scope="col" className="num">
                      Lag
                    </th>
                    <th scope="col">Topics</th>
                    <th scope="col">Protocol</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((group) => (
                    <tr
                      key={group.groupId}
                      data-testid="group-row"
                      data-group={group.groupId}
                      data-state={group.state}
                      data-lag={group.lag ?? ''}
                    >
                      <td>
                        <Link href={`/explorer/groups/${encodeURIComponent(group.groupId)}`}>
                          {group.groupId}
                        </Link>
                        {group.paused ? (
                          <>
                            {' '}
                            <span className="badge badge-wait">paused</span>
                          </>
                        ) : null}
                      </td>
                      <td>
                        <Badge value={group.state} />
                      </td>
                      <td className="num">{group.members}</td>
                      <td className="num" data-testid="group-lag">
                        {formatCount(group.lag)}
                      </td>
                      <td className="wrap">{group.topics.join(', ')}</td>
                      <td>{group.protocolType}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      <KafkaCommand command={listGroupsCommand(bootstrap)} />
    </section>
  );
}

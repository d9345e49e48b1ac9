'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { pauseGroup, resumeGroup } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { GroupDetail as Group } from '../../lib/definitions';
import { fetchGroup } from '../../lib/data';
import { formatCount, formatDateTime } from '../../lib/format';
import { describeGroupCommand } from '../../lib/kafka-commands';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { Badge } from '../badges';
import { KafkaCommand } from '../command';
import { useBootstrap } from '../explorer/cluster';
import { Empty, ErrorState, Loading } from '../states';
import { LagChart } from './lag-chart';
import { ResetForm } from './reset-form';

function PauseButtons({ group }: { group: Group }) {
  const base = useApiUrl();
  const queryClient = useQueryClient();
  const mutation = useMutation<unknown, ApiError, 'pause' | 'resume'>({
    mutationFn: (what) =>
      what === 'pause' ? pauseGroup(base, group.groupId) : resumeGroup(base, group.groupId),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: [base, 'group', group.groupId] }),
  });
  return (
    <div className="stack">
      <div className="row">
        <button
          type="button"
          className="button-secondary"
          disabled={group.paused || mutation.isPending}
          onClick={() => mutation.mutate('pause')}
        >
          Pause consumers
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={!group.paused || mutation.isPending}
          onClick={() => mutation.mutate('resume')}
        >
          Resume consumers
        </button>
      </div>
      {mutation.isError ? (
        <ErrorState error={mutation.error} apiUrl={base} what="pause / resume" />
      ) : null}
    </div>
  );
}

export function GroupDetailView({ groupId }: { groupId: string }) {
  const base = useApiUrl();
  const bootstrap = useBootstrap();
  const query = useGateway(['group', groupId], (url) => fetchGroup(url, groupId), {
    refetchInterval: 2000,
  });
  if (!query.data) {
    if (query.isError)
      return <ErrorState error={query.error} apiUrl={base} what={`group ${groupId}`} />;
    return <Loading label={`Loading ${groupId}…`} />;
  }
  const group = query.data;
  const topics = [...new Set(group.offsets.map((o) => o.topic))].sort();
  const offsets = [...group.offsets].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  const totalLag = group.offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0);
  return (
    <div className="stack">
      {query.isError ? (
        <p className="stale" role="status">
          Showing the last data: {query.error.message}
        </p>
      ) : null}
      <section className="card" aria-labelledby="state-title">
        <div className="card-header">
          <h2 id="state-title">State</h2>
          <span className="small muted">refreshed every 2 s</span>
        </div>
        <div className="grid-2">
          <dl className="kv">
            <dt>State</dt>
            <dd>
              <Badge value={group.state} testId="group-state" />
              {group.paused ? (
                <>
                  {' '}
                  <span className="badge badge-wait" data-testid="group-paused">
                    paused
                  </span>
                </>
              ) : null}
            </dd>
            <dt>Protocol</dt>
            <dd>{group.protocol || '–'}</dd>
            <dt>Members</dt>
            <dd>{group.members.length}</dd>
            <dt>Total lag</dt>
            <dd data-testid="group-total-lag">{formatCount(totalLag)}</dd>
          </dl>
          <PauseButtons group={group} />
        </div>
      </section>

      <section className="card stack" aria-labelledby="members-title">
        <h2 id="members-title">Members and assignment</h2>
        {group.members.length === 0 ? (
          <Empty>
            <p>
              No members: nobody consumes for this group right now (its offsets stay committed).
            </p>
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Members of {group.groupId}</caption>
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Host</th>
                  <th scope="col">Assigned partitions</th>
                  <th scope="col">Member id</th>
                </tr>
              </thead>
              <tbody>
                {group.members.map((member) => (
                  <tr key={member.memberId} data-testid="member-row">
                    <td>{member.clientId}</td>
                    <td>{member.host}</td>
                    <td className="wrap">
                      {member.assignments
                        .map((a) => `${a.topic} [${a.partitions.join(', ')}]`)
                        .join('; ') || '–'}
                    </td>
                    <td className="mono small">{member.memberId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <KafkaCommand command={describeGroupCommand(bootstrap, group.groupId, 'members')} />
      </section>

      <section className="card stack" aria-labelledby="offsets-title">
        <h2 id="offsets-title">Committed offsets and lag</h2>
        {group.offsets.length === 0 ? (
          <Empty>
            <p>The group has committed no offsets.</p>
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">
                Offsets of {group.groupId} per partition
              </caption>
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col" className="num">
                    Partition
                  </th>
                  <th scope="col" className="num">
                    Committed
                  </th>
                  <th scope="col" className="num">
                    Log end
                  </th>
                  <th scope="col" className="num">
                    Lag
                  </th>
                </tr>
              </thead>
              <tbody>
                {offsets.map((o) => (
                  <tr
                    key={`${o.topic}:${o.partition}`}
                    data-testid="offset-row"
                    data-topic={o.topic}
                    data-partition={o.partition}
                    data-committed={o.committed ?? ''}
                    data-lag={o.lag ?? ''}
                  >
                    <td>
                      <Link href={`/explorer/topics/${encodeURIComponent(o.topic)}`}>
                        {o.topic}
                      </Link>
                    </td>
                    <td className="num">{o.partition}</td>
                    <td className="num">{o.committed ?? '–'}</td>
                    <td className="num">{o.logEnd}</td>
                    <td className="num">{formatCount(o.lag)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <KafkaCommand command={describeGroupCommand(bootstrap, group.groupId)} />
      </section>

      <section className="card" aria-labelledby="lag-title">
        <div className="card-header">
          <h2 id="lag-title">Lag over the last minutes</h2>
          <span className="small muted">sampled by the gateway every 2 s, 10 minutes kept</span>
        </div>
        <LagChart history={group.lagHistory} />
      </section>

      <section className="card" aria-labelledby="rebalances-title">
        <h2 id="rebalances-title">Rebalance history</h2>
        {group.rebalances.length === 0 ? (
          <Empty>
            <p>
              No rebalance since the gateway started. Start a second instance of the service to see
              one.
            </p>
          </Empty>
        ) : (
          <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {[...group.rebalances].reverse().map((r, index) => (
              <li
                key={`${r.at}:${index}`}
                className="message"
                data-testid="rebalance"
                style={{ padding: '0.5rem 0.7rem' }}
              >
                <strong>{formatDateTime(r.at)}</strong>
                {r.generation !== undefined ? (
                  <span className="muted"> · generation {r.generation}</span>
                ) : null}
                <div className="small">
                  {r.joined.length > 0 ? <div>joined: {r.joined.join(', ')}</div> : null}
                  {r.left.length > 0 ? <div>left: {r.left.join(', ')}</div> : null}
                  {r.moved.length > 0 ? (
                    <div>
                      moved:{' '}
                      {r.moved
                        .map((m) => `${m.topic}[${m.partition}] ${m.from ?? '∅'} → ${m.to ?? '∅'}`)
                        .join('; ')}
                    </div>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      <ResetForm groupId={group.groupId} topics={topics} members={group.members.length} />
    </div>
  );
}

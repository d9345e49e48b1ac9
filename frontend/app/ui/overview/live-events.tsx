'use client';

import Link from 'next/link';
import { useCallback, useState, type ReactNode } from 'react';
import { fetchTopics } from '../../lib/data';
import type { StreamedRecord } from '../../lib/definitions';
import { formatAge, formatCount } from '../../lib/format';
import { useApiUrl, useEventStream, useGateway, useNow } from '../../lib/hooks';
import { Empty } from '../states';
import { StreamStatus } from './stream-status';

const KEEP = 100;

interface Seen {
  record: StreamedRecord;
  id: string;
}

/**
 * Every record the gateway streams, newest first; and per topic of the flow the records it holds
 * (its partitions' high minus low watermarks, polled) with those that arrived since the page opened.
 */
export function LiveEvents({ aside }: { aside?: ReactNode }) {
  const apiUrl = useApiUrl();
  const [records, setRecords] = useState<Seen[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const now = useNow(1000);
  const onRecord = useCallback((record: StreamedRecord) => {
    const id = `${record.topic}:${record.partition}:${record.offset}`;
    setRecords((previous) =>
      [{ record, id }, ...previous.filter((seen) => seen.id !== id)].slice(0, KEEP),
    );
    setCounts((previous) => ({ ...previous, [record.topic]: (previous[record.topic] ?? 0) + 1 }));
  }, []);
  const state = useEventStream({}, onRecord);
  const held = useGateway(['topics'], fetchTopics, { refetchInterval: 2000 });
  const flowTopics = held.data?.topics.filter((topic) => !topic.internal) ?? [];
  const topics: [string, number | undefined, number][] =
    flowTopics.length > 0
      ? flowTopics.map((topic) => [topic.name, topic.messages, counts[topic.name] ?? 0])
      : Object.entries(counts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([topic, count]) => [topic, undefined, count]);

  return (
    <>
      <div className="grid-2">
        <section className="card" aria-labelledby="counters-title">
          <div className="card-header">
            <h2 id="counters-title">Records per topic</h2>
            <span className="small muted">in the topic · since this page opened</span>
          </div>
          {topics.length === 0 ? (
            <Empty>
              <p>No records yet. Place an order and watch them arrive.</p>
            </Empty>
          ) : (
            <div className="stat-grid">
              {topics.map(([topic, total, count]) => (
                <div className="stat" key={topic} data-testid="topic-counter" data-topic={topic}>
                  <div className="stat-label">{topic}</div>
                  <div className="stat-value">
                    {total === undefined ? formatCount(count) : formatCount(total)}
                    {total === undefined ? null : (
                      <span className="small muted"> +{formatCount(count)}</span>
                    )}
                  </div>
                </div>
              ))}
            </div>
          )}
        </section>
        {aside}
      </div>
      <section className="card" aria-labelledby="stream-title">
        <div className="card-header">
          <h2 id="stream-title">Live event stream</h2>
          <StreamStatus state={state} apiUrl={apiUrl} />
        </div>
        {records.length === 0 ? (
          <Empty>
            <p>Waiting for records on the flow&apos;s topics…</p>
            <p>
              <Link href="/orders/new">Place an order</Link> to see OrderPlaced, the replies and the
              outcome appear here.
            </p>
          </Empty>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">The last {KEEP} records, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Age</th>
                  <th scope="col">Type</th>
                  <th scope="col">Topic</th>
                  <th scope="col" className="num">
                    Partition
                  </th>
                  <th scope="col" className="num">
                    Offset
                  </th>
                  <th scope="col">Key</th>
                </tr>
              </thead>
              <tbody>
                {records.map(({ record, id }) => (
                  <tr
                    key={id}
                    data-testid="stream-record"
                    data-topic={record.topic}
                    data-type={record.type ?? ''}
                  >
                    <td>{formatAge(record.timestamp, now)}</td>
                    <td>
                      {record.type ?? <span className="muted">unknown</span>}
                      {record.invalid ? (
                        <>
                          {' '}
                          <span className="badge badge-bad">invalid</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <Link href={`/explorer/topics/${encodeURIComponent(record.topic)}`}>
                        {record.topic}
                      </Link>
                    </td>
                    <td className="num">{record.partition}</td>
                    <td className="num">{record.offset}</td>
                    <td className="mono">
                      {record.event?.orderId ? (
                        <Link href={`/orders/${record.event.orderId}`}>{record.key}</Link>
                      ) : (
                        (record.key ?? <span className="muted">null</span>)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

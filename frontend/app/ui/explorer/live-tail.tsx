'use client';

import { useCallback, useState } from 'react';
import type { StreamedRecord } from '../../lib/definitions';
import { formatClock } from '../../lib/format';
import { useApiUrl, useEventStream } from '../../lib/hooks';
import { StreamStatus } from '../overview/stream-status';
import { Empty } from '../states';

const KEEP = 50;

function valueOf(record: StreamedRecord): string {
  if (record.event) return JSON.stringify(record.event, null, 2);
  return record.invalid?.raw ?? '';
}

export function LiveTail({ topic }: { topic: string }) {
  const apiUrl = useApiUrl();
  const [on, setOn] = useState(true);
  const [key, setKey] = useState('');
  const [records, setRecords] = useState<StreamedRecord[]>([]);
  const onRecord = useCallback((record: StreamedRecord) => {
    setRecords((previous) => [record, ...previous].slice(0, KEEP));
  }, []);
  const state = useEventStream({ topics: [topic], key: key.trim() || undefined }, onRecord, on);
  return (
    <section className="card stack" aria-labelledby="tail-title">
      <div className="card-header">
        <h2 id="tail-title">Live tail</h2>
        <StreamStatus state={state} apiUrl={apiUrl} />
      </div>
      <div className="row row-end">
        <button
          type="button"
          className="button-secondary"
          onClick={() => setOn((value) => !value)}
          aria-pressed={on}
        >
          {on ? 'Pause tail' : 'Resume tail'}
        </button>
        <div className="field">
          <label htmlFor="tail-key">Only key (order id)</label>
          <input
            id="tail-key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="every key"
          />
        </div>
      </div>
      {records.length === 0 ? (
        <Empty>
          <p>Waiting for new records on {topic}… Produce one below, or place an order.</p>
        </Empty>
      ) : (
        <div className="message-list" data-testid="live-tail">
          {records.map((record) => (
            <details
              className="message"
              key={`${record.partition}:${record.offset}`}
              data-testid="tail-record"
              data-partition={record.partition}
              data-offset={record.offset}
              data-key={record.key ?? ''}
            >
              <summary>
                <span className="mono">
                  p{record.partition} · offset {record.offset}
                </span>
                <span className="mono">key {record.key ?? 'null'}</span>
                <span>{record.type ?? 'unknown type'}</span>
                {record.invalid ? (
                  <span className="badge badge-bad">{record.invalid.reason}</span>
                ) : null}
                <span className="muted">{formatClock(record.timestamp)}</span>
              </summary>
              <div className="message-body">
                {Object.keys(record.headers).length > 0 ? (
                  <dl className="kv">
                    {Object.entries(record.headers).map(([name, value]) => (
                      <div key={name} style={{ display: 'contents' }}>
                        <dt>{name}</dt>
                        <dd>{value}</dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
                <pre className="json" tabIndex={0}>
                  {valueOf(record)}
                </pre>
              </div>
            </details>
          ))}
        </div>
      )}
    </section>
  );
}

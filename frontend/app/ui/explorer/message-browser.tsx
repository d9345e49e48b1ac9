'use client';

import { useState, type FormEvent } from 'react';
import type { BrowseFrom, TopicMessage } from '../../lib/definitions';
import { fetchMessages, fetchTopic, type BrowseQuery } from '../../lib/data';
import { formatCount, formatDateTime } from '../../lib/format';
import { consumeCommand, type ConsumeFrom } from '../../lib/kafka-commands';
import { useGateway } from '../../lib/hooks';
import { RadioRow } from '../radio-row';
import { KafkaCommand } from '../command';
import { QueryState } from '../query-state';
import { Empty } from '../states';
import { useBootstrap } from './cluster';

export function MessageView({ message }: { message: TopicMessage }) {
  const headers = Object.entries(message.headers);
  return (
    <details
      className="message"
      data-testid="message"
      data-partition={message.partition}
      data-offset={message.offset}
      data-key={message.key ?? ''}
    >
      <summary>
        <span className="mono">
          p{message.partition} · offset {message.offset}
        </span>
        <span className="mono">key {message.key ?? 'null'}</span>
        <span>
          {message.headers['event-type'] ?? (message.json === null ? 'not JSON' : 'JSON')}
        </span>
        <span className="muted">{formatDateTime(message.timestamp)}</span>
        <span className="muted">{formatCount(message.size)} B</span>
      </summary>
      <div className="message-body">
        {headers.length > 0 ? (
          <dl className="kv">
            {headers.map(([name, value]) => (
              <div key={name} style={{ display: 'contents' }}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="small muted">No headers.</p>
        )}
        <pre className="json" tabIndex={0}>
          {message.json !== null && message.json !== undefined
            ? JSON.stringify(message.json, null, 2)
            : message.value}
        </pre>
      </div>
    </details>
  );
}

function startOf(query: BrowseQuery): ConsumeFrom {
  switch (query.from) {
    case 'offset':
      return { from: 'offset', offset: query.offset ?? '0' };
    case 'timestamp':
      return { from: 'timestamp', timestamp: Number(query.timestamp) || Date.now() };
    default:
      return { from: query.from };
  }
}

function localNow(): string {
  const now = new Date(Date.now() - 5 * 60_000);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function MessageBrowser({ topic, initialKey }: { topic: string; initialKey?: string }) {
  const bootstrap = useBootstrap();
  const detail = useGateway(['topic', topic], (base) => fetchTopic(base, topic), {
    refetchInterval: 2000,
  });
  const partitions = detail.data?.partitions.map((p) => p.partition) ?? [];
  const [partition, setPartition] = useState<string>('all');
  const [from, setFrom] = useState<BrowseFrom>(initialKey ? 'earliest' : 'latest');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState(localNow);
  const [limit, setLimit] = useState(50);
  const [key, setKey] = useState(initialKey ?? '');
  const [submitted, setSubmitted] = useState<BrowseQuery>({
    from: initialKey ? 'earliest' : 'latest',
    limit: 50,
    key: initialKey || undefined,
  });

  const messages = useGateway(
    ['messages', topic, submitted],
    (base) => fetchMessages(base, topic, submitted),
    {
      staleTime: Infinity,
    },
  );

  const browse = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted({
      partition: partition === 'all' ? null : Number(partition),
      from,
      offset,
      timestamp: from === 'timestamp' ? String(new Date(time).getTime()) : undefined,
      limit,
      key: key.trim() || undefined,
    });
  };

  const command = consumeCommand(bootstrap, {
    topic,
    partition: submitted.partition ?? null,
    start: startOf(submitted),
    maxMessages: submitted.limit,
  });

  return (
    <section className="card stack" aria-labelledby="browse-title">
      <h2 id="browse-title">Browse messages</h2>
      <form onSubmit={browse} className="stack">
        <div className="form-grid">
          <div className="field">
            <label htmlFor="browse-partition">Partition</label>
            <select
              id="browse-partition"
              value={partition}
              onChange={(e) => setPartition(e.target.value)}
            >
              <option value="all">all (merged by time)</option>
              {partitions.map((p) => (
                <option key={p} value={String(p)}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="browse-limit">How many</label>
            <input
              id="browse-limit"
              type="number"
              min={1}
              max={200}
              value={limit}
              onChange={(e) => setLimit(Math.max(1, Math.min(200, Number(e.target.value) || 1)))}
            />
          </div>
          <div className="field">
            <label htmlFor="browse-key">
              Key <span className="field-hint">an order id</span>
            </label>
            <input
              id="browse-key"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder="any key"
            />
          </div>
        </div>
        <fieldset>
          <legend>From</legend>
          <RadioRow
            name="browse-from"
            options={(['earliest', 'latest', 'offset', 'timestamp'] as const).map(
              (option) => [option, option] as const,
            )}
            value={from}
            onChange={setFrom}
          />
          {from === 'offset' ? (
            <div className="field" style={{ marginTop: '0.5rem' }}>
              <label htmlFor="browse-offset">Offset</label>
              <input
                id="browse-offset"
                inputMode="numeric"
                value={offset}
                onChange={(e) => setOffset(e.target.value.replace(/\D/g, ''))}
              />
            </div>
          ) : null}
          {from === 'timestamp' ? (
            <div className="field" style={{ marginTop: '0.5rem' }}>
              <label htmlFor="browse-time">Time (your local time)</label>
              <input
                id="browse-time"
                type="datetime-local"
                step={1}
                value={time}
                onChange={(e) => setTime(e.target.value)}
              />
            </div>
          ) : null}
        </fieldset>
        <div>
          <button type="submit" className="button">
            Browse
          </button>
        </div>
      </form>
      <KafkaCommand command={command} />
      <QueryState query={messages} what="the messages">
        {(page) =>
          page.messages.length === 0 ? (
            <Empty>
              <p>No messages {submitted.key ? `with key ${submitted.key} ` : ''}from there.</p>
            </Empty>
          ) : (
            <div className="stack">
              <p className="small muted">
                {page.messages.length} message{page.messages.length === 1 ? '' : 's'}, oldest first
                {page.next !== null &&
                submitted.partition !== null &&
                submitted.partition !== undefined
                  ? ` · next offset ${page.next}`
                  : ''}
              </p>
              <div className="message-list">
                {page.messages.map((message) => (
                  <MessageView key={`${message.partition}:${message.offset}`} message={message} />
                ))}
              </div>
              {page.next !== null &&
              submitted.partition !== null &&
              submitted.partition !== undefined ? (
                <div>
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => {
                      setFrom('offset');
                      setOffset(page.next ?? '0');
                      setSubmitted({ ...submitted, from: 'offset', offset: page.next ?? '0' });
                    }}
                  >
                    Next {submitted.limit} from offset {page.next}
                  </button>
                </div>
              ) : null}
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

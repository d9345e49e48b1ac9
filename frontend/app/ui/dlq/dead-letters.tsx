'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { redrive } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { DeadLetter, DeadLetterPage } from '../../lib/definitions';
import { fetchDeadLetters, fetchDlqStats } from '../../lib/data';
import { formatCount, formatDateTime, prettyJson } from '../../lib/format';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { QueryState } from '../query-state';
import { Empty, ErrorState } from '../states';

function Counts({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts);
  return (
    <div>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="small muted">none</p>
      ) : (
        <dl className="kv">
          {entries.map(([name, count]) => (
            <div key={name} style={{ display: 'contents' }}>
              <dt>{name}</dt>
              <dd>{formatCount(count)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function DlqStatsCard() {
  const stats = useGateway(['dlq-stats'], fetchDlqStats, { refetchInterval: 3000 });
  return (
    <section className="card" aria-labelledby="dlq-counts-title">
      <div className="card-header">
        <h2 id="dlq-counts-title">Counts</h2>
        <span className="small muted">GET /metrics/dlq</span>
      </div>
      <QueryState query={stats} what="the dead-letter counts">
        {(s) => (
          <div className="stack">
            <div className="stat-grid">
              <div className="stat">
                <div className="stat-label">dead letters</div>
                <div className="stat-value" data-testid="dlq-total">
                  {formatCount(s.total)}
                </div>
              </div>
              <div className="stat">
                <div className="stat-label">redriven</div>
                <div className="stat-value">{formatCount(s.redriven)}</div>
              </div>
            </div>
            <div className="grid-3">
              <Counts title="By reason" counts={s.byReason} />
              <Counts title="By source topic" counts={s.bySourceTopic} />
              <Counts title="By consumer group" counts={s.byGroup} />
            </div>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function Letter({ letter }: { letter: DeadLetter }) {
  const base = useApiUrl();
  const queryClient = useQueryClient();
  const mutation = useMutation<unknown, ApiError>({
    mutationFn: () => redrive(base, letter.offset),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [base, 'dlq'] });
      void queryClient.invalidateQueries({ queryKey: [base, 'dlq-stats'] });
    },
  });
  const headers = letter.headers
    ? Object.entries(letter.headers)
    : ([
        ['dlq-reason', letter.reason],
        ['dlq-error', letter.error],
        ['dlq-consumer-group', letter.group],
        ['original-topic', letter.sourceTopic],
        ['original-partition', letter.sourcePartition],
        ['original-offset', letter.sourceOffset],
        ['retry-attempt', letter.retries],
        ['event-type', letter.eventType],
      ].filter(([, value]) => value !== null && value !== '') as [string, string | number][]);
  const canRedrive = letter.group !== null && letter.sourceTopic !== null;
  return (
    <details
      className="message"
      data-testid="dead-letter"
      data-offset={letter.offset}
      data-key={letter.key ?? ''}
    >
      <summary>
        <span className="mono">offset {letter.offset}</span>
        <span className="badge badge-bad">{letter.reason}</span>
        {letter.redriven ? <span className="badge badge-ok">redriven</span> : null}
        <span>{letter.eventType ?? 'unknown type'}</span>
        <span className="mono">key {letter.key ?? 'null'}</span>
        <span className="muted">{formatDateTime(letter.at)}</span>
      </summary>
      <div className="message-body">
        <dl className="kv">
          <dt>Error</dt>
          <dd>{letter.error || '–'}</dd>
          <dt>From</dt>
          <dd>
            {letter.sourceTopic ?? '?'} partition {letter.sourcePartition ?? '?'} offset{' '}
            {letter.sourceOffset ?? '?'}
          </dd>
          <dt>Gave up</dt>
          <dd>{letter.group ?? 'unknown group'}</dd>
          {letter.key ? (
            <>
              <dt>Order</dt>
              <dd>
                <Link href={`/orders/${letter.key}`}>{letter.key}</Link>
              </dd>
            </>
          ) : null}
        </dl>
        <h3>Headers</h3>
        <dl className="kv">
          {headers.map(([name, value]) => (
            <div key={name} style={{ display: 'contents' }}>
              <dt>{name}</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
        <h3>Raw payload ({formatCount(letter.valueBytes)} bytes, card numbers masked)</h3>
        <pre className="json" tabIndex={0}>
          {prettyJson(letter.valuePreview)}
        </pre>
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={!canRedrive || mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            {mutation.isPending ? 'Redriving…' : letter.redriven ? 'Redrive again' : 'Redrive'}
          </button>
          <span className="small muted">
            Writes it back to orders.retry.v1 for {letter.group ?? 'its group'}, attempt 1, due now.
          </span>
        </div>
        {mutation.isSuccess ? (
          <p className="success" role="status">
            Sent back to orders.retry.v1.{' '}
            {letter.key ? <Link href={`/orders/${letter.key}`}>Watch the order</Link> : null}
          </p>
        ) : null}
        {mutation.isError ? (
          <ErrorState error={mutation.error} apiUrl={base} what="the redrive" />
        ) : null}
      </div>
    </details>
  );
}

export function DeadLetterList({ initial }: { initial?: DeadLetterPage }) {
  const query = useGateway(['dlq'], (base) => fetchDeadLetters(base, 100), {
    refetchInterval: 3000,
    initialData: initial,
  });
  return (
    <section className="card" aria-labelledby="dlq-list-title">
      <div className="card-header">
        <h2 id="dlq-list-title">Dead letters</h2>
        <span className="small muted">orders.dlq.v1, newest first</span>
      </div>
      <QueryState query={query} what="the dead letters">
        {(page) =>
          page.entries.length === 0 ? (
            <Empty>
              <p>
                No dead letters. The queue fills when a record exhausts its retries or cannot be
                parsed.
              </p>
              <p>
                Try the <Link href="/orders/new">flaky inventory preset</Link>, or produce a poison
                pill from the <Link href="/explorer/topics/orders.v1">explorer</Link>.
              </p>
            </Empty>
          ) : (
            <div className="message-list">
              {page.entries.map((letter) => (
                <Letter key={letter.offset} letter={letter} />
              ))}
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

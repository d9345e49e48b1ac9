'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { startScenario } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { ScenarioRun } from '../../lib/definitions';
import { fetchLatestRun, fetchRun } from '../../lib/data';
import { formatClock, formatDateTime, formatDuration } from '../../lib/format';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { Badge } from '../badges';
import { Empty, ErrorState, Loading } from '../states';

function checkMark(passed: boolean | null): string {
  return passed === true ? '✓' : passed === false ? '✗' : '…';
}

/** While the run goes on, checks can still change: only its end gives the verdict. */
function verdictTitle(run: ScenarioRun): string {
  if (run.status === 'running') {
    return run.verdict.passed === false ? 'Verdict so far: failing' : 'Verdict: not decided yet';
  }
  return run.status === 'passed' ? 'Verdict: passed' : 'Verdict: failed';
}

function RunView({ run }: { run: ScenarioRun }) {
  const verdict = run.verdict;
  const ended = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  return (
    <div className="stack" data-testid="run" data-run-id={run.runId} data-status={run.status}>
      <p className="row">
        <Badge value={run.status} testId="run-status" />
        <span className="small muted">
          started {formatDateTime(run.startedAt)} · {run.endedAt ? 'took' : 'running for'}{' '}
          {formatDuration(ended - Date.parse(run.startedAt))}
        </span>
      </p>
      <div
        className="verdict"
        data-testid="verdict"
        data-passed={
          run.status === 'running' || verdict.passed === null ? 'pending' : String(verdict.passed)
        }
      >
        <h3>{verdictTitle(run)}</h3>
        <p>{verdict.summary}</p>
        <ul className="checks">
          {verdict.checks.map((check) => (
            <li
              key={check.name}
              className="check"
              data-testid="verdict-check"
              data-name={check.name}
              data-passed={check.passed === null ? 'pending' : String(check.passed)}
            >
              <span aria-hidden="true">{checkMark(check.passed)}</span>
              <span>
                <strong>{check.name}</strong>
                <span className="visually-hidden">
                  {check.passed === null ? ' pending' : check.passed ? ' passed' : ' failed'}
                </span>
                {check.detail ? <span>: {check.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      </div>
      {run.orders.length > 0 ? (
        <p className="small">
          Orders:{' '}
          {run.orders.map((orderId, index) => (
            <span key={orderId}>
              {index > 0 ? ', ' : ''}
              <Link href={`/orders/${orderId}`} className="mono">
                {orderId.slice(0, 8)}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
      <div>
        <h3>Run log</h3>
        {run.log.length === 0 ? (
          <p className="small muted">Nothing logged yet.</p>
        ) : (
          <ol className="log" tabIndex={0} aria-label="Run log" data-testid="run-log">
            {run.log.map((line, index) => (
              <li key={index}>
                <span className="muted">{formatClock(line.at)}</span> {line.text}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

export function ScenarioRunner({ scenarioId }: { scenarioId: string }) {
  const base = useApiUrl();
  const router = useRouter();
  const pathname = usePathname();
  // The run shown is in the address (?run=), so that a reload or a shared link shows it again.
  const runId = useSearchParams().get('run');
  const setRunId = (id: string) =>
    router.replace(`${pathname}?run=${encodeURIComponent(id)}`, { scroll: false });
  // Asked for on demand: GET …/runs/latest answers 404 until a first run, which browsers log.
  const [wantLatest, setWantLatest] = useState(false);
  const latest = useGateway(
    ['scenario-latest', scenarioId],
    (url) => fetchLatestRun(url, scenarioId),
    {
      enabled: runId === null && wantLatest,
      refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
    },
  );
  const current = useGateway(['scenario-run', runId], (url) => fetchRun(url, runId ?? ''), {
    enabled: runId !== null,
    refetchInterval: (q) =>
      q.state.data?.status === 'passed' || q.state.data?.status === 'failed' ? false : 1000,
  });
  const start = useMutation<{ runId: string }, ApiError>({
    mutationFn: () => startScenario(base, scenarioId),
    onSuccess: ({ runId: id }) => setRunId(id),
  });
  const run = runId !== null ? current.data : latest.data;
  const running = run?.status === 'running';
  const source = runId !== null ? current : latest;

  return (
    <section className="card stack" aria-labelledby="run-title">
      <div className="card-header">
        <h2 id="run-title">Run it</h2>
        <button
          type="button"
          className="button"
          onClick={() => start.mutate()}
          disabled={start.isPending || running}
        >
          {start.isPending
            ? 'Starting…'
            : running
              ? 'Running…'
              : run
                ? 'Run again'
                : 'Run the scenario'}
        </button>
      </div>
      {start.isError ? (
        <ErrorState error={start.error} apiUrl={base} what="starting the scenario" />
      ) : null}
      {run ? (
        <>
          {source.isError ? (
            <p className="stale" role="status">
              Showing the last data: {source.error.message}
            </p>
          ) : null}
          <RunView run={run} />
        </>
      ) : source.isError && source.error.status === 404 && !source.error.notServed ? (
        <Empty>
          <p>
            Not run yet. One click runs it against the live stack, and the verdict is computed from
            the topics.
          </p>
        </Empty>
      ) : source.isError ? (
        <ErrorState error={source.error} apiUrl={base} what="the scenario's runs" />
      ) : source.isLoading || start.isPending || runId !== null ? (
        <Loading label="Loading the run…" />
      ) : (
        <Empty>
          <p>One click runs it against the live stack; its log and verdict appear here.</p>
          <p>
            <button type="button" className="button-small" onClick={() => setWantLatest(true)}>
              Show the latest run
            </button>
          </p>
        </Empty>
      )}
    </section>
  );
}

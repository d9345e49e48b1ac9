import Link from 'next/link';
import type { Waterfall as WaterfallModel } from '../../lib/timeline';
import { formatClock, formatDuration } from '../../lib/format';

function pct(ms: number, span: number): string {
  return `${Math.max(0, Math.min(100, (ms / span) * 100)).toFixed(2)}%`;
}

function hopId(index: number): string {
  return `hop-${index}`;
}

/** The saga as a waterfall: one row per record, its bar on the order's time axis. */
export function Waterfall({ model }: { model: WaterfallModel }) {
  const { hops, span } = model;
  return (
    <div className="stack">
      <div className="legend" aria-hidden="true">
        <span>
          <span className="swatch bar-wait" />
          waiting in the topic
        </span>
        <span>
          <span className="swatch bar-process" />
          processing
        </span>
        <span>
          <span className="swatch bar-span" />
          since its cause (not measured apart)
        </span>
        <span>0 – {formatDuration(span)}</span>
      </div>
      <ol className="waterfall" aria-label="Saga timeline">
        {hops.map((hop, index) => {
          const { entry } = hop;
          const cause = hop.cause !== null ? hops[hop.cause] : undefined;
          const undone = hop.compensates !== null ? hops[hop.compensates] : undefined;
          const measured = hop.waitMs !== null || hop.processMs !== null;
          const timing = measured
            ? [
                hop.waitMs !== null ? `waited ${formatDuration(hop.waitMs)}` : null,
                hop.processMs !== null ? `processed in ${formatDuration(hop.processMs)}` : null,
              ]
                .filter(Boolean)
                .join(', ')
            : cause
              ? `${formatDuration(hop.at - cause.at)} after ${cause.entry.type}`
              : null;
          return (
            <li
              key={`${entry.topic}:${entry.partition}:${String(entry.offset)}:${entry.type}`}
              id={hopId(index)}
              className={`hop hop-${hop.kind}`}
              data-testid="timeline-entry"
              data-type={entry.type}
              data-kind={hop.kind}
              data-topic={entry.topic}
              data-partition={entry.partition}
              data-offset={String(entry.offset)}
              data-event-id={entry.eventId}
              data-compensates={undone?.entry.eventId ?? (undone ? undone.entry.type : undefined)}
            >
              <div>
                <div className="hop-title">
                  <span>{entry.type}</span>
                  {hop.kind === 'retry' ? <span className="badge badge-wait">retry</span> : null}
                  {hop.kind === 'dead-letter' ? (
                    <span className="badge badge-bad">dead letter</span>
                  ) : null}
                  {hop.terminal && hop.kind !== 'dead-letter' ? (
                    <span className="badge badge-muted">outcome</span>
                  ) : null}
                </div>
                <div className="hop-meta">
                  <Link href={`/explorer/topics/${encodeURIComponent(entry.topic)}`}>
                    {entry.topic}
                  </Link>{' '}
                  · partition {entry.partition} · offset {String(entry.offset)} ·{' '}
                  {formatClock(entry.timestamp)} · +{formatDuration(hop.at)}
                </div>
                {hop.attemptLabel ? (
                  <div className="hop-meta" data-testid="attempt">
                    {hop.attemptLabel}
                  </div>
                ) : null}
                {entry.error ? <div className="hop-meta">error: {entry.error}</div> : null}
                {entry.reason || entry.group ? (
                  <div className="hop-meta">
                    {entry.reason ? `reason: ${entry.reason}` : ''}
                    {entry.group ? ` · group ${entry.group}` : ''}
                  </div>
                ) : null}
                {undone && hop.compensates !== null ? (
                  <div className="hop-link" data-testid="compensates">
                    ↩ undoes <a href={`#${hopId(hop.compensates)}`}>{undone.entry.type}</a> (
                    {undone.entry.topic} offset {String(undone.entry.offset)})
                  </div>
                ) : null}
                {hop.compensatedBy.map((by) => (
                  <div className="hop-link" key={by}>
                    undone by <a href={`#${hopId(by)}`}>{hops[by]!.entry.type}</a>
                  </div>
                ))}
                {timing ? <div className="hop-meta">{timing}</div> : null}
              </div>
              <div className="hop-track" aria-hidden="true">
                {measured ? (
                  <>
                    {hop.waitMs !== null ? (
                      <span
                        className="bar bar-wait"
                        style={{ left: pct(hop.start, span), width: pct(hop.waitMs, span) }}
                      />
                    ) : null}
                    {hop.processMs !== null ? (
                      <span
                        className="bar bar-process"
                        style={{
                          left: pct(hop.start + (hop.waitMs ?? 0), span),
                          width: pct(hop.processMs, span),
                        }}
                      />
                    ) : null}
                  </>
                ) : hop.at > hop.start ? (
                  <span
                    className="bar bar-span"
                    style={{ left: pct(hop.start, span), width: pct(hop.at - hop.start, span) }}
                  />
                ) : null}
                <span className="bar-marker" style={{ left: `calc(${pct(hop.at, span)} - 1px)` }} />
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

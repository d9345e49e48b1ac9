import type { GroupCursor, PartitionInfo } from '../../lib/definitions';

const COLORS = [
  '#b42318',
  '#1a56b8',
  '#136336',
  '#7a3db8',
  '#8a5300',
  '#0b6b74',
  '#c2185b',
  '#37474f',
];

export function groupColor(index: number): string {
  return COLORS[index % COLORS.length]!;
}

function ratio(offset: bigint, max: bigint): number {
  if (max <= 0n) return 0;
  return Math.max(0, Math.min(100, Number((offset * 10_000n) / max) / 100));
}

function position(offset: bigint, max: bigint): string {
  return `${ratio(offset, max)}%`;
}

function big(value: string | null | undefined): bigint | null {
  if (value === null || value === undefined || !/^-?\d+$/.test(value)) return null;
  return BigInt(value);
}

/**
 * Each partition as a log lane from offset 0 to the topic's largest log end, the records kept
 * (low to high watermark) drawn on it, and every group's committed offset as a cursor.
 */
export function PartitionLanes({
  topic,
  partitions,
  groups,
}: {
  topic: string;
  partitions: PartitionInfo[];
  groups: GroupCursor[];
}) {
  const max = partitions.reduce((m, p) => {
    const high = big(p.high) ?? 0n;
    return high > m ? high : m;
  }, 0n);
  const laneHeight = `${Math.max(2.6, groups.length * 1 + 0.6)}rem`;
  return (
    <div>
      {groups.length > 0 ? (
        <div className="swatches" aria-label="Consumer groups">
          {groups.map((group, index) => (
            <span key={group.groupId}>
              <span
                className="swatch"
                style={{ background: groupColor(index) }}
                aria-hidden="true"
              />
              {group.groupId} <span className="muted">({group.state})</span>
            </span>
          ))}
        </div>
      ) : (
        <p className="small muted">No consumer group has committed offsets on this topic.</p>
      )}
      <div style={{ marginTop: '0.6rem' }}>
        {partitions.map((p) => {
          const low = big(p.low) ?? 0n;
          const high = big(p.high) ?? 0n;
          const cursors = groups.map((group, index) => {
            const offset = group.offsets.find((o) => o.partition === p.partition);
            return { group, index, committed: big(offset?.committed), lag: offset?.lag ?? null };
          });
          const label = `${topic} partition ${p.partition}: records ${p.low} to ${p.high} (${p.messages} kept), leader ${p.leader}. ${cursors
            .map((c) =>
              c.committed === null
                ? `${c.group.groupId} has no committed offset`
                : `${c.group.groupId} at ${c.committed.toString()}, lag ${c.lag ?? 'unknown'}`,
            )
            .join('; ')}`;
          return (
            <div
              className="lane"
              key={p.partition}
              data-testid="partition-lane"
              data-topic={topic}
              data-partition={p.partition}
            >
              <div className="lane-label">
                p{p.partition}
                <br />
                <span className="muted">leader {p.leader}</span>
              </div>
              <div
                className="lane-track"
                role="img"
                aria-label={label}
                style={{ height: laneHeight }}
              >
                <span
                  className="lane-log"
                  style={{
                    left: position(low, max),
                    width: `calc(${position(high, max)} - ${position(low, max)})`,
                  }}
                />
                {cursors.map(({ group, index, committed, lag }) =>
                  committed === null ? null : (
                    <span
                      key={group.groupId}
                      className="cursor"
                      data-testid="cursor"
                      data-group={group.groupId}
                      data-offset={committed.toString()}
                      style={{ left: position(committed, max), background: groupColor(index) }}
                      title={`${group.groupId}: committed ${committed.toString()}, lag ${lag ?? '?'}`}
                    >
                      <span
                        className="cursor-label"
                        // Past the middle a label goes left of its cursor: it never leaves the lane.
                        style={{
                          top: `${index * 1}rem`,
                          color: groupColor(index),
                          ...(ratio(committed, max) > 50 ? { right: '5px' } : { left: '5px' }),
                        }}
                      >
                        {committed.toString()}
                        {lag ? ` (lag ${lag})` : ''}
                      </span>
                    </span>
                  ),
                )}
                <span className="lane-ends" aria-hidden="true">
                  <span>{p.low}</span>
                  <span>log end {p.high}</span>
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

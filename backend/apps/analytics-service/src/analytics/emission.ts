import {
  snapshot,
  windowStartOf,
  type AnalyticsState,
  type TopProducts,
  type Window,
} from './window.js';

/**
 * Which snapshots a tick of the emitter publishes. The current window is published at every
 * tick, so the dashboard sees it grow. A window that closed gets one final snapshot, and another
 * whenever a late event changes it while it is still kept (see `keepWindowsFor`).
 */

export interface EmissionState {
  /** The window that was current at the last tick. */
  readonly current: number | undefined;
  /** Closed windows whose final snapshot went out, with the window as it was then. */
  readonly finals: ReadonlyMap<number, Window | undefined>;
}

export const initialEmission: EmissionState = { current: undefined, finals: new Map() };

export interface Tick {
  /** Oldest window first; the current window last. */
  readonly snapshots: TopProducts[];
  /** The emission state once every snapshot of this tick is published. */
  readonly next: EmissionState;
}

export function planTick(
  state: AnalyticsState,
  emission: EmissionState,
  now: number,
  topN: number,
): Tick {
  const current = windowStartOf(now, state.windowMs);
  const closed = new Set([...state.windows.keys()].filter((start) => start < current));
  if (emission.current !== undefined && emission.current < current) closed.add(emission.current);

  const finals = new Map(
    [...emission.finals].filter(([start]) => start >= state.horizon && start < current),
  );
  const due = [...closed]
    .filter((start) => start >= state.horizon)
    .filter((start) => !finals.has(start) || finals.get(start) !== state.windows.get(start))
    .sort((a, b) => a - b);
  for (const start of due) finals.set(start, state.windows.get(start));

  return {
    snapshots: [...due, current].map((start) => snapshot(state, start, topN)),
    next: { current, finals },
  };
}

/**
 * How many windows to keep (the current one included) so that every window that closes between
 * two ticks is still there for its final snapshot, and late events for it are still counted.
 */
export function keepWindowsFor(windowMs: number, emitIntervalMs: number): number {
  return 1 + Math.max(1, Math.ceil(emitIntervalMs / windowMs));
}

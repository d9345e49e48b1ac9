import type { StreamState } from '../../lib/hooks';

const TEXT: Record<StreamState, string> = {
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting',
  off: 'paused',
};

export function StreamStatus({ state, apiUrl }: { state: StreamState; apiUrl: string }) {
  return (
    <span className="small" role="status" data-testid="stream-state" data-state={state}>
      <span className={`live-dot ${state}`} aria-hidden="true" />
      {state === 'reconnecting' ? `gateway unreachable at ${apiUrl}, reconnecting…` : TEXT[state]}
    </span>
  );
}

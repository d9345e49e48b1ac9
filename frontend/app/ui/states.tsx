import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

function pathOf(url: string, apiUrl: string): string {
  return url.startsWith(apiUrl) ? url.slice(apiUrl.length) || '/' : url;
}

/** What went wrong with the gateway, and what the learner can do about it. */
export function ErrorState({
  error,
  apiUrl,
  what,
}: {
  error: unknown;
  apiUrl: string;
  what?: string;
}) {
  if (error instanceof ApiError && error.unreachable) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">Gateway unreachable at {apiUrl}</p>
        <p>
          The dashboard could not reach the api-gateway{what ? ` for ${what}` : ''}. Start the stack
          with <code>npm start</code> (or the gateway alone with{' '}
          <code>npm exec -- node backend/apps/api-gateway/dist/main.js</code>), or point the
          dashboard at another gateway with <code>API_URL</code>. This page retries by itself.
        </p>
      </div>
    );
  }
  if (error instanceof ApiError && error.notServed) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">Not served by this gateway (404)</p>
        <p>
          The gateway at {apiUrl} does not serve <code>{pathOf(error.url, apiUrl)}</code>. It is
          part of the dashboard&apos;s contract; update the gateway to a version that serves it.
        </p>
      </div>
    );
  }
  if (error instanceof ApiError) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">
          The gateway answered {error.status} <code>{error.code}</code>
        </p>
        <p>{error.message}</p>
        {error.status === 503 ? (
          <p>
            Kafka may be down or still starting: the gateway refuses this until its broker answers.
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">Something went wrong</p>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}

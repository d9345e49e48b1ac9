'use client';

import { useApiUrl } from '../lib/hooks';
import { ErrorState } from './states';

/** What every route's error.tsx shows: the error as a state, and a way to try again. */
export function RouteError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const apiUrl = useApiUrl();
  return (
    <section aria-labelledby="route-error-title" className="page">
      <h1 id="route-error-title">This page could not be shown</h1>
      <ErrorState error={error} apiUrl={apiUrl} />
      <p>
        If the gateway at {apiUrl} is down, start it and try again.
        {error.digest ? ` (error ${error.digest}, see the dashboard's log)` : ''}
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}

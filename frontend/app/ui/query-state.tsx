'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ApiError } from '../lib/api';
import { useApiUrl } from '../lib/hooks';
import { ErrorState, Loading } from './states';

/**
 * A query's three states: loading, error (the gateway down is a state, not a crash), data. A
 * failed refresh keeps the last data on screen and says it is stale.
 */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T, ApiError>;
  what?: string;
  children: (data: T) => ReactNode;
}) {
  const apiUrl = useApiUrl();
  if (query.data !== undefined) {
    return (
      <>
        {query.isError ? (
          <p className="stale" role="status">
            Showing the last data:{' '}
            {query.error.unreachable ? `gateway unreachable at ${apiUrl}` : query.error.message}
          </p>
        ) : null}
        {children(query.data)}
      </>
    );
  }
  if (query.isError) {
    return (
      <div className="stack">
        <ErrorState error={query.error} apiUrl={apiUrl} what={what} />
        <div>
          <button
            type="button"
            className="button-small"
            onClick={() => void query.refetch()}
            disabled={query.isFetching}
          >
            {query.isFetching ? 'Asking again…' : 'Try again'}
          </button>
        </div>
      </div>
    );
  }
  return <Loading label={what ? `Loading ${what}…` : undefined} />;
}

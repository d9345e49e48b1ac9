'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from './lib/api';
import { ApiUrlContext } from './lib/hooks';
import { PageviewTracker } from './ui/pageview-tracker';

function retry(failures: number, error: Error): boolean {
  // A 4xx will not change by asking again; an unreachable gateway is asked again by the poll.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 1;
}

export function Providers({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry, refetchOnWindowFocus: false, staleTime: 1000 },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <ApiUrlContext.Provider value={apiUrl}>
      <QueryClientProvider client={client}>
        <PageviewTracker />
        {children}
      </QueryClientProvider>
    </ApiUrlContext.Provider>
  );
}

'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from './lib/api';
import { ApiUrlContext } from './lib/hooks';
import { PageviewTracker } from './ui/pageview-tracker';

function retry(failures: number, error: Error): boolean {
  // A 4xx will not change by asking again, and an unreachable gateway is shown at once (the
  // polls ask again anyway); only a 5xx gets one more try.
  if (error instanceof ApiError && error.status < 500) return false;
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

'use client';

import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { ApiError } from './api';
import type { StreamedRecord } from './definitions';

export const ApiUrlContext = createContext<string>('');

/** The gateway's base URL, as the root layout read it from API_URL. */
export function useApiUrl(): string {
  return useContext(ApiUrlContext);
}

type GatewayQueryOptions<T> = Omit<UseQueryOptions<T, ApiError>, 'queryKey' | 'queryFn'>;

/** A query of the gateway; the key gets the base URL so that two gateways never share a cache. */
export function useGateway<T>(
  key: readonly unknown[],
  read: (base: string) => Promise<T>,
  options: GatewayQueryOptions<T> = {},
) {
  const base = useApiUrl();
  return useQuery<T, ApiError>({ queryKey: [base, ...key], queryFn: () => read(base), ...options });
}

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'off';

export interface StreamFilter {
  topics?: readonly string[];
  key?: string;
}

/**
 * GET /events as a stream of records (EventSource reconnects by itself). The filter goes to the
 * gateway and is applied here too, so that an older gateway that sends everything still works.
 */
export function useEventStream(
  filter: StreamFilter,
  onRecord: (record: StreamedRecord) => void,
  enabled = true,
): StreamState {
  const base = useApiUrl();
  const [state, setState] = useState<StreamState>(enabled ? 'connecting' : 'off');
  const handler = useRef(onRecord);
  useEffect(() => {
    handler.current = onRecord;
  });
  const topics = filter.topics?.join(',') ?? '';
  const key = filter.key ?? '';

  useEffect(() => {
    if (!enabled || !base) {
      setState('off');
      return;
    }
    const search = new URLSearchParams();
    for (const topic of topics ? topics.split(',') : []) search.append('topic', topic);
    if (key) search.set('key', key);
    const query = search.toString();
    const wanted = new Set(topics ? topics.split(',') : []);
    const source = new EventSource(`${base}/events${query ? `?${query}` : ''}`);
    setState('connecting');
    source.onopen = () => setState('open');
    source.onerror = () => setState('reconnecting');
    source.onmessage = (message: MessageEvent<string>) => {
      let record: StreamedRecord;
      try {
        record = JSON.parse(message.data) as StreamedRecord;
      } catch {
        return;
      }
      if (wanted.size > 0 && !wanted.has(record.topic)) return;
      if (key && record.key !== key && record.event?.orderId !== key) return;
      handler.current(record);
    };
    return () => source.close();
  }, [base, topics, key, enabled]);

  return state;
}

/** The current time, ticking every `everyMs` (for ages and countdowns). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { produceMessage } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { Produced, ProduceRequest } from '../../lib/definitions';
import { parseHeaderLines } from '../../lib/headers';
import { produceCommand } from '../../lib/kafka-commands';
import { useApiUrl } from '../../lib/hooks';
import { KafkaCommand } from '../command';
import { ErrorState } from '../states';
import { useBootstrap } from './cluster';

export function ProduceForm({ topic }: { topic: string }) {
  const base = useApiUrl();
  const bootstrap = useBootstrap();
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('{ "hello": "kafka" }');
  const [headerText, setHeaderText] = useState('source: dashboard');
  const headers = parseHeaderLines(headerText);
  const mutation = useMutation<Produced, ApiError, ProduceRequest>({
    mutationFn: (message) => produceMessage(base, topic, message),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [base, 'topic', topic] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ key: key === '' ? null : key, value, headers });
  };
  return (
    <section className="card stack" aria-labelledby="produce-title">
      <h2 id="produce-title">Produce a message</h2>
      <p className="small muted">
        Raw bytes, not validated: a value that is not a valid event is a poison pill, which the
        consumers send to orders.dlq.v1.
      </p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="produce-key">
            Key <span className="field-hint">empty for no key; the key picks the partition</span>
          </label>
          <input id="produce-key" value={key} onChange={(e) => setKey(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="produce-value">Value</label>
          <textarea
            id="produce-value"
            rows={5}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="produce-headers">
            Headers <span className="field-hint">one per line, name: value</span>
          </label>
          <textarea
            id="produce-headers"
            rows={2}
            value={headerText}
            onChange={(e) => setHeaderText(e.target.value)}
          />
        </div>
        <div>
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Producing…' : 'Produce'}
          </button>
        </div>
      </form>
      {mutation.isSuccess ? (
        <p className="success" role="status" data-testid="produced">
          Written to {mutation.data.topic} partition {mutation.data.partition} at offset{' '}
          {mutation.data.offset}.
        </p>
      ) : null}
      {mutation.isError ? (
        <ErrorState error={mutation.error} apiUrl={base} what="producing" />
      ) : null}
      <KafkaCommand command={produceCommand(bootstrap, { topic, key, value, headers })} />
    </section>
  );
}

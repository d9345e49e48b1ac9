'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { setFaults } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { Faults } from '../../lib/definitions';
import { fetchFaults } from '../../lib/data';
import { useApiUrl, useGateway } from '../../lib/hooks';
import { QueryState } from '../query-state';
import { ErrorState } from '../states';

/** The fault switches (carried to the services through api-gateway.faults.v1). */
export function FaultsForm({ highlight = [] }: { highlight?: string[] }) {
  const base = useApiUrl();
  const queryClient = useQueryClient();
  const query = useGateway(['faults'], fetchFaults, { refetchInterval: 5000 });
  const [rate, setRate] = useState('0');
  const [limit, setLimit] = useState('500000');
  const [cards, setCards] = useState('');
  const current = query.data;
  useEffect(() => {
    if (!current) return;
    setRate(String(current.inventoryFailureRate));
    setLimit(String(current.paymentLimitCents));
    setCards(current.declinedCards.join(', '));
  }, [current]);
  const mutation = useMutation<Faults, ApiError, Partial<Faults>>({
    mutationFn: (faults) => setFaults(base, faults),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [base, 'faults'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      inventoryFailureRate: Number(rate),
      paymentLimitCents: Number(limit),
      declinedCards: cards
        .split(/[\s,]+/)
        .map((card) => card.trim())
        .filter(Boolean),
    });
  };
  const mark = (name: string) => (highlight.includes(name) ? ' (this scenario uses it)' : '');
  return (
    <section className="card stack" aria-labelledby="faults-title">
      <h2 id="faults-title">Fault switches</h2>
      <QueryState query={query} what="the fault switches">
        {() => (
          <form onSubmit={submit} className="stack">
            <div className="form-grid">
              <div className="field">
                <label htmlFor="fault-rate">
                  Inventory failure rate{mark('inventoryFailureRate')}{' '}
                  <span className="field-hint">0 to 1</span>
                </label>
                <input
                  id="fault-rate"
                  type="number"
                  min={0}
                  max={1}
                  step={0.1}
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="fault-limit">
                  Payment limit (cents){mark('paymentLimitCents')}
                </label>
                <input
                  id="fault-limit"
                  type="number"
                  min={1}
                  step={1}
                  value={limit}
                  onChange={(e) => setLimit(e.target.value)}
                  style={{ width: '9rem' }}
                />
              </div>
              <div className="field">
                <label htmlFor="fault-cards">Declined cards{mark('declinedCards')}</label>
                <input id="fault-cards" value={cards} onChange={(e) => setCards(e.target.value)} />
              </div>
            </div>
            <div className="row">
              <button type="submit" className="button-secondary" disabled={mutation.isPending}>
                Set the switches
              </button>
              <button
                type="button"
                className="button-secondary"
                disabled={mutation.isPending}
                onClick={() =>
                  mutation.mutate({
                    inventoryFailureRate: 0,
                    paymentLimitCents: 500_000,
                    declinedCards: ['4000000000000002'],
                  })
                }
              >
                Back to the defaults
              </button>
              {mutation.isSuccess ? (
                <span className="small" role="status">
                  Published to api-gateway.faults.v1.
                </span>
              ) : null}
            </div>
          </form>
        )}
      </QueryState>
      {mutation.isError ? (
        <ErrorState error={mutation.error} apiUrl={base} what="the fault switches" />
      ) : null}
    </section>
  );
}

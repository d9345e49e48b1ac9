import type { ReactNode } from 'react';

const TONES: Record<string, string> = {
  COMPLETED: 'ok',
  CANCELLED: 'bad',
  PENDING: 'wait',
  up: 'ok',
  down: 'bad',
  starting: 'wait',
  Stable: 'ok',
  Empty: 'muted',
  Dead: 'bad',
  PreparingRebalance: 'wait',
  CompletingRebalance: 'wait',
  passed: 'ok',
  failed: 'bad',
  running: 'wait',
};

export function Badge({
  value,
  children,
  testId,
}: {
  value: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`badge badge-${TONES[value] ?? 'muted'}`} data-testid={testId}>
      {children ?? value}
    </span>
  );
}

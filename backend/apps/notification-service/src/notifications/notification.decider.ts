import {
  productById,
  type CancellationReason,
  type EventOf,
  type OrderLine,
} from '@kafkadog/contracts';

/**
 * One email per order outcome, as a decider: `decide(state, outcome) → emails` (at most one),
 * `evolve(state, outcome) → state`. The state is per order: whether its email went out. The
 * adapter keeps the set of notified order ids and hands in `{ notified: set.has(orderId) }`,
 * so a second outcome for an order (a redelivery, a replay) sends nothing.
 */

export type NotificationInput = EventOf<'OrderCompleted'> | EventOf<'OrderCancelled'>;

export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export interface NotificationState {
  readonly notified: boolean;
}

export const initialNotificationState: NotificationState = { notified: false };

export function decide(state: NotificationState, outcome: NotificationInput): Email[] {
  if (state.notified) return [];
  switch (outcome.type) {
    case 'OrderCompleted':
      return [confirmation(outcome)];
    case 'OrderCancelled':
      return [cancellation(outcome)];
    default:
      return unreachable(outcome);
  }
}

export function evolve(state: NotificationState, outcome: NotificationInput): NotificationState {
  switch (outcome.type) {
    case 'OrderCompleted':
    case 'OrderCancelled':
      return state.notified ? state : { notified: true };
    default:
      return unreachable(outcome);
  }
}

const reasonWording: Record<CancellationReason, string> = {
  payment: 'payment declined',
  inventory: 'out of stock',
  timeout: 'timed out',
};

function confirmation(event: EventOf<'OrderCompleted'>): Email {
  const { customerEmail, items, total } = event.data;
  const id = shortId(event);
  return {
    to: customerEmail,
    subject: `Your order ${id} is confirmed`,
    body: [
      `Thank you! Your order ${id} is confirmed:`,
      '',
      ...items.map(describeLine),
      '',
      `Total: ${formatCents(total)}`,
    ].join('\n'),
  };
}

function cancellation(event: EventOf<'OrderCancelled'>): Email {
  const { customerEmail, reasons, details } = event.data;
  const id = shortId(event);
  const why = reasons.map((reason) => reasonWording[reason]).join(', ');
  return {
    to: customerEmail,
    subject: `Your order ${id} was cancelled (${why})`,
    body: [
      `We are sorry: your order ${id} was cancelled (${why}).`,
      ...(details.length > 0 ? [`Details: ${details.join('; ')}`] : []),
      '',
      'You have not been charged, and any stock held for you has been released.',
    ].join('\n'),
  };
}

function describeLine({ productId, quantity, unitPrice }: OrderLine): string {
  const name = productById(productId)?.name ?? productId;
  return `  ${quantity} × ${name} at ${formatCents(unitPrice)}`;
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(cents: number): string {
  return dollars.format(cents / 100);
}

function shortId(event: NotificationInput): string {
  return (event.orderId ?? event.correlationId).slice(0, 8);
}

function unreachable(value: never): never {
  throw new Error(`Unhandled outcome ${(value as { type: string }).type}`);
}

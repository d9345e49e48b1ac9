import { topics, type KafkadogEvent, type TopicSpec } from '@kafkadog/contracts';
import { z } from 'zod';
import type { Email, NotificationInput, NotificationState } from './notification.decider.js';

/** What the notification service reads and writes. It has no variables of its own. */
export const notificationConfig = {
  groupId: 'notification-service',
  inputs: [topics.outcomes] as readonly TopicSpec[],
  state: topics.notificationState,
  /**
   * Exactly-once: at most one transaction per 100 ms (the library's default is 20). Emails are
   * off the orders' path, so waiting costs no order anything, and each transaction costs the
   * same handful of requests however few outcomes it carries.
   */
  transactionIntervalMs: 100,
  /** Everything it touches, created at start if missing (as `npm run topics:create` would). */
  topics: [
    topics.outcomes,
    topics.retry,
    topics.dlq,
    topics.notificationState,
  ] as readonly TopicSpec[],
} as const;

/** An order's notification state as stored in notification-service.state.v1. */
export const NotificationStateSchema = z.object({
  notified: z.boolean(),
}) satisfies z.ZodType<NotificationState>;

export function isNotificationInput(event: KafkadogEvent): event is NotificationInput {
  return event.type === 'OrderCompleted' || event.type === 'OrderCancelled';
}

/** The one log line that stands for a sent email. */
export function emailLine(email: Email, orderId: string): string {
  return `email sent to=${email.to} subject=${JSON.stringify(email.subject)} order=${orderId}`;
}

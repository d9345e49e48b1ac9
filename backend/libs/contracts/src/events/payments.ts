import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { Cents } from './orders.js';

export const DeclineReason = z.enum(['card_declined', 'limit_exceeded']);
export type DeclineReason = z.infer<typeof DeclineReason>;

export const PaymentAuthorized = defineEvent(
  'PaymentAuthorized',
  z.object({ paymentId: z.uuid(), amount: Cents }),
);

export const PaymentDeclined = defineEvent(
  'PaymentDeclined',
  z.object({ amount: Cents, reason: DeclineReason }),
);

/** Compensation: undoes PaymentAuthorized when the order is cancelled for another reason. */
export const PaymentVoided = defineEvent(
  'PaymentVoided',
  z.object({ paymentId: z.uuid(), amount: Cents }),
);

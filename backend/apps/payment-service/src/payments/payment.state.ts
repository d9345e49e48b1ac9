import { Cents, DeclineReason } from '@kafkadog/contracts';
import { z } from 'zod';
import type { PaymentState } from './payment.decider.js';

/** An order's payment state as stored in payment-service.state.v1, checked on every load. */
export const PaymentStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('undecided') }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('authorized'), paymentId: z.uuid(), amount: Cents }),
  z.object({ status: z.literal('declined'), reason: DeclineReason, amount: Cents }),
  z.object({ status: z.literal('voided'), paymentId: z.uuid(), amount: Cents }),
]) satisfies z.ZodType<PaymentState>;

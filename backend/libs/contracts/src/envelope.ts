import { z } from 'zod';

/**
 * The envelope every kafkadog event travels in. `correlationId` is the order's id through the
 * whole saga; `causationId` is the id of the event that caused this one (null for an event a
 * person caused, such as an HTTP request).
 */
export const envelopeFields = {
  id: z.uuid(),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  orderId: z.uuid().optional(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
};

/** Defines the schema of one event type: the envelope with a literal `type` and its `data`. */
export function defineEvent<const TType extends string, TData extends z.ZodType>(
  type: TType,
  data: TData,
) {
  return z.object({ ...envelopeFields, type: z.literal(type), data });
}

/** Just the envelope, with `data` left opaque: enough to route, count or dead-letter a message. */
export const AnyEnvelope = z.object({
  ...envelopeFields,
  type: z.string().min(1),
  data: z.unknown(),
});
export type AnyEnvelope = z.infer<typeof AnyEnvelope>;

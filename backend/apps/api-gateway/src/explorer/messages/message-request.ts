import { z } from 'zod';

export const MAX_BROWSE_LIMIT = 200;

const wholeNumber = z.string().regex(/^\d{1,19}$/, 'must be a whole number');

/** `2025-01-31T10:00:00Z` or epoch milliseconds. */
const instant = z.union([
  wholeNumber.transform(Number),
  z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO date or epoch milliseconds')
    .transform((text) => Date.parse(text)),
]);

/** GET /explorer/topics/:name/messages */
export const BrowseQuery = z
  .object({
    partition: wholeNumber.transform(Number).optional(),
    from: z.enum(['earliest', 'latest', 'offset', 'timestamp']).default('latest'),
    offset: wholeNumber.transform(BigInt).optional(),
    timestamp: instant.optional(),
    limit: wholeNumber.transform(Number).pipe(z.number().min(1).max(MAX_BROWSE_LIMIT)).default(50),
    key: z.string().min(1).max(1_000).optional(),
  })
  .superRefine((query, context) => {
    if (query.from === 'offset' && query.offset === undefined) {
      context.addIssue({ code: 'custom', path: ['offset'], message: 'required with from=offset' });
    }
    if (query.from === 'timestamp' && query.timestamp === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['timestamp'],
        message: 'required with from=timestamp',
      });
    }
  });
export type BrowseQuery = z.infer<typeof BrowseQuery>;

/**
 * POST /explorer/topics/:name/messages. The value is bytes for Kafka and is not checked against
 * the topic's events: producing a poison pill on purpose is a lesson, not a mistake.
 */
export const ProduceRequest = z.strictObject({
  key: z.string().max(1_000).nullable().optional(),
  value: z.string(),
  headers: z.record(z.string().min(1).max(200), z.string()).optional(),
  partition: z.number().int().min(0).optional(),
});
export type ProduceRequest = z.infer<typeof ProduceRequest>;

/** Small builders for the OpenAPI 3.0 document (no JSON Schema 2020 keywords). */
import { z } from 'zod';

export type Schema = Record<string, unknown>;

/**
 * A request body schema, from the same zod schema that validates it, in OpenAPI 3.0's dialect
 * (boolean `exclusiveMinimum`, `nullable`), not JSON Schema 2020-12's.
 */
export function fromZod(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  });
  return json;
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema, example?: unknown) => ({
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});
export const error = (description: string) => ({ description, ...json(ref('Error')) });
export const integer = { type: 'integer' };
export const string = { type: 'string' };
export const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });

/** Small builders for the OpenAPI 3.0 document (no JSON Schema 2020 keywords). */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema, example?: unknown) => ({
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});
export const error = (description: string) => ({ description, ...json(ref('Error')) });
export const integer = { type: 'integer' };
export const string = { type: 'string' };
export const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });

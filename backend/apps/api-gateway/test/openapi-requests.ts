import fc from 'fast-check';

/** The parts of an OpenAPI 3.0 document that requests are generated from. */
export type Schema = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: Schema;
}

interface Operation {
  readonly parameters?: Parameter[];
  readonly requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
  readonly responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

/** One operation of the document: `GET /orders/{id}`. */
export interface DocumentedOperation {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

/** Every operation of the document, so that a new endpoint is covered without a change here. */
export function operationsOf(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );
}

export interface GeneratedRequest {
  readonly method: string;
  /** The documented path, `/orders/{id}`. */
  readonly template: string;
  /** The path and query sent, encoded. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

const DASHBOARD = 'http://localhost:3000';
const BODY_LIMIT = 64 * 1024;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function resolve(document: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
  if (!target) throw new Error(`unresolved ${ref}`);
  return resolve(document, target);
}

function integerIn(min: number, max: number): fc.Arbitrary<number> {
  const small = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
  if (min >= -(2 ** 31) && max <= 2 ** 31 - 1) return small;
  return fc.oneof(small, fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number));
}

/** Values that the schema accepts. */
export function valid(document: OpenApiDocument, input: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(document, input);
  // The document's example is a value the gateway knows (a registry topic, a product), where a
  // generated string would only ever be unknown.
  const generated = validOf(document, schema);
  const value =
    schema.example === undefined ? generated : fc.oneof(fc.constant(schema.example), generated);
  return schema.nullable === true ? fc.option(value, { nil: null }) : value;
}

function validOf(document: OpenApiDocument, schema: Schema): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) {
    return fc.oneof(...(schema.anyOf as Schema[]).map((option) => valid(document, option)));
  }
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const exclusive = schema.exclusiveMinimum === true ? 1 : 0;
      const min = typeof schema.minimum === 'number' ? schema.minimum + exclusive : -MAX_SAFE;
      const max = typeof schema.maximum === 'number' ? schema.maximum : MAX_SAFE;
      return integerIn(min, max);
    }
    case 'number':
      return fc.double({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1e9,
        max: typeof schema.maximum === 'number' ? schema.maximum : 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringOf(schema);
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = typeof schema.maxItems === 'number' ? Math.min(schema.maxItems, 5) : 5;
      return fc.array(valid(document, schema.items as Schema), {
        minLength,
        maxLength: Math.max(minLength, maxLength),
      });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          valid(document, schema.additionalProperties as Schema),
          { maxKeys: 3 },
        );
      }
      const arbitraries = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, valid(document, property)]),
      );
      return fc.record(arbitraries, { requiredKeys: required });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 40) : 20;
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString());
  }
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter(
        (text) =>
          text.length >= minLength &&
          (typeof schema.maxLength !== 'number' || text.length <= schema.maxLength),
      );
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
}

/** Values that a client may send by mistake: other types, out of range, malformed. */
function anyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(-1, 0, 1.5, 1e21, -0, MAX_SAFE + 2, '', ' ', '-1', '1e400', 'NaN', null),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
}

/** A schema's value, or (one time in three) a value the schema may not accept. */
function maybeInvalid(document: OpenApiDocument, schema: Schema): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: valid(document, schema) },
    { weight: 1, arbitrary: anyValue() },
  );
}

/** A valid object with one property replaced, removed or added, or something else entirely. */
function invalidBody(
  document: OpenApiDocument,
  schema: Schema,
  valids: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const resolved = resolve(document, schema);
  const properties = Object.keys(resolved.properties ?? {});
  const mutated =
    properties.length === 0
      ? anyValue()
      : fc
          .tuple(
            valids,
            fc.constantFrom(...properties, 'unknownField'),
            fc.option(anyValue(), { nil: undefined }),
          )
          .map(([body, property, value]) => {
            const copy = { ...(body as Record<string, unknown>) };
            if (value === undefined) delete copy[property];
            else copy[property] = value;
            return copy;
          });
  return fc.oneof(mutated, anyValue());
}

const asParameter = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** A path segment that a client's URL normalisation leaves as it is. */
const segment = (value: unknown): string => {
  const text = asParameter(value);
  return text === '' || text === '.' || text === '..' ? 'x' : encodeURIComponent(text);
};

function bodyText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constant(`"${'x'.repeat(BODY_LIMIT + 1)}"`) },
  );
}

/**
 * Requests for one operation: parameters and body valid by the document most of the time,
 * otherwise of another type, out of range, malformed JSON, too large; sometimes from a browser
 * page of another origin.
 */
export function requestFor(
  document: OpenApiDocument,
  { method, path, operation }: DocumentedOperation,
): fc.Arbitrary<GeneratedRequest> {
  const parameters = operation.parameters ?? [];
  const values = fc.tuple(
    ...parameters.map((parameter) =>
      parameter.required || parameter.in === 'path'
        ? maybeInvalid(document, parameter.schema)
        : fc.option(maybeInvalid(document, parameter.schema), { nil: undefined }),
    ),
  );
  const content = operation.requestBody?.content['application/json'];
  // The example is a body the gateway accepts (known products, a real card number); generated
  // ones mostly name unknown products.
  const valids = content
    ? content.example === undefined
      ? valid(document, content.schema)
      : fc.oneof(fc.constant(content.example), valid(document, content.schema))
    : fc.constant(undefined);
  const body: fc.Arbitrary<string | undefined> = content
    ? fc.oneof(
        { weight: 3, arbitrary: valids.map((v) => JSON.stringify(v)) },
        {
          weight: 2,
          arbitrary: invalidBody(document, content.schema, valids).map((v) => JSON.stringify(v)),
        },
        { weight: 1, arbitrary: bodyText() },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : method === 'GET'
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 4, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: bodyText() },
        );
  const origin = fc.constantFrom(
    undefined,
    undefined,
    undefined,
    DASHBOARD,
    'https://elsewhere.example',
  );
  const contentType = fc.constantFrom('application/json', 'application/json', 'text/plain');
  return fc.tuple(values, body, origin, contentType).map(([given, payload, from, type]) => {
    let url = path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    parameters.forEach((parameter, index) => {
      const value = given[index];
      if (value === undefined) return;
      if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, segment(value));
      // fetch refuses a header value outside visible ASCII: not the gateway's to answer.
      else if (parameter.in === 'header') {
        headers[parameter.name] = asParameter(value).replace(/[^\x20-\x7e]/g, '');
      } else if (Array.isArray(value))
        value.forEach((item) => query.append(parameter.name, asParameter(item)));
      else query.append(parameter.name, asParameter(value));
    });
    if (from) headers.origin = from;
    if (payload !== undefined) headers['content-type'] = type;
    const search = query.toString();
    return {
      method,
      template: path,
      url: search ? `${url}?${search}` : url,
      headers,
      body: payload,
    };
  });
}

/** Requests for every operation of the document, each operation as likely as another. */
export function requestsFor(document: OpenApiDocument): fc.Arbitrary<GeneratedRequest> {
  return fc.oneof(...operationsOf(document).map((operation) => requestFor(document, operation)));
}

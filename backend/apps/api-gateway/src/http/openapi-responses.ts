import { BODY_LIMIT_BYTES } from './http.config.js';
import { error, json, ref, type Schema } from './openapi-schema.js';

type Paths = Record<string, Record<string, unknown>>;
type Responses = Record<string, Schema>;

const NOT_JSON = 'a body that is not JSON (`invalid_json`)';

/**
 * What every POST and PUT can answer before its route runs (http-setup.ts): the origin check,
 * and the JSON parser that reads any body whatever its Content-Type.
 */
function bodyResponses(responses: Responses): Responses {
  const invalid = responses[400] as { description?: string } | undefined;
  const description = invalid?.description;
  return {
    400: invalid
      ? { ...invalid, description: `${description ?? 'Invalid request'}; or ${NOT_JSON}` }
      : error(`${NOT_JSON[0]!.toUpperCase()}${NOT_JSON.slice(1)}`),
    403: error(
      'A change sent by a browser page of another origin than the dashboard (`forbidden_origin`)',
    ),
    413: error(`A body larger than ${BODY_LIMIT_BYTES} bytes (\`payload_too_large\`)`),
  };
}

const byStatus = (responses: Responses): Responses =>
  Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));

/** The paths with the answers every POST and PUT shares added to each, responses by status. */
export function withCommonResponses(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, value]) => {
          const operation = value as { responses: Responses };
          const common = method === 'post' || method === 'put';
          const responses = common
            ? { ...operation.responses, ...bodyResponses(operation.responses) }
            : operation.responses;
          return [method, { ...operation, responses: byStatus(responses) }];
        }),
      ),
    ]),
  );
}

/** A method that the path does not have (any path of the document). */
export const methodNotAllowedResponse = {
  description:
    'The path has no such method (`method_not_allowed`); `Allow` lists those it has. ' +
    'Any method of any path of this document that is not documented for it gets this answer.',
  headers: {
    Allow: {
      description: 'The methods of the path, e.g. `GET, HEAD, OPTIONS`',
      schema: { type: 'string' },
    },
  },
  ...json(ref('Error')),
};

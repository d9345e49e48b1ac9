import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../http/openapi.js';

// JSON Schema keywords and types that OpenAPI 3.0 does not have.
const notOpenApi30 = new Set(['propertyNames', 'const', 'prefixItems', '$defs', 'examples']);

describe('OpenAPI document', () => {
  const document = openApiDocument();

  it('documents every explorer route and the GET /events filters', () => {
    expect(document.paths['/explorer/topics/{name}/messages']).toHaveProperty('get');
    expect(document.paths['/explorer/topics/{name}/messages']).toHaveProperty('post');
    for (const path of [
      '/explorer/cluster',
      '/explorer/topics',
      '/explorer/topics/{name}',
      '/explorer/groups',
      '/explorer/groups/{id}',
    ]) {
      expect(document.paths[path]).toHaveProperty('get');
    }
    const events = document.paths['/events']?.get?.parameters as { name: string }[];
    expect(events.map((parameter) => parameter.name)).toEqual(['topic', 'key']);
  });

  it('uses only OpenAPI 3.0 schema keywords, and every $ref resolves', () => {
    const problems: string[] = [];
    const schemas = document.components?.schemas ?? {};
    JSON.stringify(document, (key, value: unknown) => {
      if (notOpenApi30.has(key)) problems.push(key);
      if (key === 'type' && (Array.isArray(value) || value === 'null')) problems.push('type');
      // 3.0 has them as booleans beside minimum/maximum; a number is JSON Schema 2020-12's.
      if (
        (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') &&
        typeof value !== 'boolean'
      ) {
        problems.push(key);
      }
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        if (!(name in schemas)) problems.push(value);
      }
      return value;
    });
    expect(problems).toEqual([]);
  });
});

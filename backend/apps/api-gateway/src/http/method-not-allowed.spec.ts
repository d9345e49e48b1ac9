import { describe, expect, it } from 'vitest';
import { allowedMethods, methodNotAllowed, type RouteMethods } from './method-not-allowed.js';

const route = (pattern: RegExp, ...methods: string[]): RouteMethods => ({
  matches: (path) => pattern.test(path),
  methods,
});
const routes = [
  route(/^\/orders$/, 'get'),
  route(/^\/orders$/, 'post'),
  route(/^\/orders\/[^/]+$/, 'get'),
  route(/^\/faults$/, 'put'),
];

describe('methodNotAllowed', () => {
  it('answers 405 with every method of the path, HEAD beside GET and OPTIONS for CORS', () => {
    expect(methodNotAllowed(routes, 'DELETE', '/orders')).toEqual({
      allow: 'GET, HEAD, OPTIONS, POST',
      body: expect.objectContaining({
        error: 'method_not_allowed',
        allowed: ['GET', 'HEAD', 'OPTIONS', 'POST'],
      }) as unknown,
    });
    expect(methodNotAllowed(routes, 'trace', '/orders/42')?.allow).toBe('GET, HEAD, OPTIONS');
    expect(methodNotAllowed(routes, 'GET', '/faults')?.allow).toBe('OPTIONS, PUT');
  });

  it('lets a method of the path, HEAD of a GET and OPTIONS anywhere go on', () => {
    for (const method of ['GET', 'post', 'HEAD', 'OPTIONS']) {
      expect(methodNotAllowed(routes, method, '/orders')).toBeUndefined();
    }
    expect(methodNotAllowed(routes, 'OPTIONS', '/faults')).toBeUndefined();
  });

  it('leaves an unknown path to the 404, and a route of every method alone', () => {
    expect(allowedMethods(routes, '/nope')).toEqual([]);
    expect(methodNotAllowed(routes, 'DELETE', '/nope')).toBeUndefined();
    expect(methodNotAllowed([route(/^\/any$/, '*')], 'DELETE', '/any')).toBeUndefined();
  });
});

import type { ErrorBody } from './api-error.js';

/** A route of the app: whether a path is its path, and the methods it answers there. */
export interface RouteMethods {
  matches(path: string): boolean;
  /** Lower or upper case; `*` for a route of every method. */
  readonly methods: readonly string[];
}

/**
 * The methods a path has, for `Allow`: every route's methods on it, HEAD wherever there is GET
 * (Express answers it), and OPTIONS (CORS answers it on every path). Empty: no route has the
 * path, which stays a 404.
 */
export function allowedMethods(routes: readonly RouteMethods[], path: string): string[] {
  const methods = new Set(
    routes
      .filter((route) => route.matches(path))
      .flatMap((route) => route.methods.map((method) => method.toUpperCase())),
  );
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}

export interface MethodNotAllowed {
  readonly allow: string;
  readonly body: ErrorBody;
}

/** The 405 for a method the path does not have, or undefined when the request may go on. */
export function methodNotAllowed(
  routes: readonly RouteMethods[],
  method: string,
  path: string,
): MethodNotAllowed | undefined {
  const allowed = allowedMethods(routes, path);
  if (allowed.length === 0 || allowed.includes('*') || allowed.includes(method.toUpperCase())) {
    return undefined;
  }
  return {
    allow: allowed.join(', '),
    body: {
      error: 'method_not_allowed',
      message: `${method.toUpperCase()} is not a method of ${path}; it has ${allowed.join(', ')}`,
      allowed,
    },
  };
}

/** What the routes of an Express 5 router look like from outside (`app.router.stack`). */
interface RouterLayer {
  /** Router 2: what the path matched (params), or false. */
  match?(path: string): unknown;
  readonly route?: { readonly methods: Readonly<Record<string, boolean | undefined>> };
}

/**
 * The routes registered on an Express router, matched as Express matches them. Read once the
 * controllers' routes are in place; a layer without a route (a middleware) has no methods.
 */
export function routesOf(router: { readonly stack: readonly RouterLayer[] }): RouteMethods[] {
  return router.stack.flatMap((layer): RouteMethods[] => {
    const { route } = layer;
    if (!route || !layer.match) return [];
    const methods = Object.entries(route.methods)
      .filter(([, on]) => on)
      .map(([method]) => (method === '_all' ? '*' : method));
    return [{ matches: (path) => Boolean(layer.match?.(path)), methods }];
  });
}

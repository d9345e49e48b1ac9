import type { ApiErrorBody } from './definitions';

/** The gateway's base URL when API_URL is not set. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3001';

/** The gateway's base URL without a trailing slash. */
export function normalizeApiUrl(value: string | undefined): string {
  const url = value?.trim() || DEFAULT_API_URL;
  return url.replace(/\/+$/, '');
}

/**
 * A failed call to the gateway: `status` 0 when it could not be reached at all, else the HTTP
 * status with the gateway's error code (e.g. 404 `unknown_topic`, 409 `group_active`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: { field: string; message: string }[];
  readonly url: string;

  constructor(
    status: number,
    code: string,
    message: string,
    url: string,
    issues: ApiErrorBody['issues'] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.url = url;
    this.issues = issues;
  }

  get unreachable(): boolean {
    return this.status === 0;
  }

  /** A route the gateway does not serve (yet): a 404 without an error code of ours. */
  get notServed(): boolean {
    return this.status === 404 && (this.code === 'not_found' || this.code === 'http_404');
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).error === 'string'
  );
}

async function parseFailure(response: Response, url: string): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: the status says enough.
  }
  if (isErrorBody(body)) {
    const message = typeof body.message === 'string' ? body.message : response.statusText;
    // NestJS answers an unknown route with { statusCode: 404, message: 'Cannot GET …', error: 'Not Found' }.
    const code = body.error === 'Not Found' ? 'not_found' : body.error;
    return new ApiError(response.status, code, message, url, body.issues);
  }
  return new ApiError(
    response.status,
    `http_${response.status}`,
    response.statusText || 'request failed',
    url,
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** One JSON call to the gateway; throws ApiError for a failure of any kind. */
export async function requestJson<T>(
  base: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const url = `${base}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers:
        options.body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'unreachable', `gateway unreachable at ${base}`, url);
  }
  if (!response.ok) throw await parseFailure(response, url);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A query string from defined values only; arrays repeat the name. */
export function queryString(
  params: Record<string, string | number | boolean | readonly string[] | null | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value))
      for (const item of value as readonly string[]) search.append(name, item);
    else search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

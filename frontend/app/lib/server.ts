import { normalizeApiUrl } from './api';

/** The gateway's URL as the browser reaches it (API_URL), read per request (never at build time). */
export function browserApiUrl(): string {
  return normalizeApiUrl(process.env.API_URL);
}

/**
 * The gateway's URL as this server reaches it. The same as the browser's, except in containers:
 * there the browser calls localhost:3001 on the host, the server api-gateway:3001 on the network.
 */
export function serverApiUrl(): string {
  return normalizeApiUrl(process.env.API_INTERNAL_URL || process.env.API_URL);
}

/** A server-side first read: undefined when it fails, so that the client's query shows the state. */
export async function firstRead<T>(read: (base: string) => Promise<T>): Promise<T | undefined> {
  try {
    return await read(serverApiUrl());
  } catch {
    return undefined;
  }
}

export type Read<T> = { ok: true; data: T } | { ok: false; error: unknown };

/** A server-side read whose failure is a state the page shows. */
export async function serverRead<T>(read: (base: string) => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, data: await read(serverApiUrl()) };
  } catch (error) {
    return { ok: false, error };
  }
}

import { normalizeApiUrl } from './api';

/** The gateway's URL on the server, read per request (never at build time). */
export function serverApiUrl(): string {
  return normalizeApiUrl(process.env.API_URL);
}

/** A server-side first read: undefined when it fails, so that the client's query shows the state. */
export async function firstRead<T>(read: (base: string) => Promise<T>): Promise<T | undefined> {
  try {
    return await read(serverApiUrl());
  } catch {
    return undefined;
  }
}

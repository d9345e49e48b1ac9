/**
 * The running gateway, as the operator scripts (seed, replay) reach it: its URL, and JSON calls
 * whose failures name the fix.
 */
import { KafkadogError } from '../kafka/errors.js';
import { servicePort } from '../lib/services.js';

/** KAFKADOG_GATEWAY_URL, else the port `npm start` gives the gateway (PORT_API_GATEWAY, 3001). */
export function defaultGatewayUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKADOG_GATEWAY_URL) return env.KAFKADOG_GATEWAY_URL.replace(/\/+$/, '');
  return `http://localhost:${servicePort('api-gateway', env)}`;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** A JSON call to the gateway; an unreachable gateway is a KafkadogError that says to start it. */
export async function callGateway<T>(
  gateway: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(`${gateway}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new KafkadogError(
      'GATEWAY_UNREACHABLE',
      `The gateway at ${gateway} does not answer: start the stack with \`npm start\`` +
        ' (or point --gateway / KAFKADOG_GATEWAY_URL at the running one).',
      { cause: error },
    );
  }
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the error message.
  }
  return { status: response.status, body: json as T };
}

/** The gateway's own words for a failed call: its `message` field when it has one. */
export function describeAnswer(status: number, body: unknown): string {
  const message =
    body && typeof body === 'object' && 'message' in body
      ? String(body.message)
      : typeof body === 'string'
        ? body.slice(0, 300)
        : JSON.stringify(body)?.slice(0, 300);
  return `${status}${message ? `: ${message}` : ''}`;
}

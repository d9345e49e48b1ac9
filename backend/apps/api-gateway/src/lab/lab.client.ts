import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { LAB_CONFIG, type LabConfig } from './lab.config.js';

export const LAB_ERROR_CODES = [
  /** No LAB_URL: the gateway was not started by something that serves a lab. */
  'LAB_NOT_CONFIGURED',
  /** Nothing answered at LAB_URL, or not in time. */
  'LAB_UNREACHABLE',
  /** The lab answered with an error (its code and message are in the message). */
  'LAB_REFUSED',
  /** The lab answered 2xx with a body this client does not understand. */
  'LAB_BAD_ANSWER',
] as const;
export type LabErrorCode = (typeof LAB_ERROR_CODES)[number];

export class LabError extends Error {
  constructor(
    readonly code: LabErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabError';
  }
}

const LabInstance = z.object({
  /** `payment-service#2` */
  name: z.string(),
  service: z.string(),
  url: z.string(),
  pid: z.number().int().optional(),
});
export type LabInstance = z.infer<typeof LabInstance>;

const LabErrorBody = z.object({ error: z.string(), message: z.string() });

export type StopSignal = 'SIGTERM' | 'SIGKILL';

/** A service instance starts and gets healthy within the lab's own 60 s; Kafka takes a while. */
const SLOW_MS = 120_000;
const QUICK_MS = 15_000;

/**
 * The lab's HTTP API (scripts/lib/lab.ts), typed. Every failure is a LabError naming what was
 * asked and why it did not happen.
 */
@Injectable()
export class LabClient {
  constructor(@Inject(LAB_CONFIG) private readonly config: LabConfig) {}

  /** Whether the gateway has a lab to ask (LAB_URL is set). */
  get available(): boolean {
    return this.config.url !== undefined;
  }

  async instances(): Promise<LabInstance[]> {
    const body = await this.#call('list the instances', 'GET', '/lab', QUICK_MS);
    return this.#parse('list the instances', z.object({ instances: z.array(LabInstance) }), body)
      .instances;
  }

  /** One more instance of `service`; resolves once it is healthy. */
  async startInstance(service: string): Promise<LabInstance> {
    const what = `start an instance of ${service}`;
    const body = await this.#call(what, 'POST', '/lab/instances', SLOW_MS, { service });
    return this.#parse(what, LabInstance, body);
  }

  /** SIGTERM: it leaves its groups on the way out; SIGKILL: a crash. */
  async stopInstance(name: string, signal: StopSignal = 'SIGTERM'): Promise<void> {
    const path = `/lab/instances/${encodeURIComponent(name)}?signal=${signal}`;
    await this.#call(`stop ${name} (${signal})`, 'DELETE', path, QUICK_MS);
  }

  async stopKafka(): Promise<void> {
    await this.#call('stop Kafka', 'POST', '/lab/kafka/stop', SLOW_MS);
  }

  /** Resolves once Kafka answers again. */
  async startKafka(): Promise<void> {
    await this.#call('start Kafka', 'POST', '/lab/kafka/start', SLOW_MS);
  }

  async #call(
    what: string,
    method: string,
    path: string,
    timeoutMs: number,
    json?: unknown,
  ): Promise<unknown> {
    const { url } = this.config;
    if (url === undefined) {
      throw new LabError('LAB_NOT_CONFIGURED', `could not ${what}: no lab (LAB_URL is not set)`);
    }
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        ...(json === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });
    } catch (error) {
      const why =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : 'not reachable';
      throw new LabError('LAB_UNREACHABLE', `could not ${what}: the lab at ${url} is ${why}`, {
        cause: error,
      });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = LabErrorBody.safeParse(body);
      const why = parsed.success
        ? `${parsed.data.error}: ${parsed.data.message}`
        : `HTTP ${response.status}`;
      throw new LabError('LAB_REFUSED', `could not ${what}: the lab answered ${why}`);
    }
    return body;
  }

  #parse<T>(what: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new LabError('LAB_BAD_ANSWER', `${what}: the lab answered ${JSON.stringify(body)}`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

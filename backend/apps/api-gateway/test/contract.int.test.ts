import { allTopics } from '@kafkadog/contracts';
import { Consumer } from '@platformatic/kafka';
import { compileErrors, validate } from '@readme/openapi-parser';
import fc from 'fast-check';
import { mkdtemp } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, findFreeBasePort, silentLogger } from '../../../../scripts/kafka/index.js';
import { waitFor } from '../../../../test/support/wait.js';
import { buildGateway, ensureTopics, startGateway, type GatewayProcess } from './gateway.js';
import {
  operationsOf,
  requestsFor,
  type GeneratedRequest,
  type OpenApiDocument,
} from './openapi-requests.js';

const FUZZ_REQUESTS = 1_000;
const REQUEST_TIMEOUT_MS = 15_000;
const topicNames = allTopics.map((topic) => topic.name);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** fetch refuses TRACE; node:http sends any method. */
function rawRequest(method: string, url: string): Promise<{ status: number; allow?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, allow: response.headers.allow }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

/** A value of a path parameter that the document accepts, for the other parameters' checks. */
function sample(schema: Record<string, unknown>): string {
  if (typeof schema.example === 'string') return schema.example;
  if (Array.isArray(schema.enum)) return String(schema.enum[0]);
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return schema.type === 'integer' ? '0' : 'x';
}

/**
 * The gateway's API as its document says, checked against the gateway that serves it. The file
 * runs a broker of its own: the other test files write to the same registry topics on the shared
 * one, and "nothing was written" must mean nothing.
 */
describe('api-gateway: the OpenAPI document is the contract (real broker)', () => {
  let stopBroker: () => Promise<void> = () => Promise.resolve();
  let brokers: string[] = [];
  let gateway: GatewayProcess | undefined;
  let offsets: Consumer | undefined;
  let document: OpenApiDocument;

  const url = () => {
    if (!gateway) throw new Error('the gateway is not running');
    return gateway.url;
  };

  beforeAll(async () => {
    const [cluster] = await Promise.all([
      (async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'kafkadog-contract-'));
        const basePort = await findFreeBasePort({ from: 39200 });
        const { KAFKA_BROKERS: _shared, ...env } = process.env;
        const started = await ensureCluster({
          basePort,
          dataDir,
          nodes: 1,
          logger: silentLogger,
          env,
        });
        // Set at once: a failed build must not leave the broker running.
        stopBroker = () => started.stop({ wipe: true });
        return started;
      })(),
      buildGateway(),
    ]);
    brokers = cluster.brokers;
    await ensureTopics(brokers);
    gateway = await startGateway(brokers, {
      // Scenario runs end fast, so that the fuzzing can wait for each one it starts.
      SCENARIO_WAIT_MS: '300',
      SCENARIO_WATCH_MS: '300',
      SCENARIO_SETTLE_MS: '0',
      GROUP_PAUSE_WAIT_MS: '1000',
    });
    offsets = new Consumer({
      clientId: 'api-gateway-contract-test',
      groupId: 'test.contract.offsets',
      bootstrapBrokers: brokers,
    });
    const served = await fetch(`${url()}/docs/openapi.json`);
    document = (await served.json()) as OpenApiDocument;
  }, 240_000);

  afterAll(async () => {
    try {
      await offsets?.close(true).catch(() => {});
      // Its broker is wiped next: the gateway has nothing to save.
      await gateway?.stop('SIGKILL');
    } finally {
      await stopBroker();
    }
  });

  async function send(request: GeneratedRequest): Promise<Answer> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(`${url()}${request.url}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: abort.signal,
      });
      // A stream (GET /events) stays open: its status and headers are the answer.
      const streaming = response.headers.get('content-type')?.includes('text/event-stream');
      const body = streaming ? '' : await response.text();
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      throw new Error(`no answer to ${show(request)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  const show = (request: GeneratedRequest) =>
    `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${
      request.body === undefined ? '' : request.body.slice(0, 300)
    }`;

  async function endOffsets(): Promise<string> {
    const ends = await offsets!.listOffsets({ topics: topicNames });
    return topicNames.map((topic) => `${topic}=${ends.get(topic)?.join(',') ?? ''}`).join(' ');
  }

  /** A scenario run started by a request produces on its own: wait until it has ended. */
  async function untilRunEnds(answer: Answer): Promise<void> {
    const runId = (JSON.parse(answer.body || '{}') as { runId?: string }).runId;
    if (!runId) return;
    await waitFor(
      async () => {
        const run = await fetch(`${url()}/scenarios/runs/${runId}`);
        return ((await run.json()) as { status?: string }).status !== 'running';
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `scenario run ${runId} to end` },
    );
  }

  it('serves a valid OpenAPI document (checked by @readme/openapi-parser)', async () => {
    expect(document.openapi).toMatch(/^3\.0\.\d$/);
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
  });

  it('answers 405 with Allow for a method a path does not have, 404 for an unknown path', async () => {
    for (const method of ['TRACE', 'DELETE', 'PATCH', 'POST']) {
      const answer = await rawRequest(method, `${url()}/products`);
      expect([method, answer.status, answer.allow]).toEqual([method, 405, 'GET, HEAD, OPTIONS']);
    }
    const refused = await fetch(`${url()}/products`, { method: 'DELETE' });
    expect(await refused.json()).toMatchObject({ error: 'method_not_allowed' });
    expect((await fetch(`${url()}/no-such-path`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${url()}/no-such-path`)).status).toBe(404);
    const preflight = await fetch(`${url()}/orders`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it("every path's Allow is the document's methods for it (with HEAD beside GET, and OPTIONS)", async () => {
    const mismatches: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      const documented = Object.keys(operations).map((method) => method.toUpperCase());
      const expected = [
        ...new Set([...documented, ...(documented.includes('GET') ? ['HEAD'] : []), 'OPTIONS']),
      ].sort();
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      const answer = await fetch(`${url()}${concrete}`, { method: 'PATCH' });
      const allow = answer.headers.get('allow');
      if (answer.status !== 405 || allow !== expected.join(', ')) {
        mismatches.push(
          `PATCH ${concrete}: ${answer.status} Allow: ${allow}; document: ${expected.join(', ')}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('accepts each query and path parameter at the limits the document gives, and refuses it with 400 just past them', async () => {
    const wrong: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const example = operation.requestBody?.content['application/json']?.example;
      const withSamples = (template: string) =>
        (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .reduce(
            (filled, parameter) =>
              filled.replace(`{${parameter.name}}`, encodeURIComponent(sample(parameter.schema))),
            template,
          );
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'header') continue;
        const schema = parameter.schema;
        // At the limits the value is accepted (no 400); just past them it is refused.
        const inside: string[] = [];
        if (typeof schema.maximum === 'number') inside.push(String(schema.maximum));
        if (typeof schema.minimum === 'number') inside.push(String(schema.minimum));
        if (typeof schema.maxLength === 'number') inside.push('k'.repeat(schema.maxLength));
        const outside: string[] = [];
        if (typeof schema.maximum === 'number') outside.push(String(schema.maximum + 1));
        if (typeof schema.minimum === 'number') outside.push(String(schema.minimum - 1));
        if (typeof schema.maxLength === 'number') outside.push('k'.repeat(schema.maxLength + 1));
        if (typeof schema.minLength === 'number' && parameter.in === 'query') outside.push('');
        if (Array.isArray(schema.enum)) outside.push('not-one-of-them');
        if (typeof schema.pattern === 'string') outside.push('not matching');
        const items = schema.items as { enum?: unknown[] } | undefined;
        if (Array.isArray(items?.enum)) outside.push('not.a.topic');
        for (const value of [...inside, ...outside]) {
          const concrete =
            parameter.in === 'path'
              ? withSamples(path.replace(`{${parameter.name}}`, encodeURIComponent(value)))
              : `${withSamples(path)}?${new URLSearchParams({ [parameter.name]: value })}`;
          const answer = await send({
            method,
            template: path,
            url: concrete,
            headers: { 'content-type': 'application/json' },
            body: example === undefined ? undefined : JSON.stringify(example),
          });
          if ((answer.status === 400) !== outside.includes(value)) {
            wrong.push(`${method} ${concrete}: ${answer.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`fuzzes ${FUZZ_REQUESTS} requests over every documented operation: no 5xx, only documented statuses, nothing written for a refusal`, async () => {
    const started = Date.now();
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const statuses = new Map<string, Set<string>>(
      operationsOf(document).map(({ method, path, operation }) => [
        `${method} ${path}`,
        new Set(Object.keys(operation.responses)),
      ]),
    );
    const refused: GeneratedRequest[] = [];
    const seen = new Map<string, Map<number, number>>();

    // Phase 1: every answer is documented for its operation, and none is a 5xx.
    await fc.assert(
      fc.asyncProperty(requestsFor(document), async (request) => {
        const answer = await send(request);
        const operation = `${request.method} ${request.template}`;
        const counts = seen.get(operation) ?? new Map<number, number>();
        counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
        seen.set(operation, counts);
        if (answer.status >= 500 || !statuses.get(operation)?.has(String(answer.status))) {
          throw new Error(`${show(request)} → ${answer.status} ${answer.body.slice(0, 500)}`);
        }
        if (answer.status >= 400) refused.push(request);
        if (request.template === '/scenarios/{id}/runs' && answer.status === 202) {
          await untilRunEnds(answer);
        }
      }),
      { seed, numRuns: FUZZ_REQUESTS, endOnFailure: true },
    );

    // Phase 2: the refused requests again, one at a time; a refusal changes no topic.
    const written: string[] = [];
    let before = await endOffsets();
    for (const request of refused) {
      const answer = await send(request);
      if (answer.status >= 500) written.push(`${show(request)} → ${answer.status}`);
      if (request.template === '/scenarios/{id}/runs' && answer.status === 202) {
        await untilRunEnds(answer);
      }
      const after = await endOffsets();
      if (answer.status >= 400 && after !== before) {
        written.push(`${show(request)} → ${answer.status}, yet ${before} → ${after}`);
      }
      before = after;
    }
    expect(written, `replay with FUZZ_SEED=${seed}`).toEqual([]);

    const health = await fetch(`${url()}/health`);
    expect(health.status, `replay with FUZZ_SEED=${seed}`).toBe(200);
    const report = [...seen]
      .map(
        ([operation, counts]) =>
          `${operation}: ${[...counts].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      )
      .join('\n  ');
    console.log(
      `[contract] ${FUZZ_REQUESTS} fuzzed requests and ${refused.length} refusals replayed in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed}):\n  ${report}`,
    );
  }, 180_000);
});

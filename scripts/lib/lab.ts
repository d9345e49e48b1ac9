/**
 * The lab: a small HTTP API of the process that runs the stack (`npm start`, or a test's stack),
 * so that the dashboard's scenarios can do what a learner would do in a terminal: start one more
 * instance of a service (a rebalance), stop one, stop Kafka and start it again. The gateway calls
 * it (LAB_URL); browsers never do.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isServiceName, type ServiceName } from './services.js';

export interface LabInstance {
  /** `payment-service#2` */
  readonly name: string;
  readonly service: ServiceName;
  readonly url: string;
  readonly pid: number | undefined;
}

export interface LabActions {
  /** Every instance the lab started and that still runs. */
  instances(): LabInstance[];
  /** Starts one more instance of the service on a port of its own; resolves once healthy. */
  startInstance(service: ServiceName): Promise<LabInstance>;
  /** Stops an instance the lab started: SIGTERM (it leaves its groups), or SIGKILL (a crash). */
  stopInstance(name: string, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops the local broker, keeping its data (an outage). */
  stopKafka(): Promise<void>;
  /** Starts it again and waits until it answers. */
  startKafka(): Promise<void>;
}

export interface Lab {
  readonly url: string;
  close(): Promise<void>;
}

class LabError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 10_000) throw new LabError(413, 'too_large', 'body over 10 kB');
  }
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new LabError(400, 'invalid_json', 'the body is not JSON');
  }
}

async function route(actions: LabActions, request: IncomingMessage): Promise<[number, unknown]> {
  const method = request.method ?? 'GET';
  const path = new URL(request.url ?? '/', 'http://lab').pathname;
  if (method === 'GET' && path === '/lab') return [200, { instances: actions.instances() }];
  if (method === 'POST' && path === '/lab/instances') {
    const { service } = await readJson(request);
    if (typeof service !== 'string' || !isServiceName(service)) {
      throw new LabError(400, 'invalid_request', 'service: expected one of the six services');
    }
    return [201, await actions.startInstance(service)];
  }
  const instance = /^\/lab\/instances\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && instance?.[1]) {
    const name = decodeURIComponent(instance[1]);
    if (!actions.instances().some((running) => running.name === name)) {
      throw new LabError(404, 'not_found', `no instance ${name} started by the lab runs`);
    }
    const signal = new URL(request.url ?? '/', 'http://lab').searchParams.get('signal');
    await actions.stopInstance(name, signal === 'SIGKILL' ? 'SIGKILL' : 'SIGTERM');
    return [200, { stopped: name }];
  }
  if (method === 'POST' && path === '/lab/kafka/stop') {
    await actions.stopKafka();
    return [200, { kafka: 'stopped' }];
  }
  if (method === 'POST' && path === '/lab/kafka/start') {
    await actions.startKafka();
    return [200, { kafka: 'started' }];
  }
  throw new LabError(404, 'not_found', `${method} ${path} is not a lab action`);
}

/** Serves the lab on 127.0.0.1 (port 0: any free port). */
export async function startLab(actions: LabActions, port = 0, host = '127.0.0.1'): Promise<Lab> {
  const server: Server = createServer((request, response) => {
    // Only the gateway calls the lab, from its own process: a request that a browser sent
    // (any page, it would carry an Origin) is refused before anything happens.
    if (request.headers.origin !== undefined) {
      send(response, 403, {
        error: 'forbidden_origin',
        message: 'the lab takes no browser requests',
      });
      return;
    }
    route(actions, request).then(
      ([status, body]) => send(response, status, body),
      (error: unknown) => {
        if (error instanceof LabError) {
          send(response, error.status, { error: error.code, message: error.message });
        } else {
          send(response, 500, { error: 'lab_failed', message: (error as Error).message });
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type Server } from 'node:http';

export interface StartingServer {
  /** Frees the port for the real server. */
  close(): Promise<void>;
}

/**
 * Holds the service's port while Nest starts (it waits for Kafka, then loads state, which can
 * take as long as Kafka is away). Every request gets 503 `starting` with `Retry-After`, so
 * `GET /health` says why the service is not up yet instead of refusing the connection.
 * Rejects like `listen` does, e.g. with EADDRINUSE when the port is taken.
 */
export async function listenWhileStarting(
  port: number,
  host: string,
  message: string,
): Promise<StartingServer> {
  const body = JSON.stringify({
    status: 'starting',
    checks: { service: 'starting' },
    error: 'starting',
    message,
  });
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Retry-After': '1',
      Connection: 'close',
    });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { close: () => closeNow(server) };
}

function closeNow(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

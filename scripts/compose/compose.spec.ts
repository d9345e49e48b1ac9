import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/services.js';
import { envReads } from './env-reads.js';
import { isIgnored } from './dockerfile.js';
import {
  checkBuilds,
  checkComposeSchema,
  checkEnvironment,
  checkGrafana,
  checkPrometheus,
  checkStack,
  metricNamesIn,
  readStackFiles,
  type StackFiles,
} from './index.js';

interface ServiceDoc {
  image?: string;
  build?: { target?: string };
  command?: string[];
  ports?: string[];
  environment: Record<string, string | number>;
  depends_on: Record<string, { condition: string }>;
  healthcheck?: Record<string, unknown>;
}

/** The parts of the stack files the tests change, typed as the committed files have them. */
interface Editable {
  compose: { services: Record<string, ServiceDoc> };
  prometheus: { scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[] };
  datasources: { datasources: { url: string }[] }[];
  dashboards: Record<
    string,
    { panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[] }
  >;
  dockerfiles: Record<string, string>;
  dockerignores: Record<string, string>;
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the committed stack files changed shape');
  return value;
}

function dnsTarget(prometheus: Editable['prometheus'], index: number) {
  return must(must(prometheus.scrape_configs[0]).dns_sd_configs[index]);
}

function query(dashboards: Editable['dashboards'], panel: number) {
  return must(must(must(dashboards['kafkadog.json']).panels[panel]).targets[0]);
}

function panelTitle(panel: number): string {
  const dashboard = real.dashboards['kafkadog.json'] as Editable['dashboards'][string];
  return must(dashboard.panels[panel]).title;
}

let real: StackFiles;
let committed: Record<string, string[]>;
// The first run parses every source file of the services and the dashboard with the TypeScript
// compiler (a few hundred files, seconds on a busy machine); the broken copies reuse the parses.
beforeAll(async () => {
  real = readStackFiles(REPO_ROOT);
  committed = await checkStack(real);
}, 60_000);

/** A copy of the stack files with one part changed, as a broken commit would have it. */
function broken(
  change: (copy: Editable, service: (name: string) => ServiceDoc) => void,
): StackFiles {
  const copy = structuredClone({
    compose: real.compose,
    prometheus: real.prometheus,
    datasources: real.datasources,
    dashboards: real.dashboards,
    dockerfiles: real.dockerfiles,
    dockerignores: real.dockerignores,
  }) as unknown as Editable;
  change(copy, (name) => must(copy.compose.services[name]));
  return { root: REPO_ROOT, ...copy };
}

const DOCKERFILE = 'docker/Dockerfile';

describe('the container stack (docker-compose.yml, docker/)', () => {
  it('passes every check as committed', () => {
    expect(committed).toEqual({
      schema: [],
      environment: [],
      builds: [],
      prometheus: [],
      grafana: [],
    });
  });

  describe('Compose Specification schema', () => {
    it('refuses a depends_on condition compose does not know', () => {
      const files = broken((_, service) => {
        must(service('api-gateway').depends_on.kafka).condition = 'service_ready';
      });
      expect(checkComposeSchema(files)).toContainEqual(
        expect.stringMatching(
          /^docker-compose\.yml\/services\/api-gateway\/depends_on\/kafka\/condition: must be equal to one of the allowed values/,
        ),
      );
    });

    it('refuses a misspelt healthcheck key and a malformed duration', () => {
      const files = broken((_, service) => {
        must(service('kafka').healthcheck).intervall = '5s';
        must(service('grafana').healthcheck).timeout = '5 seconds';
      });
      const problems = checkComposeSchema(files);
      expect(problems).toContain(
        'docker-compose.yml/services/kafka/healthcheck: must NOT have additional properties (intervall)',
      );
      expect(problems).toContain(
        'docker-compose.yml/services/grafana/healthcheck/timeout: must match format "duration"',
      );
    });
  });

  describe('environment against what the code reads', () => {
    it('refuses a misspelt variable and names the one the code reads', () => {
      const files = broken((_, service) => {
        const env = service('payment-service').environment;
        env.KAFKA_BROKER = must(env.KAFKA_BROKERS);
        delete env.KAFKA_BROKERS;
      });
      const problems = checkEnvironment(files);
      expect(problems).toContain(
        'payment-service: sets KAFKA_BROKER, which its code does not read (did you mean KAFKA_BROKERS?)',
      );
      expect(problems).toContainEqual(
        expect.stringMatching(/^payment-service: does not set KAFKA_BROKERS; its default/),
      );
    });

    it('refuses a variable another service reads but this one does not', () => {
      const files = broken((_, service) => {
        service('payment-service').environment.SAGA_TIMEOUT_MS = 30000;
      });
      expect(checkEnvironment(files)).toEqual([
        'payment-service: sets SAGA_TIMEOUT_MS, which its code does not read',
      ]);
    });

    it('refuses the host listener, a loopback HOST and a URL at the wrong port', () => {
      const files = broken((_, service) => {
        service('order-saga').environment.KAFKA_BROKERS = 'kafka:9092';
        service('order-saga').environment.HOST = '127.0.0.1';
        service('dashboard').environment.API_INTERNAL_URL = 'http://api-gateway:3000';
      });
      const problems = checkEnvironment(files);
      expect(problems).toContainEqual(
        expect.stringMatching(
          /^order-saga: KAFKA_BROKERS=kafka:9092, but kafka advertises no listener kafka:9092/,
        ),
      );
      expect(problems).toContain(
        'order-saga: HOST=127.0.0.1 listens only inside its own container; use 0.0.0.0',
      );
      expect(problems).toContain(
        'dashboard: API_INTERNAL_URL: http://api-gateway:3000, but api-gateway listens on 3001',
      );
    });

    it('refuses a value the service itself would refuse at boot', () => {
      const files = broken((_, service) => {
        service('notification-service').environment.KAFKADOG_PROCESSING = 'exactly-twice';
      });
      expect(checkEnvironment(files)).toContainEqual(
        expect.stringMatching(/^notification-service: invalid environment: KAFKADOG_PROCESSING/),
      );
    });
  });

  describe('builds and images', () => {
    it('refuses a COPY source that does not exist', () => {
      const files = broken(({ dockerfiles }) => {
        dockerfiles[DOCKERFILE] = dockerfiles[DOCKERFILE]!.replace(
          'COPY patches ./patches',
          'COPY patchez ./patches',
        );
      });
      expect(checkBuilds(files)).toContainEqual(
        expect.stringMatching(/^docker\/Dockerfile:\d+: COPY source patchez does not exist$/),
      );
    });

    it('refuses a COPY source that .dockerignore leaves out of the context', () => {
      const files = broken(({ dockerignores }) => {
        dockerignores['.'] += '\npatches\n';
      });
      expect(checkBuilds(files)).toContainEqual(
        expect.stringMatching(
          /^docker\/Dockerfile:\d+: COPY source patches is excluded by \.dockerignore$/,
        ),
      );
    });

    it('refuses a Kafka image other than the version npm start runs', () => {
      const files = broken((_, service) => {
        service('kafka').image = 'apache/kafka:3.9.1';
      });
      expect(checkBuilds(files)).toContainEqual(
        expect.stringMatching(
          /^kafka: image apache\/kafka:3\.9\.1, but npm start runs Kafka 4\.2\.2/,
        ),
      );
    });

    it('refuses an image nobody builds, a missing stage and a command that runs no service', () => {
      const files = broken((_, service) => {
        delete service('order-saga').build;
        service('order-saga').image = 'kafkadog-backnd';
        must(service('dashboard').build).target = 'frontend';
        service('payment-service').command = ['node', 'backend/apps/payments/dist/main.js'];
      });
      const problems = checkBuilds(files);
      expect(problems).toContain(
        'order-saga: image kafkadog-backnd is not built here and has no pinned tag',
      );
      expect(problems).toContain('dashboard: docker/Dockerfile has no stage frontend');
      expect(problems).toContain(
        'payment-service: runs backend/apps/payments/dist/main.js, but backend/apps/payments/src/main.ts does not exist',
      );
    });

    it('refuses a wait for health on a service without a healthcheck, and a wrong Node', () => {
      const files = broken(({ dockerfiles }, service) => {
        delete service('kafka').healthcheck;
        dockerfiles[DOCKERFILE] = dockerfiles[DOCKERFILE]!.replace(
          'ARG NODE_IMAGE=node:24-bookworm-slim',
          'ARG NODE_IMAGE=node:20-bookworm-slim',
        );
      });
      const problems = checkBuilds(files);
      expect(problems).toContain(
        'topics-init: waits for kafka to be healthy, which has no healthcheck',
      );
      expect(problems).toContain(
        'docker/Dockerfile: FROM node:20-bookworm-slim, but .nvmrc says Node 24',
      );
    });

    it('refuses a published port the service does not listen on', () => {
      const files = broken((_, service) => {
        service('api-gateway').ports = ['3001:3011'];
      });
      expect(checkBuilds(files)).toEqual([
        'api-gateway: publishes container port 3011, but it listens on 3001',
      ]);
    });

    it('refuses a host port on a service that scales', () => {
      const files = broken((_, service) => {
        service('payment-service').ports = ['3003:3003'];
      });
      expect(checkBuilds(files)).toEqual([
        'payment-service: publishes a host port, so `docker compose up --scale payment-service=2` would clash; only the gateway and the dashboard publish one',
      ]);
    });
  });

  describe('Prometheus', () => {
    it('refuses a scrape target at a port the service does not listen on', () => {
      const files = broken(({ prometheus }) => {
        dnsTarget(prometheus, 2).port = 3009;
      });
      expect(checkPrometheus(files)).toEqual([
        'prometheus job kafkadog: payment-service:3009, but payment-service listens on 3003',
      ]);
    });

    it('follows the port the compose file gives a service', () => {
      const files = broken((_, service) => {
        service('payment-service').environment.PORT = 3013;
      });
      expect(checkPrometheus(files)).toEqual([
        'prometheus job kafkadog: payment-service:3003, but payment-service listens on 3013',
      ]);
    });

    it('refuses a target that is no service, and a service nobody scrapes', () => {
      const files = broken(({ prometheus }) => {
        dnsTarget(prometheus, 3).names = ['inventory'];
      });
      expect(checkPrometheus(files)).toEqual([
        'prometheus job kafkadog: inventory:3004 is no service of docker-compose.yml',
        'prometheus: inventory-service serves /metrics but is not scraped',
      ]);
    });
  });

  describe('Grafana', () => {
    it('reads the metric names out of a query', () => {
      expect(
        metricNamesIn(
          'sum by (group) (sum by (topic) (kafkadog_messages_produced_total{topic="orders.v1"}) - on (topic) group_right () rate(kafkadog_messages_consumed_total[1m] offset 5m))',
        ),
      ).toEqual(['kafkadog_messages_produced_total', 'kafkadog_messages_consumed_total']);
    });

    it('refuses a query for a metric the code does not serve', async () => {
      const files = broken(({ dashboards }) => {
        query(dashboards, 2).expr = 'sum by (group) (kafkadog_consumer_lag_records)';
      });
      expect(await checkGrafana(files)).toEqual([
        `kafkadog.json: panel "${panelTitle(2)}" queries kafkadog_consumer_lag_records, which no service serves`,
      ]);
    });

    it('refuses a datasource at the wrong port and a panel on an unknown datasource', async () => {
      const files = broken(({ datasources, dashboards }) => {
        must(must(datasources[0]).datasources[0]).url = 'http://prometheus:9091';
        query(dashboards, 0).datasource.uid = 'prom';
      });
      const problems = await checkGrafana(files);
      expect(problems).toContain(
        'grafana datasource Prometheus: http://prometheus:9091, but prometheus listens on 9090',
      );
      expect(problems).toContainEqual(
        expect.stringMatching(/uses datasource prom, which is not provisioned$/),
      );
    });
  });
});

describe('envReads', () => {
  it('finds the keys of parseEnv schemas, extended and imported, and process.env reads', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kafkadog-env-'));
    try {
      mkdirSync(path.join(root, 'src'));
      writeFileSync(
        path.join(root, 'src', 'base.ts'),
        'export const base = z.object({ KAFKA_BROKERS: z.string() });\n',
      );
      writeFileSync(
        path.join(root, 'src', 'main.ts'),
        [
          "import { base } from './base.js';",
          'const own = base.extend({ SAGA_TIMEOUT_MS: z.number() });',
          'parseEnv(own);',
          "const host = process.env.HOST ?? process.env['PORT'];",
          "await import('./late.js');",
        ].join('\n'),
      );
      writeFileSync(path.join(root, 'src', 'late.ts'), 'export const x = env.LATE_ONE;\n');
      expect([...envReads(root, ['src/main.ts']).keys()].sort()).toEqual([
        'HOST',
        'KAFKA_BROKERS',
        'LATE_ONE',
        'PORT',
        'SAGA_TIMEOUT_MS',
      ]);
      writeFileSync(path.join(root, 'src', 'main.ts'), 'parseEnv(schemaFrom(process));\n');
      expect(() => envReads(root, ['src/main.ts'])).toThrow(
        'cannot read the env schema passed to parseEnv at src/main.ts:1',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('isIgnored (.dockerignore)', () => {
  it('anchors at the context root, spans folders with ** and re-includes with !', () => {
    const ignore = '**/node_modules\n.git\ndocs/*.md\n!docs/keep.md\n';
    expect(isIgnored(ignore, 'node_modules')).toBe(true);
    expect(isIgnored(ignore, 'backend/libs/kafka/node_modules/x')).toBe(true);
    expect(isIgnored(ignore, '.git/HEAD')).toBe(true);
    expect(isIgnored(ignore, 'backend/.git')).toBe(false);
    expect(isIgnored(ignore, 'docs/a.md')).toBe(true);
    expect(isIgnored(ignore, 'docs/keep.md')).toBe(false);
    expect(isIgnored(ignore, 'patches')).toBe(false);
  });
});

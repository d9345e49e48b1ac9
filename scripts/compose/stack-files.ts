/**
 * The files that run kafkadog in containers, read into one value the checks take: the compose
 * file, the Dockerfiles it builds, .dockerignore, Prometheus's configuration and Grafana's
 * provisioning. A test passes a changed copy to see a check fail.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const COMPOSE_FILE = 'docker-compose.yml';
export const PROMETHEUS_FILE = 'docker/prometheus/prometheus.yml';
export const GRAFANA_DATASOURCES_DIR = 'docker/grafana/provisioning/datasources';
export const GRAFANA_DASHBOARDS_DIR = 'docker/grafana/dashboards';

export interface StackFiles {
  /** The repository: build contexts, COPY sources and code are looked up here. */
  readonly root: string;
  /** docker-compose.yml as parsed, YAML merge keys (`<<: *backend`) resolved. */
  readonly compose: unknown;
  /** Dockerfile texts by path relative to the root; one not here is read from the root. */
  readonly dockerfiles: Readonly<Record<string, string>>;
  /** .dockerignore of each build context, by the context's path relative to the root. */
  readonly dockerignores: Readonly<Record<string, string>>;
  readonly prometheus: unknown;
  /** Grafana datasource provisioning files, parsed. */
  readonly datasources: readonly unknown[];
  /** Grafana dashboards by file name, parsed. */
  readonly dashboards: Readonly<Record<string, unknown>>;
}

export function parseYaml(text: string): unknown {
  return parse(text, { merge: true });
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The build contexts and Dockerfiles the compose file names (relative to the root). */
function builds(root: string, compose: unknown): { contexts: string[]; dockerfiles: string[] } {
  const contexts = new Set<string>();
  const dockerfiles = new Set<string>();
  const services = (compose as { services?: Record<string, { build?: unknown }> }).services ?? {};
  for (const service of Object.values(services)) {
    const build = service.build;
    if (build === undefined) continue;
    const context =
      typeof build === 'string' ? build : ((build as { context?: string }).context ?? '.');
    const dockerfile =
      typeof build === 'string'
        ? 'Dockerfile'
        : ((build as { dockerfile?: string }).dockerfile ?? 'Dockerfile');
    const contextDir = path.relative(root, path.resolve(root, context)) || '.';
    contexts.add(contextDir);
    dockerfiles.add(path.relative(root, path.resolve(root, contextDir, dockerfile)));
  }
  return { contexts: [...contexts], dockerfiles: [...dockerfiles] };
}

export function readStackFiles(root: string): StackFiles {
  const compose = parseYaml(readFileSync(path.join(root, COMPOSE_FILE), 'utf8'));
  const { contexts, dockerfiles } = builds(root, compose);
  const texts: Record<string, string> = {};
  for (const dockerfile of dockerfiles) {
    const text = readIfExists(path.join(root, dockerfile));
    if (text !== undefined) texts[dockerfile] = text;
  }
  const ignores: Record<string, string> = {};
  for (const context of contexts) {
    const text = readIfExists(path.join(root, context, '.dockerignore'));
    if (text !== undefined) ignores[context] = text;
  }
  const yamlFiles = (dir: string) =>
    existsSync(path.join(root, dir))
      ? readdirSync(path.join(root, dir))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => parseYaml(readFileSync(path.join(root, dir, name), 'utf8')))
      : [];
  const dashboards: Record<string, unknown> = {};
  if (existsSync(path.join(root, GRAFANA_DASHBOARDS_DIR))) {
    for (const name of readdirSync(path.join(root, GRAFANA_DASHBOARDS_DIR)).sort()) {
      if (!name.endsWith('.json')) continue;
      dashboards[name] = JSON.parse(
        readFileSync(path.join(root, GRAFANA_DASHBOARDS_DIR, name), 'utf8'),
      ) as unknown;
    }
  }
  return {
    root,
    compose,
    dockerfiles: texts,
    dockerignores: ignores,
    prometheus: parseYaml(readFileSync(path.join(root, PROMETHEUS_FILE), 'utf8')),
    datasources: yamlFiles(GRAFANA_DATASOURCES_DIR),
    dashboards,
  };
}

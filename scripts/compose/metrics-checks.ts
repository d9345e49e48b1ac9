/** Prometheus scrapes what the compose file runs; Grafana asks only for metrics that exist. */
import { createServiceMetrics } from '@kafkadog/service';
import { backendServiceOf, listenPorts, servicesOf } from './compose-model.js';
import type { StackFiles } from './stack-files.js';

interface ScrapeConfig {
  job_name?: string;
  static_configs?: { targets?: string[] }[];
  dns_sd_configs?: { names?: string[]; port?: number; type?: string }[];
}

/** Every scrape target is a service of the file at a port it listens on; every service of ours is scraped. */
export function checkPrometheus(files: StackFiles): string[] {
  const problems: string[] = [];
  const services = servicesOf(files.compose);
  const named = new Map(services.map((service) => [service.name, service]));
  const scraped = new Set<string>();
  const configs =
    (files.prometheus as { scrape_configs?: ScrapeConfig[] } | null)?.scrape_configs ?? [];
  const target = (job: string, host: string, port: number) => {
    const service = named.get(host);
    if (!service) {
      problems.push(`prometheus job ${job}: ${host}:${port} is no service of docker-compose.yml`);
      return;
    }
    scraped.add(host);
    const ports = listenPorts(service);
    if (!ports.includes(port)) {
      problems.push(
        `prometheus job ${job}: ${host}:${port}, but ${host} listens on ${ports.join(', ') || 'no known port'}`,
      );
    }
  };
  for (const config of configs) {
    const job = config.job_name ?? '?';
    for (const staticConfig of config.static_configs ?? []) {
      for (const address of staticConfig.targets ?? []) {
        const [host = '', port = '80'] = address.split(':');
        if (host === 'localhost' || host === '127.0.0.1') continue; // Prometheus itself
        target(job, host, Number(port));
      }
    }
    for (const dns of config.dns_sd_configs ?? []) {
      for (const name of dns.names ?? []) target(job, name, Number(dns.port));
    }
  }
  for (const service of services) {
    if (backendServiceOf(service) && !scraped.has(service.name)) {
      problems.push(`prometheus: ${service.name} serves /metrics but is not scraped`);
    }
  }
  return problems;
}

const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects. */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][\w:]*|\d[\w.]*/g)) {
    const token = match[0];
    if (/^\d/.test(token) || PROMQL_KEYWORDS.has(token.toLowerCase())) continue;
    const after = stripped.slice((match.index ?? 0) + token.length);
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    names.push(token);
  }
  return names;
}

// Series Prometheus writes itself for every target.
const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** What a service's /metrics serves, as the code registers it (histograms with their series). */
export async function servedMetricNames(): Promise<Set<string>> {
  const names = new Set(PROMETHEUS_SERIES);
  const metrics = await createServiceMetrics('check').registry.getMetricsAsJSON();
  for (const metric of metrics) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
    if (String(metric.type) === 'summary') {
      for (const suffix of ['_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

interface Panel {
  title?: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

/**
 * Grafana: the datasource points at a service of the file, every panel uses a provisioned
 * datasource, and every query names only metrics the services serve.
 */
export async function checkGrafana(files: StackFiles): Promise<string[]> {
  const problems: string[] = [];
  const services = servicesOf(files.compose);
  const named = new Map(services.map((service) => [service.name, service]));
  const uids = new Set<string>();
  for (const file of files.datasources) {
    for (const source of (file as { datasources?: { uid?: string; url?: string; name?: string }[] })
      .datasources ?? []) {
      if (source.uid) uids.add(source.uid);
      const match = /^https?:\/\/([^/:]+)(?::(\d+))?/.exec(source.url ?? '');
      const host = match?.[1] ?? '';
      const service = named.get(host);
      if (!service) {
        problems.push(
          `grafana datasource ${source.name ?? '?'}: ${source.url ?? '(no url)'} is no service of docker-compose.yml`,
        );
      } else if (!listenPorts(service).includes(Number(match?.[2] ?? 80))) {
        problems.push(
          `grafana datasource ${source.name ?? '?'}: ${source.url ?? ''}, but ${host} listens on ${listenPorts(service).join(', ')}`,
        );
      }
    }
  }
  const served = await servedMetricNames();
  for (const [file, dashboard] of Object.entries(files.dashboards)) {
    const panels: Panel[] = [...((dashboard as { panels?: Panel[] }).panels ?? [])];
    for (let panel = panels.shift(); panel; panel = panels.shift()) {
      panels.push(...(panel.panels ?? []));
      for (const query of panel.targets ?? []) {
        const uid = query.datasource?.uid ?? panel.datasource?.uid;
        if (uid !== undefined && !uids.has(uid)) {
          problems.push(
            `${file}: panel "${panel.title ?? '?'}" uses datasource ${uid}, which is not provisioned`,
          );
        }
        for (const name of metricNamesIn(query.expr ?? '')) {
          if (!served.has(name)) {
            problems.push(
              `${file}: panel "${panel.title ?? '?'}" queries ${name}, which no service serves`,
            );
          }
        }
      }
    }
  }
  return problems;
}

/**
 * The names the scenario guides may use, read from where the code declares them: the topic
 * registry, the services' group ids, their controllers, the dashboard's pages and texts.
 */
import { allTopics } from '@kafkadog/contracts';
import { retryGroupId } from '@kafkadog/kafka';
import path from 'node:path';
import { SCENARIO_IDS } from '../../backend/apps/api-gateway/src/scenarios/scenario.js';
import { DEFAULT_BASE_PORT } from '../../scripts/kafka/config.js';
import { DASHBOARD_PORT, REPO_ROOT, SERVICES } from '../../scripts/lib/services.js';
import {
  controllerRoutes,
  dashboardRoute,
  filesUnder,
  normaliseText,
  readText,
  type KnownNames,
  type Route,
} from './doc-references.js';

const isSource = (name: string) => /\.tsx?$/.test(name) && !/\.(spec|test)\.tsx?$/.test(name);

function sourcesOf(dir: string): string[] {
  return filesUnder(path.join(REPO_ROOT, dir), isSource).map((file) =>
    readText(path.join(REPO_ROOT, dir, file)),
  );
}

/**
 * Each app's consumer groups: the group id it declares, its retry worker's group when it runs an
 * order processor (which starts one), and its lease group when it runs a single active instance.
 */
function consumerGroups(): Set<string> {
  const singleActive = readText(
    path.join(REPO_ROOT, 'backend/libs/service/src/processing/single-active.ts'),
  );
  const leaseSuffix = /groupId: `\$\{options\.name\}(\.[a-z]+)`/.exec(singleActive)?.[1];
  if (!leaseSuffix) throw new Error('single-active.ts no longer names the lease group');
  const groups = new Set<string>();
  for (const { name } of SERVICES) {
    const code = sourcesOf(`backend/apps/${name}/src`).join('\n');
    const ids = [...code.matchAll(/(?:GROUP_ID\s*=|groupId:)\s*'([a-z0-9.-]+)'/g)].map(
      (match) => match[1] as string,
    );
    for (const id of ids) {
      groups.add(id);
      if (/\bcreateOrderProcessor\s*[<(]/.test(code)) groups.add(retryGroupId(id));
      if (/\brunSingleActive\s*[<(]/.test(code)) groups.add(`${id}${leaseSuffix}`);
    }
  }
  return groups;
}

/** The routes of one app: its controllers, the health and metrics every app serves, its docs. */
function appRoutes(name: string): Route[] {
  const controllers = (dir: string) =>
    filesUnder(path.join(REPO_ROOT, dir), (file) => file.endsWith('.controller.ts')).flatMap(
      (file) => controllerRoutes(readText(path.join(REPO_ROOT, dir, file))),
    );
  const routes = [
    ...controllers(`backend/apps/${name}/src`),
    ...controllers('backend/libs/service/src/http'),
  ];
  for (const code of sourcesOf(`backend/apps/${name}/src`)) {
    for (const match of code.matchAll(/SwaggerModule\.setup\('([^']+)'/g)) {
      routes.push({ method: 'GET', path: `/${match[1] as string}` });
    }
  }
  return routes;
}

function envVars(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['backend', 'scripts', 'frontend/app']) {
    for (const code of sourcesOf(dir)) {
      for (const match of code.matchAll(/\b[A-Z][A-Z0-9_]{1,}\b/g)) names.add(match[0]);
    }
  }
  return names;
}

export function loadKnownNames(): KnownNames {
  const pages = filesUnder(path.join(REPO_ROOT, 'frontend/app'), (name) => name === 'page.tsx');
  return {
    topics: new Set(allTopics.map((topic) => topic.name)),
    groups: consumerGroups(),
    services: new Set(SERVICES.map((service) => service.name)),
    scenarios: new Set(SCENARIO_IDS),
    backendRoutes: new Map(SERVICES.map((service) => [service.port, appRoutes(service.name)])),
    dashboardPort: DASHBOARD_PORT,
    dashboardRoutes: pages.map(dashboardRoute),
    brokerPort: DEFAULT_BASE_PORT,
    envVars: envVars(),
    dashboardText: normaliseText(sourcesOf('frontend/app').join('\n')),
  };
}

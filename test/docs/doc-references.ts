/**
 * What the scenario guides (docs/scenarios/*.md) refer to, checked against the code: topic names,
 * consumer groups, the services' HTTP routes (by port), dashboard routes, environment variables
 * and the dashboard labels they tell a learner to press. Pure functions over texts, so that the
 * checks themselves can be tested on small fixtures.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface Route {
  readonly method: string;
  /** `/explorer/groups/:id/reset`; `:name` segments match any one segment. */
  readonly path: string;
}

export interface KnownNames {
  readonly topics: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly scenarios: ReadonlySet<string>;
  /** Port → the routes of the service that listens on it. */
  readonly backendRoutes: ReadonlyMap<number, readonly Route[]>;
  readonly dashboardPort: number;
  readonly dashboardRoutes: readonly string[];
  readonly brokerPort: number;
  readonly envVars: ReadonlySet<string>;
  /** Every text of the dashboard's sources, normalised (see `normaliseText`). */
  readonly dashboardText: string;
}

export interface Problem {
  readonly line: number;
  readonly message: string;
}

/** How many references of each kind a document made: a check that checked nothing proves nothing. */
export interface Checked {
  topics: number;
  groups: number;
  routes: number;
  dashboardRoutes: number;
  envVars: number;
  labels: number;
}

export interface DocReport {
  readonly problems: Problem[];
  readonly checked: Checked;
}

// ---- what the code declares ------------------------------------------------------------------

const METHOD_DECORATOR = /@(Get|Post|Put|Delete|Patch)\(\s*(?:'([^']*)')?\s*\)/g;
const CONTROLLER_DECORATOR = /@Controller\(\s*(?:'([^']*)')?\s*\)/g;

function joinPath(...parts: (string | undefined)[]): string {
  const segments = parts.flatMap((part) => (part ?? '').split('/')).filter(Boolean);
  return `/${segments.join('/')}`;
}

/** The routes a NestJS controller file declares: its `@Controller` prefix and method decorators. */
export function controllerRoutes(source: string): Route[] {
  const controllers = [...source.matchAll(CONTROLLER_DECORATOR)];
  return controllers.flatMap((controller, index) => {
    const end = controllers[index + 1]?.index ?? source.length;
    const body = source.slice(controller.index, end);
    return [...body.matchAll(METHOD_DECORATOR)].map((method) => ({
      method: (method[1] as string).toUpperCase(),
      path: joinPath(controller[1], method[2]),
    }));
  });
}

/** `frontend/app/explorer/groups/[id]/page.tsx` → `/explorer/groups/:id`. */
export function dashboardRoute(pageFile: string): string {
  const segments = pageFile
    .split('/')
    .slice(0, -1)
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[(.+)\]$/, ':$1'));
  return joinPath(...segments);
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.next']);

/** Every file under `dir` whose name passes `keep`, relative to `dir` with `/`, builds skipped. */
export function filesUnder(dir: string, keep: (name: string) => boolean, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(dir, keep, relative);
      }
      return entry.isFile() && keep(entry.name) ? [relative] : [];
    })
    .sort();
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Quotes, entities and whitespace as a reader sees them, so doc and JSX texts compare. */
export function normaliseText(text: string): string {
  return text
    .replaceAll('&apos;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ');
}

// ---- what a document refers to ---------------------------------------------------------------

/** A doc segment that stands for a value: `<orderId>`, `{id}`, `$ORDER`, `:id`, `…`. */
function isPlaceholder(segment: string): boolean {
  return /^<[^>]*>$|^\{[^}]*\}$|^\$|^:|…/.test(segment);
}

/** The route's parameters when `docPath` is one of its paths, else undefined. */
export function matchRoute(route: string, docPath: string): Record<string, string> | undefined {
  const expected = route.split('/').filter(Boolean);
  const actual = docPath.split('/').filter(Boolean);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const given = actual[index] as string;
    if (segment.startsWith(':')) {
      if (!isPlaceholder(given)) params[segment.slice(1)] = decodeURIComponent(given);
    } else if (given !== segment) {
      return undefined;
    }
  }
  return params;
}

/** Lines joined across shell continuations (`\` at the end), each with its first line number. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, index) => {
    const current = pending ?? { line: index + 1, text: '' };
    const continued = /\\\s*$/.test(raw);
    current.text += `${raw.replace(/\\\s*$/, '')} `;
    pending = continued ? current : undefined;
    if (!continued) out.push(current);
  });
  if (pending) out.push(pending);
  return out;
}

const TOPIC = /(?<![\w.<>-])([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.v\d+)(?![\w-])/g;
const URL = /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):(\d+)((?:\/[^\s'"`)\]|]*)?)/g;
const METHOD_PATH = /\b(GET|POST|PUT|DELETE|PATCH) (\/[^\s`'",)]*)/g;
const CODE_PATH = /`(\/[^`\s]*)`/g;
const SERVICE_TOKEN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:service|saga)(?:\.[a-z]+)?$/;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const STANDARD_ENV = new Set(['HOME', 'PATH']);

/** A doc path as a route path: no query, no fragment, no trailing punctuation or autolink `>`. */
function cleanPath(raw: string): string {
  let value = raw.replace(/[?#].*$/, '');
  for (;;) {
    const opened = (value.match(/</g) ?? []).length;
    const closed = (value.match(/>/g) ?? []).length;
    const next = (closed > opened ? value.replace(/>$/, '') : value).replace(/[.,:;]+$/, '');
    if (next === value) return value;
    value = next;
  }
}

function sections(text: string): { heading: string; start: number; end: number }[] {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, index) =>
    /^#{1,6} /.test(line) ? [{ heading: line.replace(/^#+ /, ''), start: index }] : [],
  );
  return starts.map((section, index) => ({
    ...section,
    end: starts[index + 1]?.start ?? lines.length,
  }));
}

/** Checks every reference of one document; `problems` is empty when all of them exist. */
export function checkDoc(text: string, known: KnownNames): DocReport {
  const problems: Problem[] = [];
  const checked: Checked = {
    topics: 0,
    groups: 0,
    routes: 0,
    dashboardRoutes: 0,
    envVars: 0,
    labels: 0,
  };
  const lines = text.split('\n');
  const allBackend = [...known.backendRoutes.values()].flat();

  const checkTopic = (line: number, name: string) => {
    checked.topics++;
    if (!known.topics.has(name)) problems.push({ line, message: `unknown topic ${name}` });
  };
  const checkGroup = (line: number, name: string) => {
    if (isPlaceholder(name)) return;
    checked.groups++;
    if (!known.groups.has(name)) problems.push({ line, message: `unknown consumer group ${name}` });
  };
  /** What a route's parameters name must exist too: a group, a topic, a scenario. */
  const checkParams = (line: number, route: string, params: Record<string, string>) => {
    if (params.id !== undefined && route.startsWith('/explorer/groups/'))
      checkGroup(line, params.id);
    if (params.name !== undefined && route.startsWith('/explorer/topics/'))
      checkTopic(line, params.name);
    if (params.id !== undefined && route.startsWith('/scenarios/')) {
      if (!known.scenarios.has(params.id)) {
        problems.push({ line, message: `unknown scenario ${params.id}` });
      }
    }
  };
  const checkBackend = (
    line: number,
    routes: readonly Route[],
    method: string | undefined,
    docPath: string,
    where: string,
  ) => {
    checked.routes++;
    const hits = routes.flatMap((route) => {
      const params = matchRoute(route.path, docPath);
      return params && (method === undefined || route.method === method) ? [{ route, params }] : [];
    });
    const [hit] = hits;
    if (!hit) {
      problems.push({ line, message: `no route ${method ?? 'any method'} ${docPath} on ${where}` });
      return;
    }
    checkParams(line, hit.route.path, hit.params);
  };
  const checkDashboard = (line: number, docPath: string) => {
    checked.dashboardRoutes++;
    const hit = known.dashboardRoutes
      .map((route) => ({ route, params: matchRoute(route, docPath) }))
      .find((candidate) => candidate.params !== undefined);
    if (!hit?.params) {
      problems.push({ line, message: `no dashboard page ${docPath}` });
      return;
    }
    checkParams(line, hit.route, hit.params);
  };

  // Topics, anywhere in the text.
  lines.forEach((content, index) => {
    for (const match of content.matchAll(TOPIC)) checkTopic(index + 1, match[1] as string);
  });

  for (const { line, text: content } of logicalLines(text)) {
    // URLs: the dashboard's pages, the services' routes (with curl's method), the broker.
    const isCurl = /\bcurl\b/.test(content);
    const method = isCurl
      ? (/\s-X\s+([A-Z]+)/.exec(content)?.[1] ??
        (/\s(?:-d|--data\S*)\s/.test(content) ? 'POST' : 'GET'))
      : undefined;
    for (const match of content.matchAll(URL)) {
      const port = Number(match[1]);
      const docPath = cleanPath(match[2] ?? '');
      if (port === known.brokerPort) continue;
      if (docPath === '' || docPath === '/') {
        if (port !== known.dashboardPort && !known.backendRoutes.has(port)) {
          problems.push({ line, message: `nothing of kafkadog listens on port ${port}` });
        }
        continue;
      }
      if (port === known.dashboardPort) {
        checkDashboard(line, docPath);
        continue;
      }
      const routes = known.backendRoutes.get(port);
      if (!routes) {
        problems.push({ line, message: `nothing of kafkadog listens on port ${port}` });
        continue;
      }
      checkBackend(line, routes, method, docPath, `port ${port}`);
    }
    // `POST /dlq/<offset>/redrive` in prose: a route of any service.
    for (const match of content.matchAll(METHOD_PATH)) {
      checkBackend(line, allBackend, match[1], cleanPath(match[2] as string), 'any service');
    }
    // `/orders/<orderId>` in code: a dashboard page or a service's route.
    for (const match of content.matchAll(CODE_PATH)) {
      const docPath = cleanPath(match[1] as string);
      const before = content.slice(0, match.index);
      if (/\b(GET|POST|PUT|DELETE|PATCH) $/.test(before)) continue;
      const page = known.dashboardRoutes.some((route) => matchRoute(route, docPath));
      const route = allBackend.some((candidate) => matchRoute(candidate.path, docPath));
      checked.routes++;
      if (!page && !route) problems.push({ line, message: `no page or route ${docPath}` });
      else if (page) checkDashboard(line, docPath);
    }
    // Consumer groups: tool flags, JSON and Prometheus labels, `…-service` names in code.
    for (const match of content.matchAll(/--group\s+([^\s\\|;]+)/g)) {
      checkGroup(line, match[1] as string);
    }
    for (const match of content.matchAll(/"group(?:Id)?"\s*:\s*"([^"]+)"|\bgroup="([^"]+)"/g)) {
      checkGroup(line, (match[1] ?? match[2]) as string);
    }
    for (const match of content.matchAll(/`([^`\s]+)`/g)) {
      const token = match[1] as string;
      if (!SERVICE_TOKEN.test(token)) continue;
      if (known.services.has(token)) continue;
      checkGroup(line, token);
    }
    // Environment variables: `NAME=value command`, `NAME` in code, `$NAME`.
    // A shell variable the document sets itself and then uses (`KAFKA_LIBS=…`, `$KAFKA_LIBS`).
    const local = (name: string) =>
      new RegExp(`^\\s*${name}=`, 'm').test(text) && new RegExp(`\\$\\{?${name}\\b`).test(text);
    const names = [
      ...[...content.matchAll(/(?:^|[\s(])([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1] as string),
      ...[...content.matchAll(/`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`/g)]
        .map((m) => m[1] as string)
        .filter((name) => ENV_NAME.test(name)),
      ...[...content.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string),
    ];
    for (const name of new Set(names)) {
      if (STANDARD_ENV.has(name) || local(name)) continue;
      checked.envVars++;
      if (!known.envVars.has(name)) {
        problems.push({ line, message: `no code reads the environment variable ${name}` });
      }
    }
  }

  // Labels: what the "In the dashboard" sections tell a learner to look for or press.
  for (const section of sections(text).filter((s) => /dashboard/i.test(s.heading))) {
    const body = lines.slice(section.start + 1, section.end).join('\n');
    for (const match of body.matchAll(/\*\*([^*]+)\*\*/g)) {
      checked.labels++;
      const label = normaliseText(match[1] as string).trim();
      if (!known.dashboardText.includes(label)) {
        const line = section.start + 2 + (body.slice(0, match.index).match(/\n/g) ?? []).length;
        problems.push({ line, message: `no dashboard text "${label}"` });
      }
    }
  }
  return { problems, checked };
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../backend/apps/api-gateway/src/scenarios/scenario.js';
import { REPO_ROOT } from '../../scripts/lib/services.js';
import {
  checkDoc,
  controllerRoutes,
  dashboardRoute,
  filesUnder,
  readText,
} from './doc-references.js';
import { loadKnownNames } from './known-names.js';

const DOCS = path.join(REPO_ROOT, 'docs', 'scenarios');
const guides = filesUnder(DOCS, (name) => name.endsWith('.md'));
const known = loadKnownNames();

describe('the scenario guides', () => {
  it('has one guide per scenario of the gateway, plus exactly-once and the index', () => {
    expect(guides).toEqual(
      [...SCENARIO_IDS.map((id) => `${id}.md`), 'exactly-once.md', 'README.md'].sort(),
    );
  });

  it('are linked from their index, and the index from the README', () => {
    const index = readText(path.join(DOCS, 'README.md'));
    for (const guide of guides.filter((file) => file !== 'README.md')) {
      expect(index).toContain(`](${guide})`);
    }
    expect(readText(path.join(REPO_ROOT, 'README.md'))).toContain('](docs/scenarios/README.md)');
  });

  it.each(guides)(
    '%s names only topics, groups, routes, pages, variables and labels that exist',
    (guide) => {
      const { problems, checked } = checkDoc(readText(path.join(DOCS, guide)), known);
      expect(problems).toEqual([]);
      // A guide that refers to nothing would pass whatever the code says.
      expect(checked.topics).toBeGreaterThan(0);
      expect(checked.routes + checked.dashboardRoutes).toBeGreaterThan(0);
      if (guide !== 'README.md') expect(checked.labels).toBeGreaterThan(0);
    },
  );
});

describe('what the code declares', () => {
  it('finds every consumer group the services join', () => {
    expect([...known.groups].sort()).toEqual([
      'analytics-service',
      'analytics-service.lease',
      'inventory-service',
      'inventory-service.lease',
      'inventory-service.retry',
      'notification-service',
      'notification-service.retry',
      'order-saga',
      'order-saga.retry',
      'payment-service',
      'payment-service.retry',
    ]);
  });

  it('reads routes from the controllers and pages from the dashboard', () => {
    const gateway = known.backendRoutes.get(3001) ?? [];
    expect(gateway).toContainEqual({ method: 'POST', path: '/dlq/:offset/redrive' });
    expect(gateway).toContainEqual({ method: 'POST', path: '/explorer/groups/:id/reset' });
    expect(gateway).toContainEqual({ method: 'GET', path: '/health' });
    expect(known.backendRoutes.get(3004)).toContainEqual({ method: 'GET', path: '/stock' });
    expect(known.dashboardRoutes).toContain('/explorer/groups/:id');
    expect(
      controllerRoutes(
        "@Controller('a')\nclass A {\n  @Get()\n  x() {}\n  @Post(':id/b')\n  y() {}\n}",
      ),
    ).toEqual([
      { method: 'GET', path: '/a' },
      { method: 'POST', path: '/a/:id/b' },
    ]);
    expect(dashboardRoute('scenarios/[id]/page.tsx')).toBe('/scenarios/:id');
    expect(dashboardRoute('page.tsx')).toBe('/');
  });
});

describe('checkDoc', () => {
  const problemsOf = (text: string) => checkDoc(text, known).problems.map((p) => p.message);

  it('accepts what exists', () => {
    expect(
      problemsOf(
        [
          'Read `orders.outcome.v1` as `notification-service`; see <http://localhost:3000/explorer/groups/payment-service.retry>.',
          '```sh',
          "curl -s -X POST localhost:3001/explorer/groups/notification-service/reset -H 'content-type: application/json' \\",
          '  -d \'{"to":"earliest","dryRun":true}\'',
          'curl -s localhost:3001/orders/<orderId>',
          'SAGA_TIMEOUT_MS=120000 npm start',
          'kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group inventory-service.lease',
          '```',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('reports a misspelt topic', () => {
    expect(problemsOf('read `orders.outcome.v2` from the start')).toEqual([
      'unknown topic orders.outcome.v2',
    ]);
    expect(problemsOf('http://localhost:3000/explorer/topics/payment.v1')).toEqual([
      'unknown topic payment.v1',
      'unknown topic payment.v1',
    ]);
  });

  it('reports an unknown group, route, method, page, scenario, port, variable and label', () => {
    expect(problemsOf('kafka-consumer-groups.sh --describe --group payments-service')).toEqual([
      'unknown consumer group payments-service',
    ]);
    expect(problemsOf('the `inventory-service.retries` group')).toEqual([
      'unknown consumer group inventory-service.retries',
    ]);
    expect(problemsOf('curl -s -X POST localhost:3001/dlq/<offset>/redrives')).toEqual([
      'no route POST /dlq/<offset>/redrives on port 3001',
    ]);
    expect(problemsOf('curl -s -X PUT localhost:3001/dlq/<offset>/redrive')).toEqual([
      'no route PUT /dlq/<offset>/redrive on port 3001',
    ]);
    expect(problemsOf('curl -s localhost:3005/stock')).toEqual([
      'no route GET /stock on port 3005',
    ]);
    expect(problemsOf('open <http://localhost:3000/explorer/group/payment-service>')).toEqual([
      'no dashboard page /explorer/group/payment-service',
    ]);
    expect(problemsOf('<http://localhost:3000/scenarios/rebalance>')).toEqual([
      'unknown scenario rebalance',
    ]);
    expect(problemsOf('curl -s localhost:3007/health')).toEqual([
      'nothing of kafkadog listens on port 3007',
    ]);
    expect(problemsOf('KAFKADOG_PROCESING=exactly-once npm start')).toEqual([
      'no code reads the environment variable KAFKADOG_PROCESING',
    ]);
    expect(problemsOf('## In the dashboard\n\nPress **Run this scenario**.')).toEqual([
      'no dashboard text "Run this scenario"',
    ]);
  });
});

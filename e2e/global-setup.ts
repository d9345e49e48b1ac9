import { buildBackend } from '../scripts/lib/build.js';
import { buildDashboard, hasDashboard } from '../scripts/lib/dashboard.js';

/**
 * The browser tests run the services from their dist/ and the dashboard from frontend/.next:
 * build both once per test run (each build is skipped when nothing changed).
 */
export default async function setup(): Promise<void> {
  const backend = await buildBackend();
  if (!backend.ok) throw new Error(`the services do not build:\n${backend.output}`);
  if (!(await hasDashboard()))
    throw new Error('no frontend/: the browser tests need the dashboard');
  const dashboard = await buildDashboard();
  if (!dashboard.ok) throw new Error(`the dashboard does not build:\n${dashboard.output}`);
  console.log(
    `[kafkadog] services built in ${(backend.elapsedMs / 1000).toFixed(1)} s; dashboard ${
      dashboard.built ? `built in ${(dashboard.elapsedMs / 1000).toFixed(1)} s` : 'up to date'
    }`,
  );
}

import { checkBuilds, checkComposeSchema, checkEnvironment } from './checks.js';
import { checkGrafana, checkPrometheus } from './metrics-checks.js';
import type { StackFiles } from './stack-files.js';

export * from './checks.js';
export * from './metrics-checks.js';
export * from './stack-files.js';

/** Every check's problems, by check; empty lists when the stack files are sound. */
export async function checkStack(files: StackFiles): Promise<Record<string, string[]>> {
  return {
    schema: checkComposeSchema(files),
    environment: checkEnvironment(files),
    builds: checkBuilds(files),
    prometheus: checkPrometheus(files),
    grafana: await checkGrafana(files),
  };
}

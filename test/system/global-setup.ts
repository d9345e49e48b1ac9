import { buildBackend } from '../../scripts/lib/build.js';

/**
 * The system tests run the services from their dist/: build them once per test run
 * (`tsc -b` is incremental, so an up-to-date tree takes about a second).
 */
export default async function setup(): Promise<void> {
  const result = await buildBackend();
  if (!result.ok) {
    throw new Error(
      `tsc -b tsconfig.build.json failed; the system tests need a build:\n${result.output}`,
    );
  }
  console.log(`[kafkadog] services built in ${(result.elapsedMs / 1000).toFixed(1)} s`);
}

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isKafkadogError } from '../kafka/errors.js';
import { buildBackend } from '../lib/build.js';
import { consoleLogger as log, formatDuration, printError, startHeartbeat } from '../lib/log.js';
import type { Stack } from '../lib/stack.js';
import { HELP, parseBenchArgs } from './args.js';
import { renderChart } from './chart.js';
import { formatReport } from './report.js';
import { benchResult, type BenchResult, type ModeResult } from './result.js';
import { runMode, type ModeRun } from './run.js';

/** `npm run bench`: see HELP. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let running: Stack | undefined;
  /** From a mode's start until its stack is up: a stack starting stops itself on the abort. */
  let starting = false;
  const interrupted = new AbortController();
  // Ctrl+C: stop the services and the broker this run started, then leave. A stack still
  // starting stops what it started itself and fails its start: main then returns 130.
  const onSignal = () => {
    log.warn('\nInterrupted: stopping what the bench started…');
    interrupted.abort(new Error('the bench was interrupted'));
    if (running) void running.stop().finally(() => process.exit(130));
    else if (!starting) process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const args = parseBenchArgs(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (!(await build())) return 1;
    const runs: ModeRun[] = [];
    for (const mode of args.processing) {
      starting = true;
      const onStack = (stack: Stack | undefined) => {
        running = stack;
        starting = false;
      };
      runs.push(await runMode(args, mode, log, onStack, interrupted.signal));
    }
    const result = benchResult(runs.map((run) => run.result));
    log.info(`\n${formatReport(result)}\n`);
    await writeResults(args.outDir, result, runs[0]!);
    const loads = runs.flatMap((run) => [run.result.fixedRate, run.result.maxThroughput]);
    if (loads.some((load) => load && (load.lost > 0 || load.duplicates > 0))) {
      // A measurement, not a test: an overloaded stack may still be working when the wait ends.
      log.warn(
        'Some orders had no outcome within 30 s of the load (lost) or more than one (duplicates): see above.',
      );
    }
    return 0;
  } catch (error) {
    if (interrupted.signal.aborted) return 130;
    printError(
      isKafkadogError(error) ? error.message : `The bench failed: ${(error as Error).message}`,
      isKafkadogError(error) ? error.details : (error as Error).stack,
    );
    await running?.stop().catch(() => undefined);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function build(): Promise<boolean> {
  log.info('Building the services (tsc -b tsconfig.build.json)…');
  const stop = startHeartbeat(10_000, (ms) => log.info(`  still building (${formatDuration(ms)})`));
  const result = await buildBackend().finally(stop);
  if (!result.ok) {
    printError('The build failed: fix it and run again (`npm run build`).', result.output);
    return false;
  }
  log.info(`  built in ${formatDuration(result.elapsedMs)}`);
  return true;
}

/** latest.json and latest.svg, and a dated copy of each, so that runs can be compared. */
async function writeResults(dir: string, result: BenchResult, chartRun: ModeRun): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const svg = await renderChart({
    title: chartTitle(chartRun.result),
    latencies: chartRun.latencies,
    lag: chartRun.result.lag,
  });
  const files = [
    ['latest.json', json],
    [`bench-${stamp}.json`, json],
    ['latest.svg', svg],
    [`bench-${stamp}.svg`, svg],
  ] as const;
  for (const [name, content] of files) await writeFile(path.join(dir, name), content);
  log.info(`Wrote ${path.join(dir, 'latest.json')} and latest.svg (+ bench-${stamp}.*)`);
}

function chartTitle(r: ModeResult): string {
  return `kafkadog bench, ${r.mode}, ${r.startedAt.slice(0, 19)}Z, Kafka ${r.machine.kafka}, ${r.machine.cpus} CPU`;
}

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { formatDuration } from '../lib/log.js';
import type { ProcessName, Stack } from '../lib/stack.js';
import type { FaultContext } from './run.js';

export interface ServiceChaosOptions {
  readonly stack: Stack;
  /** A kill about this often (±25 %). */
  readonly everyMs: number;
  /** The same seed kills the same processes at the same times (FAULTS_SEED replays a run). */
  readonly seed: number;
  /** Who may be killed; every process of the stack by default. */
  readonly victims?: readonly ProcessName[];
}

/** A random order of `items` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], rng: RandomGenerator): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/**
 * `kill -9` of a random service process every few seconds while the load runs, each started
 * again at once (as a supervisor would) in the background. The victims come from a shuffled
 * bag: random, yet every process is killed before any is killed twice. A process still starting
 * after its last kill is left alone until it is healthy.
 */
export function serviceChaos(
  options: ServiceChaosOptions,
): (context: FaultContext) => Promise<void> {
  const { stack, everyMs } = options;
  return async (context) => {
    const rng = xoroshiro128plus(options.seed);
    const victims = options.victims ?? [...stack.processes];
    const restarting = new Map<ProcessName, Promise<void>>();
    let bag: ProcessName[] = [];
    let next = everyMs;
    for (;;) {
      await context.at(next);
      if (context.loadDone.aborted) break;
      next += (everyMs * uniformInt(rng, 75, 125)) / 100;
      if (bag.length === 0) bag = shuffled(victims, rng);
      const index = bag.findIndex((name) => !restarting.has(name));
      if (index < 0) continue;
      const [victim] = bag.splice(index, 1) as [ProcessName];
      const pid = stack.pid(victim);
      await stack.kill(victim, 'SIGKILL');
      const killedAt = Date.now();
      context.note(`kill -9 ${victim} (pid ${pid ?? '?'}); starting it again`);
      restarting.set(
        victim,
        stack
          .start(victim)
          .then(
            () =>
              context.note(
                `${victim} healthy again ${formatDuration(Date.now() - killedAt)} after its kill`,
              ),
            (error: unknown) =>
              context.fail(
                `${victim} did not come back: ${(error as Error).message.split('\n')[0]}`,
              ),
          )
          .finally(() => restarting.delete(victim)),
      );
    }
    await Promise.all(restarting.values());
  };
}

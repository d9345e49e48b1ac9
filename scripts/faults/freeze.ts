import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../lib/log.js';
import type { ProcessName, Stack } from '../lib/stack.js';
import type { FaultContext } from './run.js';

export interface ServiceFreezeOptions {
  readonly stack: Stack;
  /** Frozen one after the other, in this order, round and round. */
  readonly victims: readonly ProcessName[];
  /** How long each stays frozen: longer than a consumer group session (10 s) to matter. */
  readonly freezeMs: number;
  /** The first freeze this long after the load began, and each next one this long after the last thaw. */
  readonly everyMs: number;
}

/**
 * `kill -STOP` of a service for longer than its group session, then `kill -CONT`, while the load
 * runs: what a long GC pause, a suspended VM or a closed laptop lid does. The group gives the
 * frozen member's partitions to another; when it wakes, it still holds what it had fetched and
 * decided, and believes in its old assignment until the coordinator tells it otherwise. Nothing it
 * writes then may be lost or decided twice.
 */
export function serviceFreeze(
  options: ServiceFreezeOptions,
): (context: FaultContext) => Promise<void> {
  const { stack, victims, freezeMs, everyMs } = options;
  return async (context) => {
    let next = everyMs;
    for (let turn = 0; ; turn++) {
      await context.at(next);
      if (context.loadDone.aborted) return;
      const victim = victims[turn % victims.length]!;
      const pid = stack.pid(victim);
      if (pid === undefined) {
        context.fail(`${victim} is not running: nothing to freeze`);
        return;
      }
      process.kill(pid, 'SIGSTOP');
      const frozenAt = Date.now();
      context.note(`kill -STOP ${victim} (pid ${pid}) for ${formatDuration(freezeMs)}`);
      try {
        await sleep(freezeMs);
      } finally {
        // Always thawed, even when the run stops early: a stopped process ignores SIGTERM.
        process.kill(pid, 'SIGCONT');
      }
      context.note(`kill -CONT ${victim} after ${formatDuration(Date.now() - frozenAt)}`);
      next = context.elapsedMs() + everyMs;
    }
  };
}

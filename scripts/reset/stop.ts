import { commandArgs, isAlive, signal, waitUntil } from '../kafka/processes.js';
import { formatDuration, type Logger } from '../lib/log.js';
import {
  isServiceCommand,
  isStartCommand,
  readRunfile,
  removeRunfile,
  type Runfile,
} from '../start/runfile.js';

/** npm start stops its services (10 s each at most) and then Kafka (20 s at most). */
const START_GRACE_MS = 45_000;
const SERVICE_GRACE_MS = 10_000;

/**
 * Stops the `npm start` whose runfile is in `dataDir`, by its pid: SIGTERM lets it stop its
 * services, its dashboard and the broker it started, as Ctrl+C does. Services it leaves behind
 * (a start that was killed) are stopped by their own recorded pids. A pid is signalled only
 * while its command line is still what npm start ran: pids get reused.
 */
export async function stopRecordedStart(dataDir: string, log: Logger): Promise<boolean> {
  const runfile = await readRunfile(dataDir);
  if (!runfile) return false;
  let stopped = false;
  if (await isOurs(runfile.pid, isStartCommand)) {
    log.info(`Stopping npm start (pid ${runfile.pid}) and its services…`);
    const since = Date.now();
    signal(runfile.pid, 'SIGTERM');
    const gone = await waitUntil(async () => !(await isAlive(runfile.pid)), {
      timeoutMs: START_GRACE_MS,
    });
    if (gone) log.info(`  npm start stopped (${formatDuration(Date.now() - since)}).`);
    else {
      log.warn(`  npm start did not stop within ${formatDuration(START_GRACE_MS)}: killing it.`);
      signal(runfile.pid, 'SIGKILL');
    }
    stopped = true;
  }
  stopped = (await stopServices(runfile, log)) || stopped;
  await removeRunfile(dataDir);
  return stopped;
}

async function stopServices(runfile: Runfile, log: Logger): Promise<boolean> {
  const left: Runfile['services'][number][] = [];
  for (const service of runfile.services) {
    if (await isOurs(service.pid, isServiceCommand)) left.push(service);
  }
  if (left.length === 0) return false;
  log.info(`Stopping ${left.map((s) => `${s.name} (pid ${s.pid})`).join(', ')}…`);
  for (const service of left) signal(service.pid, 'SIGTERM');
  await Promise.all(
    left.map(async (service) => {
      const gone = await waitUntil(async () => !(await isAlive(service.pid)), {
        timeoutMs: SERVICE_GRACE_MS,
      });
      if (!gone) {
        log.warn(
          `  ${service.name} did not stop within ${formatDuration(SERVICE_GRACE_MS)}: killing it.`,
        );
        signal(service.pid, 'SIGKILL');
      }
    }),
  );
  return true;
}

async function isOurs(
  pid: number,
  matches: (args: readonly string[]) => boolean,
): Promise<boolean> {
  if (!(await isAlive(pid))) return false;
  const args = await commandArgs(pid);
  return args !== undefined && matches(args);
}

/**
 * `<data dir>/start.json`: which processes a running `npm start` owns, so that `npm run reset`
 * can stop them by pid (never by name). Written once the services are spawned, removed on exit;
 * a file left by a crash is recognised as stale by checking the processes' command lines.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Runfile {
  readonly kafkadog: 1;
  /** The node process that runs scripts/start.ts. */
  readonly pid: number;
  readonly startedAt: string;
  /** Every process it started; a service's `url` is where its /health and /metrics answer. */
  readonly services: readonly { name: string; pid: number; url?: string }[];
}

const isPid = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

export function parseRunfile(json: unknown): Runfile | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const file = json as Partial<Record<keyof Runfile, unknown>>;
  if (file.kafkadog !== 1 || !isPid(file.pid) || !Array.isArray(file.services)) return undefined;
  const services = (file.services as unknown[]).filter(
    (s): s is { name: string; pid: number; url?: string } =>
      !!s &&
      typeof s === 'object' &&
      typeof (s as { name?: unknown }).name === 'string' &&
      isPid((s as { pid?: unknown }).pid),
  );
  return {
    kafkadog: 1,
    pid: file.pid,
    startedAt: typeof file.startedAt === 'string' ? file.startedAt : '',
    services,
  };
}

export function runfilePath(dataDir: string): string {
  return path.join(dataDir, 'start.json');
}

export async function writeRunfile(dataDir: string, runfile: Runfile): Promise<void> {
  await writeFile(runfilePath(dataDir), `${JSON.stringify(runfile, null, 2)}\n`);
}

/** The runfile, or undefined when there is none or it cannot be read as one. */
export async function readRunfile(dataDir: string): Promise<Runfile | undefined> {
  try {
    return parseRunfile(JSON.parse(await readFile(runfilePath(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function removeRunfile(dataDir: string): Promise<void> {
  await rm(runfilePath(dataDir), { force: true });
}

/** Whether a command line is `npm start`'s own process (node running scripts/start.ts). */
export function isStartCommand(args: readonly string[]): boolean {
  return args.some((arg) => /(^|[\\/])scripts[\\/]start\.ts$/.test(arg));
}

/** Whether a command line is a built service as npm start runs it (`node dist/main.js`). */
export function isServiceCommand(args: readonly string[]): boolean {
  return args.length >= 2 && args.at(-1) === 'dist/main.js';
}

/**
 * The URLs of the services a running `npm start` started from `dataDir`, every instance of a
 * scaled service included (the gateway knows only the first of each); empty when none runs.
 */
export async function runningServiceUrls(
  dataDir: string,
  isAlive: (pid: number) => Promise<boolean>,
): Promise<string[]> {
  const runfile = await readRunfile(dataDir);
  if (!runfile || !(await isAlive(runfile.pid))) return [];
  return runfile.services.flatMap((service) => (service.url ? [service.url] : []));
}

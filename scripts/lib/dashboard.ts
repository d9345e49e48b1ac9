/**
 * The Next.js dashboard (frontend/) as `npm start` and the browser tests run it: built only when
 * its sources changed since the last build, then served by `next start`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ProcessSpec } from './supervisor.js';
import { REPO_ROOT } from './services.js';

export const DASHBOARD_DIR = path.join(REPO_ROOT, 'frontend');
const BUILD_DIR = path.join(DASHBOARD_DIR, '.next');
/** Written after a successful build: the fingerprint of the sources it was built from. */
const STAMP = path.join(BUILD_DIR, 'kafkadog-build.json');
// Not inputs of the build: its own output, dependencies (the lock file stands for them), tests.
const SKIPPED = new Set(['.next', 'node_modules', 'next-env.d.ts']);

export async function hasDashboard(): Promise<boolean> {
  return access(path.join(DASHBOARD_DIR, 'package.json')).then(
    () => true,
    () => false,
  );
}

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.endsWith('.spec.ts')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}

/** A hash of every source of the dashboard and of the dependency lock: what a build depends on. */
export async function dashboardFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [
    ...(await sourceFiles(DASHBOARD_DIR)),
    path.join(REPO_ROOT, 'package-lock.json'),
  ]) {
    hash.update(path.relative(REPO_ROOT, file));
    hash.update('\0');
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when .next holds a build of exactly the current sources. */
export async function isDashboardBuilt(fingerprint?: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(STAMP, 'utf8')) as { fingerprint?: string };
    await access(path.join(BUILD_DIR, 'BUILD_ID'));
    return stamp.fingerprint === (fingerprint ?? (await dashboardFingerprint()));
  } catch {
    return false;
  }
}

function nextBin(): string {
  return createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('next/dist/bin/next');
}

export interface DashboardBuild {
  readonly ok: boolean;
  /** False when the last build was of the same sources, and nothing ran. */
  readonly built: boolean;
  readonly elapsedMs: number;
  readonly output: string;
}

/** `next build`, unless the last build was of the same sources. */
export async function buildDashboard(): Promise<DashboardBuild> {
  const started = Date.now();
  const fingerprint = await dashboardFingerprint();
  if (await isDashboardBuilt(fingerprint)) {
    return { ok: true, built: false, elapsedMs: Date.now() - started, output: '' };
  }
  const result = await new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [nextBin(), 'build'],
      {
        cwd: DASHBOARD_DIR,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          ok: error === null,
          output: `${stdout}${stderr}`.trim() || (error?.message ?? ''),
        }),
    );
  });
  if (result.ok) await writeFile(STAMP, JSON.stringify({ fingerprint }));
  return { ...result, built: true, elapsedMs: Date.now() - started };
}

export interface DashboardOptions {
  readonly port: number;
  readonly host: string;
  /** The gateway's base URL, as the browser reaches it. */
  readonly apiUrl: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** `next start` of the built dashboard: node runs Next's own CLI, no npm in between. */
export function dashboardProcess(options: DashboardOptions): ProcessSpec {
  return {
    name: 'dashboard',
    command: process.execPath,
    args: [nextBin(), 'start', '--port', String(options.port), '--hostname', options.host],
    cwd: DASHBOARD_DIR,
    env: {
      ...(options.env ?? process.env),
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(options.port),
      API_URL: options.apiUrl,
    },
  };
}

/** `next dev` of the dashboard's sources: pages compile on first visit and reload on a change. */
export function dashboardDevProcess(options: DashboardOptions): ProcessSpec {
  const spec = dashboardProcess(options);
  return {
    ...spec,
    args: [nextBin(), 'dev', '--port', String(options.port), '--hostname', options.host],
  };
}

/** The origins a browser shows the dashboard under: what the gateway's CORS must allow. */
export function dashboardOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

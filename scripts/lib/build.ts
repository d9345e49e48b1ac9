import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './services.js';
import type { ProcessSpec } from './supervisor.js';

function tscBin(): string {
  return createRequire(import.meta.url).resolve('typescript/bin/tsc');
}

export interface BuildResult {
  readonly ok: boolean;
  readonly elapsedMs: number;
  /** What tsc printed (the errors, when it failed). */
  readonly output: string;
}

/**
 * `tsc -b tsconfig.build.json`: compiles the libraries and services to their dist/ folders.
 * Incremental, so an up-to-date tree takes about a second.
 */
export function buildBackend(): Promise<BuildResult> {
  const tsc = tscBin();
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, '-b', 'tsconfig.build.json'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          ok: error === null,
          elapsedMs: Date.now() - started,
          output: `${stdout}${stderr}`.trim() || (error?.message ?? ''),
        });
      },
    );
  });
}

/**
 * `tsc -b --watch` of the same tree: rewrites the dist/ files of a changed source (and of what
 * depends on it), which node --watch then restarts the services on.
 */
export function backendWatchProcess(): ProcessSpec {
  return {
    name: 'tsc',
    command: process.execPath,
    args: [tscBin(), '-b', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
    cwd: REPO_ROOT,
    env: process.env,
  };
}

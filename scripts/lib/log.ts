import { styleText } from 'node:util';

/** Where provisioning reports progress. Plain lines only: CI logs have no TTY. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => {
    process.stdout.write(`${message}\n`);
  },
  warn: (message) => {
    process.stderr.write(`${styleText('yellow', message, { stream: process.stderr })}\n`);
  },
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

/**
 * Prints a failure as one red line, never a stack trace. Detail lines (a log excerpt) go
 * first, so the line that names the fix is the last thing on the screen.
 */
export function printError(message: string, details?: string): void {
  if (details) process.stderr.write(details.replace(/\n?$/, '\n'));
  process.stderr.write(`${styleText('red', `✖ ${message}`, { stream: process.stderr })}\n`);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Calls `tick(elapsedMs)` every `intervalMs` until the returned stop function is called: a
 * heartbeat for long silent steps, as plain lines rather than a spinner.
 */
export function startHeartbeat(intervalMs: number, tick: (elapsedMs: number) => void): () => void {
  const started = Date.now();
  const timer = setInterval(() => tick(Date.now() - started), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

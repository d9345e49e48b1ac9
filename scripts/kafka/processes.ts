import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/** True while `pid` exists and is not a zombie (a killed child its parent has not reaped yet). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name, is the state.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS): kill(0) is all we have
  }
}

/**
 * The arguments `pid` was started with, or undefined if it is gone. Exact on Linux (procfs);
 * elsewhere `ps` joins them with spaces, so the result is split on whitespace.
 */
export async function commandArgs(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((arg) => arg.length > 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || process.platform === 'linux') {
      return undefined;
    }
  }
  try {
    const { stdout } = await promisify(execFile)('ps', [
      '-ww',
      '-o',
      'command=',
      '-p',
      String(pid),
    ]);
    return stdout
      .trim()
      .split(/\s+/)
      .filter((arg) => arg.length > 0);
  } catch {
    return undefined;
  }
}

/**
 * A pid file can outlive its process and the pid be reused, so before signalling we check the
 * process really is a java running kafka.Kafka with this node's server.properties.
 */
export async function isOurBroker(pid: number, propertiesFile: string): Promise<boolean> {
  if (!(await isAlive(pid))) return false;
  const args = await commandArgs(pid);
  if (!args || args.length < 3) return false;
  const program = path.basename(args[0] ?? '');
  return (
    (program === 'java' || program === 'java.exe') &&
    args.at(-2) === 'kafka.Kafka' &&
    args.at(-1) === propertiesFile
  );
}

/** Tries to bind the port exactly as the broker will: if we can't, neither can Kafka. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export function canConnect(port: number, host: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or the deadline passes; returns whether it succeeded. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(options.intervalMs ?? 200);
  }
}

/** Sends `sig`; a process that is already gone is not an error. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs and watches local child processes (the services, the dashboard): each in its own process
 * group, its output split into lines and prefixed with its name, its exit noticed. Used by
 * `npm start`, the system-test harness and the scale command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { styleText } from 'node:util';

/** Splits a byte stream into lines. A line cut across chunks waits for its end. */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  /** The lines this chunk completes (without their `\n` or `\r\n`). */
  push(chunk: Buffer | string): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    return parts.map(stripCarriageReturn);
  }

  /** What is left at the end of the stream: an unfinished last line, if any. */
  flush(): string[] {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

type Color = Parameters<typeof styleText>[0];

/** Distinct, readable on dark and light terminals; red is left for errors. */
export const PREFIX_COLORS = [
  'cyan',
  'magenta',
  'yellow',
  'green',
  'blue',
  'cyanBright',
  'magentaBright',
  'greenBright',
] as const satisfies readonly Color[];

/**
 * Whether to colour what goes to `stream`: only a terminal, and never when NO_COLOR is set
 * (https://no-color.org) or TERM is dumb; FORCE_COLOR (not 0) forces it.
 */
export function shouldColor(
  stream: { isTTY?: boolean | undefined },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') {
    return true;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * Makes `payment-service   │ ` style prefixes: names padded to the longest, a colour per name
 * (stable by position in `names`) when `color` is on.
 */
export function createPrefixer(
  names: readonly string[],
  options: { color: boolean },
): (name: string) => string {
  const width = Math.max(0, ...names.map((name) => name.length));
  const cache = new Map<string, string>();
  return (name) => {
    let prefix = cache.get(name);
    if (prefix === undefined) {
      const index = names.indexOf(name);
      const padded = name.padEnd(width);
      const colored = options.color
        ? styleText(PREFIX_COLORS[Math.max(0, index) % PREFIX_COLORS.length] ?? 'cyan', padded, {
            validateStream: false,
          })
        : padded;
      prefix = `${colored} │ `;
      cache.set(name, prefix);
    }
    return prefix;
  };
}

/** The last `count` lines, as one block for an error message. */
export function tailLines(lines: readonly string[], count = 20): string {
  return lines.slice(-count).join('\n');
}

export interface ProcessSpec {
  /** Shown in prefixes and messages, and the key for `get(name)`. */
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** The whole environment of the child (merge process.env yourself if you want it). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${String(exit.code)}`;
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly spec: ProcessSpec;
  /** Every line it printed (stdout and stderr, in arrival order), the oldest dropped past maxLines. */
  readonly lines: readonly string[];
  /** Set once it exited. */
  readonly exit: ProcessExit | undefined;
  readonly exited: Promise<ProcessExit>;
  /** True once stop() or signal() was called: its exit is then expected, not a crash. */
  readonly stopping: boolean;
  /** Sends `sig` to its whole process group. A process already gone is not an error. */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM to its group; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<StopOutcome>;
}

export interface SupervisorOptions {
  /** Every line of every child, as it arrives. */
  onLine?(process: ManagedProcess, line: string, stream: 'stdout' | 'stderr'): void;
  /** A child exited; `expected` is false for a crash (nobody asked it to stop). */
  onExit?(process: ManagedProcess, exit: ProcessExit, expected: boolean): void;
  /** Lines kept per process for `lines` (default 10 000). */
  maxLines?: number;
}

export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * Starts children, each in its own process group (so a Ctrl+C in the terminal reaches only us,
 * and we stop them in order), and stops them: SIGTERM, then SIGKILL after a grace period. If this
 * process exits without stopping them, the children still running are killed on the way out.
 */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #running = new Map<string, ManagedProcess>();
  readonly #onProcessExit = () => this.killAll();
  #exitHookInstalled = false;

  constructor(options: SupervisorOptions = {}) {
    this.#options = options;
  }

  start(spec: ProcessSpec): ManagedProcess {
    const current = this.#running.get(spec.name);
    if (current && current.exit === undefined) {
      throw new Error(`${spec.name} is already running (pid ${current.pid})`);
    }
    const child = spawn(spec.command, [...(spec.args ?? [])], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      // Its own process group: the terminal's Ctrl+C goes to our group only, and a signal to
      // -pid reaches everything the child started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      // spawn reports ENOENT and the like in an 'error' event; the pid is missing right away.
      child.once('error', () => undefined);
      throw new Error(`could not start ${spec.name}: ${spec.command} did not spawn`);
    }
    const managed = this.#manage(spec, child, child.pid);
    this.#running.set(spec.name, managed);
    if (!this.#exitHookInstalled) {
      process.on('exit', this.#onProcessExit);
      this.#exitHookInstalled = true;
    }
    return managed;
  }

  get(name: string): ManagedProcess | undefined {
    return this.#running.get(name);
  }

  /** The processes started, the latest one per name (also those that exited). */
  processes(): ManagedProcess[] {
    return [...this.#running.values()];
  }

  /** Stops every running child at once (SIGTERM, SIGKILL after `graceMs`). */
  async stopAll(
    graceMs = DEFAULT_STOP_GRACE_MS,
  ): Promise<{ name: string; outcome: StopOutcome }[]> {
    const all = this.processes();
    const outcomes = await Promise.all(
      all.map(async (managed) => ({ name: managed.name, outcome: await managed.stop(graceMs) })),
    );
    process.off('exit', this.#onProcessExit);
    this.#exitHookInstalled = false;
    return outcomes;
  }

  /** SIGKILL to every child still running, synchronously (safe in an exit handler). */
  killAll(): void {
    for (const managed of this.#running.values()) {
      if (managed.exit === undefined) managed.signal('SIGKILL');
    }
  }

  #manage(spec: ProcessSpec, child: ChildProcess, pid: number): ManagedProcess {
    const maxLines = this.#options.maxLines ?? 10_000;
    const lines: string[] = [];
    let exit: ProcessExit | undefined;
    let stopping = false;
    let resolveExited: (exit: ProcessExit) => void = () => undefined;
    const exited = new Promise<ProcessExit>((resolve) => {
      resolveExited = resolve;
    });

    const signalGroup = (sig: NodeJS.Signals) => {
      if (exit !== undefined) return;
      try {
        process.kill(-pid, sig);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    };

    const managed: ManagedProcess = {
      name: spec.name,
      pid,
      spec,
      lines,
      get exit() {
        return exit;
      },
      exited,
      get stopping() {
        return stopping;
      },
      signal(sig) {
        stopping = true;
        signalGroup(sig);
      },
      async stop(graceMs = DEFAULT_STOP_GRACE_MS) {
        if (exit !== undefined) return 'not-running';
        stopping = true;
        signalGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (!timedOut) return 'stopped';
        signalGroup('SIGKILL');
        await exited;
        return 'killed';
      },
    };

    const read = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
      if (!stream) return Promise.resolve();
      const splitter = new LineSplitter();
      const emit = (line: string) => {
        lines.push(line);
        if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
        this.#options.onLine?.(managed, line, name);
      };
      stream.on('data', (chunk: Buffer) => splitter.push(chunk).forEach(emit));
      return new Promise<void>((resolve) => {
        stream.once('close', () => {
          splitter.flush().forEach(emit);
          resolve();
        });
      });
    };
    const outputDone = Promise.all([read(child.stdout, 'stdout'), read(child.stderr, 'stderr')]);

    child.once('error', (error) => {
      // The command could not be run at all (ENOENT, EACCES).
      const line = `could not start: ${error.message}`;
      lines.push(line);
      this.#options.onLine?.(managed, line, 'stderr');
    });
    // 'close' (not 'exit') so the last lines are in `lines` when the exit is reported.
    child.once('close', (code, sig) => {
      void outputDone.then(() => {
        exit = { code, signal: sig };
        this.#options.onExit?.(managed, exit, stopping);
        resolveExited(exit);
      });
    });
    return managed;
  }
}

/** A child that did not become healthy: it exited, or did not answer 200 in time. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly service: string,
    readonly reason: 'exited' | 'timeout',
    message: string,
    /** The last lines it printed. */
    readonly tail: string,
  ) {
    super(message);
  }
}

export interface HealthWaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Polls `url` until it answers 200 and resolves with the time that took; rejects with a
 * StartupError naming the process when it exits first or the time runs out.
 */
export async function waitHealthy(
  managed: ManagedProcess,
  url: string,
  options: HealthWaitOptions = {},
): Promise<number> {
  const { timeoutMs = 60_000, intervalMs = 250 } = options;
  const started = Date.now();
  let last = 'no answer yet';
  for (;;) {
    if (managed.exit !== undefined) {
      throw new StartupError(
        managed.name,
        'exited',
        `${managed.name} exited (${describeExit(managed.exit)}) before it was healthy`,
        tailLines(managed.lines),
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return Date.now() - started;
      last = `HTTP ${response.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() - started >= timeoutMs) {
      throw new StartupError(
        managed.name,
        'timeout',
        `${managed.name} was not healthy within ${Math.round(timeoutMs / 1000)} s (GET ${url}: ${last})`,
        tailLines(managed.lines),
      );
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, intervalMs)), managed.exited]);
  }
}

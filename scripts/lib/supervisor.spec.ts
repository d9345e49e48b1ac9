import { describe, expect, it } from 'vitest';
import { isAlive } from '../kafka/processes.js';
import {
  LineSplitter,
  StartupError,
  Supervisor,
  createPrefixer,
  shouldColor,
  tailLines,
  waitHealthy,
  type ManagedProcess,
  type ProcessExit,
} from './supervisor.js';

describe('LineSplitter', () => {
  it('given chunks that cut lines anywhere, when pushed, then yields whole lines only', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('first li')).toEqual([]);
    expect(splitter.push('ne\nsecond\nthi')).toEqual(['first line', 'second']);
    expect(splitter.push('rd\n')).toEqual(['third']);
    expect(splitter.flush()).toEqual([]);
  });

  it('given CRLF line ends and empty lines, then strips \\r and keeps the empty lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a\r\n\r\nb\n')).toEqual(['a', '', 'b']);
  });

  it('given a last line without a newline, when flushed, then yields it', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('done\nno newline')).toEqual(['done']);
    expect(splitter.flush()).toEqual(['no newline']);
    expect(splitter.flush()).toEqual([]);
  });

  it('given a UTF-8 character split across chunks, then decodes it whole', () => {
    const bytes = Buffer.from('prix │ 5 €\n');
    const splitter = new LineSplitter();
    const cut = bytes.indexOf(Buffer.from('€')) + 1; // inside the 3-byte euro sign
    expect(splitter.push(bytes.subarray(0, cut))).toEqual([]);
    expect(splitter.push(bytes.subarray(cut))).toEqual(['prix │ 5 €']);
  });
});

describe('createPrefixer', () => {
  it('pads every name to the longest, without colour', () => {
    const prefix = createPrefixer(['payment', 'notification'], { color: false });
    expect(prefix('payment')).toBe('payment      │ ');
    expect(prefix('notification')).toBe('notification │ ');
  });

  it('colours each name differently, the padding inside the colour', () => {
    const prefix = createPrefixer(['a', 'bb'], { color: true });
    expect(prefix('a')).toBe('\u001b[36ma \u001b[39m │ ');
    expect(prefix('bb')).toBe('\u001b[35mbb\u001b[39m │ ');
  });
});

describe('shouldColor', () => {
  it('colours a terminal only, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
  });
});

describe('tailLines', () => {
  it('keeps the last lines', () => {
    expect(tailLines(['1', '2', '3'], 2)).toBe('2\n3');
  });
});

// The process handling itself, with real (tiny) child processes.
describe('Supervisor', () => {
  const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

  it('captures lines from stdout and stderr and reports a crash as unexpected', async () => {
    const exits: { name: string; exit: ProcessExit; expected: boolean }[] = [];
    const seen: string[] = [];
    const supervisor = new Supervisor({
      onLine: (child, line, stream) => seen.push(`${child.name}/${stream}: ${line}`),
      onExit: (child, exit, expected) => exits.push({ name: child.name, exit, expected }),
    });
    const child = supervisor.start({
      name: 'crasher',
      ...node(
        'console.log("one"); console.error("two"); process.stdout.write("three"); process.exitCode = 3',
      ),
    });
    expect(await child.exited).toEqual({ code: 3, signal: null });
    expect(child.lines).toEqual(expect.arrayContaining(['one', 'two', 'three']));
    expect(seen).toContain('crasher/stderr: two');
    expect(exits).toEqual([{ name: 'crasher', exit: { code: 3, signal: null }, expected: false }]);
  });

  it('stops with SIGTERM, and SIGKILLs a child that ignores it after the grace period', async () => {
    const exits: boolean[] = [];
    const supervisor = new Supervisor({
      onExit: (_child, _exit, expected) => exits.push(expected),
    });
    const polite = supervisor.start({
      name: 'polite',
      ...node('setInterval(() => {}, 1000); console.log("up")'),
    });
    const stubborn = supervisor.start({
      name: 'stubborn',
      ...node(
        'process.on("SIGTERM", () => console.log("ignored")); setInterval(() => {}, 1000); console.log("up")',
      ),
    });
    await untilLine(polite, 'up');
    await untilLine(stubborn, 'up');
    const outcomes = await supervisor.stopAll(300);
    expect(outcomes).toEqual([
      { name: 'polite', outcome: 'stopped' },
      { name: 'stubborn', outcome: 'killed' },
    ]);
    expect(polite.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stubborn.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stubborn.lines).toContain('ignored');
    expect(exits).toEqual([true, true]);
  });

  it('signals the whole process group: a grandchild goes too', async () => {
    const supervisor = new Supervisor();
    const parent = supervisor.start({
      name: 'parent',
      ...node(
        'const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log("grandchild " + c.pid); setInterval(() => {}, 1000)',
      ),
    });
    const line = await untilLine(parent, 'grandchild ');
    const grandchild = Number(line.split(' ')[1]);
    expect(await isAlive(grandchild)).toBe(true);
    parent.signal('SIGKILL');
    await parent.exited;
    await waitUntil(async () => !(await isAlive(grandchild)));
  });

  it('refuses to start a name that is still running, and starts it again after it exited', async () => {
    const supervisor = new Supervisor();
    const first = supervisor.start({ name: 'again', ...node('setInterval(() => {}, 1000)') });
    expect(() => supervisor.start({ name: 'again', ...node('') })).toThrow(/already running/);
    await first.stop(1000);
    const second = supervisor.start({ name: 'again', ...node('') });
    expect(second.pid).not.toBe(first.pid);
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});

describe('waitHealthy', () => {
  it('names the process and shows its last lines when it exits before it is healthy', async () => {
    const supervisor = new Supervisor();
    const child = supervisor.start({
      name: 'broken',
      command: process.execPath,
      args: ['-e', 'console.error("cannot reach Kafka"); process.exit(1)'],
    });
    const error = await waitHealthy(child, 'http://127.0.0.1:9/health', { timeoutMs: 5000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).message).toMatch(/^broken exited \(exit code 1\)/);
    expect((error as StartupError).tail).toContain('cannot reach Kafka');
  });

  it('resolves once the URL answers 200', async () => {
    const supervisor = new Supervisor();
    const child = supervisor.start({
      name: 'server',
      command: process.execPath,
      args: [
        '-e',
        'let n = 0; const s = require("node:http").createServer((q, r) => { r.statusCode = ++n < 3 ? 503 : 200; r.end(); }).listen(0, "127.0.0.1", () => console.log("port " + s.address().port))',
      ],
    });
    const port = (await untilLine(child, 'port ')).split(' ')[1];
    await expect(
      waitHealthy(child, `http://127.0.0.1:${port}/health`, { intervalMs: 20 }),
    ).resolves.toBeGreaterThanOrEqual(0);
    await supervisor.stopAll(1000);
  });
});

async function untilLine(child: ManagedProcess, start: string): Promise<string> {
  let found: string | undefined;
  await waitUntil(() => (found = child.lines.find((line) => line.startsWith(start))) !== undefined);
  return found ?? '';
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

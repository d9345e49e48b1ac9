import { open, stat } from 'node:fs/promises';
import { sleep } from './processes.js';

/** The last `lines` lines of a text file (reads at most the final `maxBytes`); [] if missing. */
export async function tailFile(
  file: string,
  lines: number,
  maxBytes = 1024 * 1024,
): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n$/, '');
    if (text === '') return [];
    return text.split('\n').slice(-lines);
  } finally {
    await handle.close();
  }
}

/**
 * Prints what is appended to `files` until `signal` aborts. Polls sizes rather than using
 * fs.watch, which misses appends on some file systems; a file that shrank was rotated.
 */
export async function followFiles(
  files: readonly { file: string; prefix: string }[],
  write: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  for (const { file } of files) offsets.set(file, await sizeOf(file));
  while (!signal.aborted) {
    for (const { file, prefix } of files) {
      const size = await sizeOf(file);
      let offset = offsets.get(file) ?? 0;
      if (size < offset) offset = 0;
      if (size === offset) continue;
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(size - offset);
        await handle.read(buffer, 0, buffer.length, offset);
        const text = (partial.get(file) ?? '') + buffer.toString('utf8');
        const parts = text.split('\n');
        partial.set(file, parts.pop() ?? '');
        for (const line of parts) write(`${prefix}${line}`);
      } finally {
        await handle.close();
      }
      offsets.set(file, size);
    }
    await sleep(300);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** The text appended to `file` since it was `offset` bytes long (all of it if it was rotated). */
export async function readSince(file: string, offset: number, maxBytes = 4 * 1024 * 1024) {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(size < offset ? 0 : offset, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

const LOG_LINE_START = /^\[\d{4}-\d\d-\d\d [\d:,]+\] [A-Z]+ /;

/**
 * Picks what explains a failed start out of a log4j log: the ERROR/FATAL entries (each with the
 * first lines of its stack trace) and the last lines. The tail alone is usually shutdown noise.
 */
export function summarizeLog(
  text: string,
  options: { maxErrorLines?: number; tailLines?: number } = {},
): { errors: string[]; tail: string[] } {
  const { maxErrorLines = 10, tailLines = 12 } = options;
  const lines = text.replace(/\n$/, '').split('\n');
  const errors: string[] = [];
  for (let i = 0; i < lines.length && errors.length < maxErrorLines; i++) {
    const line = lines[i] ?? '';
    if (!/^\[[^\]]+\] (ERROR|FATAL) /.test(line)) continue;
    errors.push(line);
    // Its exception line and the first "Caused by:", which often names the real problem;
    // the `at` frames in between say nothing to a learner.
    for (let j = i + 1, taken = 0; j < lines.length && taken < 2; j++) {
      const next = lines[j] ?? '';
      if (LOG_LINE_START.test(next)) break;
      if (/^\s+at /.test(next) && taken > 0) continue;
      errors.push(next);
      taken++;
    }
  }
  return {
    errors: errors.slice(0, maxErrorLines),
    tail: text === '' ? [] : lines.slice(-tailLines),
  };
}

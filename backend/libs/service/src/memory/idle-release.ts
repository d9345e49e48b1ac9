import { loadMallocTrim } from './malloc-trim.js';

const CHECK_EVERY_MS = 5_000;
/** Idle: less CPU than this share of the last interval. */
const IDLE_CPU_SHARE = 0.05;
/** Worth a GC: RSS grew at least this much since the last release. */
const GROWN_MB = 32;

export interface MemorySample {
  /** CPU time used during the interval, ms. */
  readonly cpuMs: number;
  readonly intervalMs: number;
  /** Resident memory now, and right after the last release (or at start), MB. */
  readonly rssMb: number;
  readonly rssAfterReleaseMb: number;
}

/** Whether an idle service holds enough memory from a busy period to give it back now. */
export function shouldRelease(sample: MemorySample): boolean {
  const idle = sample.cpuMs < sample.intervalMs * IDLE_CPU_SHARE;
  return idle && sample.rssMb - sample.rssAfterReleaseMb >= GROWN_MB;
}

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Gives the memory of a busy period back once the service is idle. Under load V8 grows its heap
 * well past what a service holds (about 40 MB), and it returns the freed pages only through its
 * memory reducer, which waits for a low allocation rate that a service polling Kafka may never
 * show; glibc keeps the pages its malloc freed below memory still in use (see `loadMallocTrim`).
 * A service that handled a burst would keep 250 MB for good. So when a service has been idle for
 * 5 s and its RSS has grown since the last release, it asks V8 for a memory-reducing GC, then
 * glibc to trim its heap (a few tens of ms each, while nothing is waiting). Needs `--expose-gc`
 * (SERVICE_NODE_FLAGS); without it, nothing happens.
 */
export function releaseMemoryWhenIdle(log: (message: string) => void): void {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc !== 'function') return;
  const mallocTrim = loadMallocTrim();
  const rssMb = () => process.memoryUsage.rss() / 2 ** 20;
  let rssAfterReleaseMb = rssMb();
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const sample = {
      cpuMs: (used.user + used.system) / 1000,
      intervalMs: CHECK_EVERY_MS,
      rssMb: rssMb(),
      rssAfterReleaseMb,
    };
    if (!shouldRelease(sample)) {
      // Memory given back by V8 itself (or never taken) lowers the bar for the next release.
      rssAfterReleaseMb = Math.min(rssAfterReleaseMb, sample.rssMb);
      return;
    }
    const started = performance.now();
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const collected = performance.now();
    mallocTrim?.();
    rssAfterReleaseMb = rssMb();
    const gcMs = Math.round(collected - started);
    const trim = mallocTrim ? `, malloc_trim ${Math.round(performance.now() - collected)} ms` : '';
    log(
      `idle: memory of the busy period given back, RSS ${Math.round(sample.rssMb)} → ${Math.round(rssAfterReleaseMb)} MB (GC ${gcMs} ms${trim})`,
    );
    cpu = process.cpuUsage();
  }, CHECK_EVERY_MS);
  timer.unref();
}

import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

/** CPU time used so far, in clock ticks (user + system), from the text of /proc/<pid>/stat. */
export function parseCpuTicks(stat: string): number {
  // The command name (2nd field) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unexpected /proc/<pid>/stat: ${stat.slice(0, 120)}`);
  }
  return utime + stime;
}

/** The command (thread) name of a /proc/<pid>/stat line: what its parentheses hold. */
export function parseStatName(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

/**
 * HotSpot's JIT compiler threads: `C2 CompilerThread0`, `C1 CompilerThread1`…, which Linux cuts
 * to 15 characters.
 */
export function isJitCompilerThread(name: string): boolean {
  return /^C[12] CompilerThre/.test(name);
}

/** A `VmHWM:  123456 kB` style value of /proc/<pid>/status, in MB; undefined when absent. */
export function parseStatusMb(status: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

export interface ProcessUsage {
  readonly cpuMs: number;
  /** Peak resident memory since the process started (VmHWM), in MB. */
  readonly peakRssMb: number | undefined;
  /** Resident memory now (VmRSS), in MB. */
  readonly rssMb: number | undefined;
}

/** Reads a process's CPU time and peak RSS; undefined once it is gone. */
export async function readUsage(pid: number): Promise<ProcessUsage | undefined> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    return {
      cpuMs: (parseCpuTicks(stat) * 1000) / clockTicks(),
      peakRssMb: parseStatusMb(status, 'VmHWM') ?? parseStatusMb(status, 'VmRSS'),
      rssMb: parseStatusMb(status, 'VmRSS'),
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU time a JVM's JIT compiler threads used so far, in ms, from the stat file of each of its
 * threads (/proc/<pid>/task/<tid>/stat); undefined where there is none (not Linux, or the
 * process is gone).
 */
export async function readJitCpuMs(pid: number): Promise<number | undefined> {
  let threads: string[];
  try {
    threads = await readdir(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const stats = await Promise.all(
    // A thread may end between the listing and the read: it no longer compiles.
    threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '')),
  );
  const ticks = stats
    .filter((stat) => stat !== '' && isJitCompilerThread(parseStatName(stat)))
    .reduce((sum, stat) => sum + parseCpuTicks(stat), 0);
  return (ticks * 1000) / clockTicks();
}

/** Usage of each named process; processes without a pid or already gone are left out. */
export async function readAll(
  pids: Readonly<Record<string, number | undefined>>,
): Promise<Record<string, ProcessUsage>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => [name, pid && (await readUsage(pid))] as const),
  );
  return Object.fromEntries(entries.filter((entry): entry is [string, ProcessUsage] => !!entry[1]));
}

/** The machine's CPU time so far, all CPUs together, in ticks, from the first line of /proc/stat. */
export interface MachineTicks {
  readonly total: number;
  /** user, nice, system, irq and softirq. */
  readonly busy: number;
  /** Time the hypervisor ran something else while this machine wanted a CPU. */
  readonly steal: number;
}

export function parseMachineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 7 || fields.some((n) => !Number.isFinite(n))) {
    throw new Error(`unexpected /proc/stat: ${procStat.slice(0, 120)}`);
  }
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  // (Checked above: only steal may be missing, on an old kernel.)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busy = user + nice + system + irq + softirq;
  return { total: busy + idle + iowait + steal, busy, steal };
}

/** The machine's ticks now; undefined where there is no /proc/stat. */
export async function readMachineTicks(): Promise<MachineTicks | undefined> {
  try {
    return parseMachineTicks(await readFile('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Busy and stolen shares of all CPUs between two readings, in %. */
export function machineShare(
  before: MachineTicks | undefined,
  after: MachineTicks | undefined,
): { busyPercent: number; stealPercent: number } | null {
  if (!before || !after || after.total <= before.total) return null;
  const total = after.total - before.total;
  const percent = (ticks: number) => Math.round((ticks / total) * 1000) / 10;
  return {
    busyPercent: percent(after.busy - before.busy),
    stealPercent: percent(after.steal - before.steal),
  };
}

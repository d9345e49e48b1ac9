import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

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

/** Usage of each named process; processes without a pid or already gone are left out. */
export async function readAll(
  pids: Readonly<Record<string, number | undefined>>,
): Promise<Record<string, ProcessUsage>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => [name, pid && (await readUsage(pid))] as const),
  );
  return Object.fromEntries(entries.filter((entry): entry is [string, ProcessUsage] => !!entry[1]));
}

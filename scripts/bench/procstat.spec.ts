import { describe, expect, it } from 'vitest';
import {
  isJitCompilerThread,
  machineShare,
  parseCpuTicks,
  parseMachineTicks,
  parseStatName,
  parseStatusMb,
  readJitCpuMs,
  readMachineTicks,
  readUsage,
} from './procstat.js';

describe('/proc parsing', () => {
  it('adds user and system ticks, whatever spaces the command name holds', () => {
    const stat =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 350 120 0 0 20 0 11 0 100 0 0';
    expect(parseCpuTicks(stat)).toBe(470);
  });

  it("finds a thread's name, and knows HotSpot's JIT compiler threads by it", () => {
    const stat = '4711 (C2 CompilerThre) S 1 4242 4242 0 -1 4194560 9000 0 0 0 350 120 0 0 20';
    expect(parseStatName(stat)).toBe('C2 CompilerThre');
    expect(parseStatName('7 (node (main) x) R 1')).toBe('node (main) x');
    expect(isJitCompilerThread('C2 CompilerThre')).toBe(true);
    expect(isJitCompilerThread('C1 CompilerThre')).toBe(true);
    expect(isJitCompilerThread('data-plane-kafk')).toBe(false);
    expect(isJitCompilerThread('GC Thread#0')).toBe(false);
  });

  it('reads the JIT time of a process: none in Node, nothing for a pid that does not exist', async () => {
    expect(await readJitCpuMs(process.pid)).toBe(0);
    expect(await readJitCpuMs(2 ** 22 + 7)).toBeUndefined();
  });

  it('reads VmHWM and VmRSS in MB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusMb(status, 'VmHWM')).toBe(200);
    expect(parseStatusMb(status, 'VmRSS')).toBe(100);
    expect(parseStatusMb('Name: x', 'VmHWM')).toBeUndefined();
  });

  it('reads this very process, and nothing for a pid that does not exist', async () => {
    const usage = await readUsage(process.pid);
    expect(usage?.cpuMs).toBeGreaterThan(0);
    expect(usage?.peakRssMb).toBeGreaterThan(1);
    expect(await readUsage(2 ** 22 + 7)).toBeUndefined();
  });

  it('reads busy and stolen machine time from /proc/stat, and their shares between two readings', async () => {
    const before = parseMachineTicks(
      'cpu  1000 10 300 5000 40 0 50 100 0 0\ncpu0 500 5 150 2500 20 0 25 50 0 0\n',
    );
    expect(before).toEqual({ total: 6500, busy: 1360, steal: 100 });
    // 1000 ticks later: 600 busy, 350 idle, 50 stolen.
    const after = parseMachineTicks('cpu  1500 10 380 5350 40 0 70 150 0 0\n');
    expect(machineShare(before, after)).toEqual({ busyPercent: 60, stealPercent: 5 });
    expect(machineShare(after, after)).toBeNull();
    expect(() => parseMachineTicks('intr 1 2 3')).toThrow('/proc/stat');
    expect((await readMachineTicks())?.total).toBeGreaterThan(0);
  });
});

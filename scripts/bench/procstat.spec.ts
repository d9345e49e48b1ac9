import { describe, expect, it } from 'vitest';
import { parseCpuTicks, parseStatusMb, readUsage } from './procstat.js';

describe('/proc parsing', () => {
  it('adds user and system ticks, whatever spaces the command name holds', () => {
    const stat =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 350 120 0 0 20 0 11 0 100 0 0';
    expect(parseCpuTicks(stat)).toBe(470);
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
});

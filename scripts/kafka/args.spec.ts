import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('reads the command and defaults', () => {
    expect(parseCliArgs(['start'])).toEqual({
      command: 'start',
      help: false,
      nodes: undefined,
      sasl: false,
      node: undefined,
      wipe: false,
      lines: 50,
      follow: false,
    });
  });

  it('reads --nodes for start, --wipe and --node for stop, -n and -f for logs', () => {
    expect(parseCliArgs(['start', '--nodes', '3']).nodes).toBe(3);
    expect(parseCliArgs(['start', '--sasl']).sasl).toBe(true);
    expect(() => parseCliArgs(['stop', '--sasl'])).toThrow(/--sasl only applies to kafka:start/);
    expect(parseCliArgs(['stop', '--wipe'])).toMatchObject({ command: 'stop', wipe: true });
    expect(parseCliArgs(['stop', '--node', '2']).node).toBe(2);
    expect(parseCliArgs(['logs', '-n', '100', '-f'])).toMatchObject({ lines: 100, follow: true });
  });

  it('shows help with --help or without a command', () => {
    expect(parseCliArgs(['start', '--help']).help).toBe(true);
    expect(parseCliArgs([]).help).toBe(true);
  });

  it('rejects unknown commands and options with a hint', () => {
    expect(() => parseCliArgs(['restart'])).toThrow(/Unknown command "restart"/);
    expect(() => parseCliArgs(['start', '--nodez', '3'])).toThrow(/--help/);
  });

  it('rejects options that do not belong to the command', () => {
    expect(() => parseCliArgs(['start', '--wipe'])).toThrow(/--wipe only applies to kafka:stop/);
    expect(() => parseCliArgs(['status', '--nodes', '3'])).toThrow(/only applies to kafka:start/);
  });

  it('rejects bad numbers', () => {
    expect(() => parseCliArgs(['start', '--nodes', 'three'])).toThrow(/whole number/);
    expect(() => parseCliArgs(['start', '--nodes', '7'])).toThrow(/1 to 5/);
    expect(() => parseCliArgs(['logs', '-n', '0'])).toThrow(/whole number/);
  });
});

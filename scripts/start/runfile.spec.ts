import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isServiceCommand,
  isStartCommand,
  parseRunfile,
  runningServiceUrls,
  writeRunfile,
} from './runfile.js';

describe('the start runfile', () => {
  it('reads what npm start wrote, and nothing else', () => {
    const file = {
      kafkadog: 1,
      pid: 100,
      startedAt: '2026-01-01T00:00:00.000Z',
      services: [{ name: 'api-gateway', pid: 101 }],
    };
    expect(parseRunfile(file)).toEqual(file);
    expect(parseRunfile({ ...file, pid: -1 })).toBeUndefined();
    expect(parseRunfile({ ...file, kafkadog: 2 })).toBeUndefined();
    expect(parseRunfile('x')).toBeUndefined();
    expect(parseRunfile({ ...file, services: [{ name: 'x', pid: 0 }] })?.services).toEqual([]);
  });

  it("recognises npm start's process and its services by their command lines", () => {
    expect(
      isStartCommand([
        '/usr/bin/node',
        '--require',
        '/repo/node_modules/tsx/dist/preflight.cjs',
        '--conditions=source',
        'scripts/start.ts',
      ]),
    ).toBe(true);
    expect(isStartCommand(['/usr/bin/node', 'scripts/bench.ts'])).toBe(false);
    expect(isStartCommand(['/usr/bin/node', 'scripts/start.tsx'])).toBe(false);
    expect(isServiceCommand(['/usr/bin/node', 'dist/main.js'])).toBe(true);
    expect(isServiceCommand(['/usr/bin/java', 'kafka.Kafka'])).toBe(false);
  });

  it('gives the URL of every instance a running npm start started, none once it is gone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafkadog-runfile-'));
    try {
      expect(await runningServiceUrls(dir, () => Promise.resolve(true))).toEqual([]);
      await writeRunfile(dir, {
        kafkadog: 1,
        pid: 100,
        startedAt: '2026-01-01T00:00:00.000Z',
        services: [
          { name: 'payment-service', pid: 101, url: 'http://127.0.0.1:3003' },
          { name: 'payment-service#2', pid: 102, url: 'http://127.0.0.1:3013' },
          { name: 'dashboard', pid: 103 },
        ],
      });
      expect(await runningServiceUrls(dir, (pid) => Promise.resolve(pid === 100))).toEqual([
        'http://127.0.0.1:3003',
        'http://127.0.0.1:3013',
      ]);
      expect(await runningServiceUrls(dir, () => Promise.resolve(false))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

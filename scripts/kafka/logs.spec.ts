import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSince, summarizeLog, tailFile } from './logs.js';

const LOG = [
  '[2026-01-01 10:00:00,000] INFO starting (kafka.server.KafkaRaftServer)',
  '[2026-01-01 10:00:01,000] ERROR [BrokerServer id=1] Fatal error during broker startup. (kafka.server.BrokerServer)',
  'org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock in /d.',
  '\tat kafka.log.LogManager.lockLogDirs(LogManager.scala:100)',
  '\tat kafka.log.LogManager.<init>(LogManager.scala:200)',
  'Caused by: java.nio.channels.OverlappingFileLockException',
  '\tat sun.nio.ch.FileLockTable.checkList(FileLockTable.java:229)',
  '[2026-01-01 10:00:02,000] INFO shutting down (kafka.server.BrokerServer)',
  '[2026-01-01 10:00:03,000] INFO shut down completed (kafka.server.BrokerServer)',
].join('\n');

describe('summarizeLog', () => {
  it('keeps each ERROR with its exception and first cause (not the frames), then the tail', () => {
    const { errors, tail } = summarizeLog(`${LOG}\n`, { tailLines: 2 });
    expect(errors).toEqual([
      '[2026-01-01 10:00:01,000] ERROR [BrokerServer id=1] Fatal error during broker startup. (kafka.server.BrokerServer)',
      'org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock in /d.',
      'Caused by: java.nio.channels.OverlappingFileLockException',
    ]);
    expect(tail).toEqual([
      '[2026-01-01 10:00:02,000] INFO shutting down (kafka.server.BrokerServer)',
      '[2026-01-01 10:00:03,000] INFO shut down completed (kafka.server.BrokerServer)',
    ]);
  });

  it('returns nothing for an empty log', () => {
    expect(summarizeLog('')).toEqual({ errors: [], tail: [] });
  });
});

describe('tailFile and readSince', () => {
  it('read the end of a file and what was appended after an offset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafkadog-logs-'));
    try {
      const file = path.join(dir, 'server.log');
      await writeFile(file, 'one\ntwo\nthree\n');
      expect(await tailFile(file, 2)).toEqual(['two', 'three']);
      expect(await readSince(file, 4)).toBe('two\nthree\n');
      // A file shorter than the offset was rotated: read it all.
      expect(await readSince(file, 1000)).toBe('one\ntwo\nthree\n');
      expect(await tailFile(path.join(dir, 'missing.log'), 5)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

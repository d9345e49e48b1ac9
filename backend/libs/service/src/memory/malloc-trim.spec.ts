import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { loadMallocTrim } from './malloc-trim.js';

const MB = 2 ** 20;
const CHUNK = 64 * 1024;

describe('malloc_trim', () => {
  it.runIf(process.platform === 'linux')(
    'given free pages below memory still in use, when trimmed, then RSS falls',
    () => {
      const mallocTrim = loadMallocTrim();
      expect(mallocTrim).toBeTypeOf('function');
      // glibc's own malloc and free, so that what is freed, and when, is known.
      const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
      const libc = koffi.load('libc.so.6');
      const malloc = libc.func('void *malloc(size_t size)') as (size: number) => unknown;
      const memset = libc.func('void *memset(void *s, int c, size_t n)') as (
        s: unknown,
        c: number,
        n: number,
      ) => unknown;
      const free = libc.func('void free(void *ptr)') as (ptr: unknown) => void;

      // 128 MB in 64 KiB blocks (under the mmap threshold, so on glibc's heap), each written to.
      // One in eight stays: the others are freed below live memory, where free() keeps them.
      const blocks = Array.from({ length: 2_048 }, () => {
        const block = malloc(CHUNK);
        memset(block, 1, CHUNK);
        return block;
      });
      const kept = blocks.filter((_, i) => i % 8 === 0);
      blocks.filter((_, i) => i % 8 !== 0).forEach((block) => free(block));
      const before = process.memoryUsage.rss();
      mallocTrim!();
      const after = process.memoryUsage.rss();
      kept.forEach((block) => free(block));

      expect((before - after) / MB).toBeGreaterThan(100);
    },
  );
});

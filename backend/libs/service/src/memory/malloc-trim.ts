import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/**
 * glibc's `malloc_trim(0)`, or undefined where there is none (macOS, musl) or the FFI cannot load.
 *
 * Node allocates Buffers, and SQLite its pages, with the C library's malloc. glibc gives the top of
 * its heap back when it is freed, but not the free pages below memory still in use: after a busy
 * period, a service that holds 40 MB can keep 100 MB of such pages for good. `malloc_trim(0)`
 * hands them back to the kernel (`madvise`). Node does not expose it, hence koffi, an FFI that
 * ships prebuilt binaries.
 */
export function loadMallocTrim(): (() => void) | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as typeof Koffi;
    const mallocTrim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (
      pad: number,
    ) => number;
    return () => void mallocTrim(0);
  } catch {
    return undefined;
  }
}

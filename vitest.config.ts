import { defineConfig } from 'vitest/config';

// Workspace libs are resolved to their TypeScript sources (the "source" export condition),
// so tests never need a build first.
const resolve = { conditions: ['source'] };

export default defineConfig(({ mode }) => ({
  resolve,
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          name: 'unit',
          include: [
            'backend/**/*.spec.ts',
            'scripts/**/*.spec.ts',
            'test/**/*.spec.ts',
            'frontend/**/*.spec.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', '**/.next/**'],
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          name: 'integration',
          include: [
            'backend/**/*.int.test.ts',
            'scripts/**/*.int.test.ts',
            'test/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          // Every service as its own process against a broker per file (scripts/lib/stack.ts).
          // One file at a time, after the other projects: each file runs a broker and six
          // services, and several at once would compete for the machine and skew the timings.
          name: 'system',
          include: ['test/system/**/*.system.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['test/system/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          // Faults under load (scripts/faults): a Kafka node killed, services killed or frozen.
          // A whole stack per file, one file at a time, after the system tests. Short runs here;
          // `npm run test:faults` (`--mode faults-long`) runs the long ones.
          name: 'faults',
          env: mode === 'faults-long' ? { KAFKADOG_FAULTS: 'long' } : {},
          include: ['test/faults/**/*.fault.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['test/system/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          // Debian's Chromium driving the dashboard of a whole stack (one per file), last.
          name: 'browser',
          include: ['e2e/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 3 },
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
}));

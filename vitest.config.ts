import { defineConfig } from 'vitest/config';

// Workspace libs are resolved to their TypeScript sources (the "source" export condition),
// so tests never need a build first.
const resolve = { conditions: ['source'] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        resolve,
        ssr: { resolve: { conditions: ['source'] } },
        test: {
          name: 'unit',
          include: ['backend/**/*.spec.ts', 'scripts/**/*.spec.ts', 'test/**/*.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
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
    ],
  },
});

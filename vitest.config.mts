import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (*.test.ts); cross-package tests live in test/.
// UI tests (test/ui) have their own config: they need a browser and a running JupyterLab.
export default defineConfig({
  test: {
    include: [
      'engine/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'kernel/src/**/*.test.ts',
      'extension/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/ui/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// UI tests: a real JupyterLab (from .venv) with our kernel, extension and sidecar, driven by
// Playwright in Debian's Chromium. Run by `npm test` after the set-up installed everything.
export default defineConfig({
  test: {
    include: ['test/ui/**/*.ui.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts (whose root is client/): tests live in test/ at the top level.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: browser and child-process tests fight for them, so keep parallelism modest.
    maxWorkers: 2,
  },
});

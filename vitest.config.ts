import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts (whose root is client/): tests live in test/ at the top level.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    // The second run of the suite, on PostgreSQL (test/with-postgres.ts sets TEST_DATABASE_URL), shares
    // the two cores with the server and creates a database per test: its slowest tests took 4× their
    // time alone in CI runs, so they get twice the time. A limit is for a test that hangs, not a timing.
    testTimeout: process.env.TEST_DATABASE_URL ? 60_000 : 30_000,
    hookTimeout: 60_000,
    // Two cores: browser and child-process tests fight for them, so keep parallelism modest.
    maxWorkers: 2,
  },
});

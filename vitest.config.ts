import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time on the 2-core CI machine (the default leaves one core idle); the
    // tests pace on board or simulated time, so they hold on a busy machine.
    maxWorkers: 2,
  },
});

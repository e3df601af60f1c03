import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most suites wait on the clock (vendor pacing at 3/s, child processes, kill and restart), not on
    // the CPU: two files at a time on a 2-core machine halves the wall time (serially it is ~20 min).
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['models/**/*.test.ts', 'scripts/**/*.test.ts', 'workers/**/*.test.ts', 'app/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    // 2-core machines: property tests are CPU-bound.
    maxWorkers: 2,
  },
});

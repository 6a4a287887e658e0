import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/chromium.ts';

// Several people may test side by side on one machine: E2E_PORT and E2E_OUT_DIR (a separate
// `vite build --outDir`) keep their servers and builds apart. Defaults: 4173 and dist/.
const PORT = Number(process.env.E2E_PORT ?? 4173);
/** The dev server (`npm start`), for the spec that checks the README's start command works. */
export const DEV_PORT = PORT + 1;
const OUT_DIR = process.env.E2E_OUT_DIR;

export default defineConfig({
  testDir: 'e2e',
  // E2E_RESULTS_DIR: a separate artefacts folder when several runs share the tree.
  outputDir: process.env.E2E_RESULTS_DIR ?? 'test-results',
  // 2 cores shared by everything: one browser at a time, generous timeouts.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: chromiumLaunchOptions(),
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `npm run preview -- --port ${PORT} --strictPort${OUT_DIR ? ` --outDir ${OUT_DIR}` : ''}`,
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      command: `npm run dev -- --port ${DEV_PORT} --strictPort`,
      url: `http://localhost:${DEV_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});

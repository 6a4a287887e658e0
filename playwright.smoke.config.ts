// `npm run smoke:real -- --browser`: the app with the real default packs (needs internet; real GPU when
// present). Same browser and server as the e2e suite; only the smoke spec.
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

export default defineConfig({ ...base, testDir: 'scripts/smoke', testMatch: 'browser.spec.ts', timeout: 3_600_000 });

// Without WebGPU (Chromium without --enable-unsafe-webgpu has no adapter, in pages and workers):
// the app runs on WASM and says why.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AesLensTestHooks } from '../app/state/testHooks.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});
test.setTimeout(600_000);

test('the app runs on WASM and says why', async ({ page }) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', backend: { backend: 'wasm', reason: 'no WebGPU adapter' } });
  const backends = await page.evaluate(() =>
    (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.backends(),
  );
  expect(backends).toMatchObject({ iasm: { backend: 'wasm' }, critic: { backend: 'wasm' } });
  await expect(page.getByTestId('backend-badge')).toHaveText('WASM — no WebGPU adapter');
});

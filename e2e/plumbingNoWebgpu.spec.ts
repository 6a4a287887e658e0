// Without WebGPU (Chromium without --enable-unsafe-webgpu has no adapter, in pages and workers):
// the app runs on WASM, says why, and the critique still streams into the studio.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import {
  addPhotos,
  critiqueFrames,
  GOOD,
  recordCritiqueFrames,
  shortCritiques,
  waitForAllSettled,
} from './support/plumbing.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';

test.use({ launchOptions: chromiumLaunchOptions({ webgpu: false }) });
test.setTimeout(600_000);

test('the app runs on WASM, says why, and shows the heatmap and a streamed critique', async ({ page }) => {
  await shortCritiques(page, 16);
  await recordCritiqueFrames(page);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({
    status: 'done',
    critiqueStatus: 'done',
    backend: { backend: 'wasm', reason: 'no WebGPU adapter' },
    criticBackend: { backend: 'wasm', reason: 'no WebGPU adapter' },
  });
  const backends = await page.evaluate(() =>
    (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.backends(),
  );
  expect(backends).toMatchObject({ iasm: { backend: 'wasm' }, critic: { backend: 'wasm' } });
  await expect(page.getByTestId('backend-badge')).toHaveText('WASM — no WebGPU adapter');

  await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of rocket\.jpg/ })).toBeVisible();
  const critique = page.getByRole('region', { name: 'Critique' });
  await expect(critique.getByTestId('critique-text')).toHaveText(photo!.critique);
  // Streamed: after its placeholders, the panel showed the text growing to the final critique.
  const frames = (await critiqueFrames(page)).map((f) => f.trim());
  const streamed = frames.filter((f) => f && photo!.critique.startsWith(f));
  expect(streamed.length, JSON.stringify(frames)).toBeGreaterThanOrEqual(3);
  const lengths = streamed.map((f) => f.length);
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  expect(streamed.at(-1)).toBe(photo!.critique);
});

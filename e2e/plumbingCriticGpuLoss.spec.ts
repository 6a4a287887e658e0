// The critic's GPU device lost while it writes: the critic restarts on WASM, the critique is
// written again there and finishes; the photo's score and heatmap stay as they were.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

test('a GPU device lost mid-critique: the critique is written again on WASM and finishes', async ({ page }) => {
  // Long enough to still be writing when the device goes away (SwiftShader writes slowly).
  await shortCritiques(page, 64);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  await expect
    .poll(
      async () => {
        const [p] = await results(page);
        return p?.critiqueStatus === 'streaming' && p.critique.length > 0;
      },
      { timeout: 300_000, intervals: [100] },
    )
    .toBe(true);
  const [before] = await results(page);
  await page.evaluate(() =>
    (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.loseGpuDevice('critic'),
  );

  const [after] = await waitForAllSettled(page, 1);
  expect(after).toMatchObject({
    status: 'done',
    critiqueStatus: 'done',
    criticBackend: { backend: 'wasm', reason: expect.stringMatching(/GPU device lost/) },
    backend: { backend: 'webgpu' },
    score: before!.score,
  });
  expect(after!.saliency).toEqual(before!.saliency);
  expect(after!.critique.length).toBeGreaterThan(0);
  const critique = page.getByRole('region', { name: 'Critique' });
  await expect(critique.getByTestId('critique-text')).toHaveText(after!.critique);
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM — GPU device lost/);
});

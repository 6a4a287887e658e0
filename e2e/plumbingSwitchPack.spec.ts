// Switching the IASM pack in the Models view on WebGPU: the worker replaces its session (and GPU
// device), the next photo is analysed with the new pack on WebGPU, and earlier results stay.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, critiqueEveryPhoto, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

test('switching from the CLIP to the CNN demo pack: the next photo runs the CNN on WebGPU', async ({ page }) => {
  await shortCritiques(page, 2);
  await critiqueEveryPhoto(page);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const [clip] = await waitForAllSettled(page, 1);
  expect(clip).toMatchObject({ status: 'done', backend: { backend: 'webgpu' }, packs: { iasm: 'fixture-clip' } });

  await page.getByRole('link', { name: 'Models' }).click();
  await page.locator('[data-pack-id="fixture-cnn"]').getByRole('button', { name: 'Use this demo model' }).click();
  await expect(page.getByTestId('active-packs')).toContainText('Demo: tiny CNN with 10 score bins');
  await page.getByRole('link', { name: 'Studio' }).click();
  await addPhotos(page, [join(GOOD, 'coffee.png')]);
  const [first, cnn] = await waitForAllSettled(page, 2);
  expect(cnn).toMatchObject({
    status: 'done',
    critiqueStatus: 'done',
    backend: { backend: 'webgpu' },
    packs: { iasm: 'fixture-cnn', critic: 'fixture-smolvlm' },
  });
  // The CNN's 10-bin expected score lies in [1, 10].
  expect(cnn!.score!).toBeGreaterThanOrEqual(1);
  expect(cnn!.score!).toBeLessThanOrEqual(10);
  expect(first!.score).toBe(clip!.score);
  expect(first!.saliency).toEqual(clip!.saliency);
});

// The queue: many photos are analysed one at a time with bounded memory; cancelling a photo stops
// its work and the rest carry on; removing a photo can be undone.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import {
  addPhotos,
  GOOD,
  goodPhotos,
  critiqueEveryPhoto,
  results,
  shortCritiques,
  waitForAllSettled,
} from './support/plumbing.ts';

const APP = '/?packs=fixture&backend=wasm&testhooks';
const hooks = (page: Page) => ({
  displayBitmaps: () =>
    page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.displayBitmapCount()),
  cancelWhenSent: (name: string) =>
    page.evaluate((n) => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.cancelWhenSent(n), name),
});

test.setTimeout(900_000);
test.beforeEach(async ({ page }) => {
  await shortCritiques(page, 2);
  await critiqueEveryPhoto(page);
});

test('20 photos: all analysed, at most two at a time, with a bounded number of decoded bitmaps', async ({ page }) => {
  await page.goto(APP);
  const photos = [...goodPhotos(), ...goodPhotos()].slice(0, 20);
  await addPhotos(page, photos);
  let maxBitmaps = 0;
  let maxActive = 0;
  await expect
    .poll(
      async () => {
        const r = await results(page);
        maxBitmaps = Math.max(maxBitmaps, await hooks(page).displayBitmaps());
        maxActive = Math.max(maxActive, r.filter((p) => p.status === 'analysing').length);
        return r.filter((p) => p.status === 'done' && p.critiqueStatus === 'done').length;
      },
      { timeout: 800_000, intervals: [250] },
    )
    .toBe(20);
  expect(maxActive).toBe(1);
  // Six kept for quick viewing, plus the photos in the two workers.
  expect(maxBitmaps).toBeLessThanOrEqual(8);
});

test('cancelling the photo being analysed stops it; the next photos are analysed; remove can be undone', async ({
  page,
}) => {
  await page.goto(APP);
  const cancelled = hooks(page).cancelWhenSent('Dune.jpg');
  await addPhotos(page, [join(GOOD, 'Dune.jpg'), join(GOOD, 'rocket.jpg'), join(GOOD, 'coffee.png')]);
  await cancelled;
  const all = await waitForAllSettled(page, 3);
  expect(all[0]).toMatchObject({ fileName: 'Dune.jpg', status: 'cancelled' });
  expect(all[0]!.saliency).toBeUndefined();
  expect(all.slice(1).map((p) => p.status)).toEqual(['done', 'done']);

  await page.getByRole('option', { name: /rocket\.jpg/ }).click();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('option', { name: /rocket\.jpg/ })).toHaveCount(0);
  await page.getByRole('button', { name: /Undo/ }).click();
  await expect(page.getByRole('option', { name: /rocket\.jpg/ })).toHaveCount(1);
  expect((await results(page)).find((p) => p.fileName === 'rocket.jpg')!.status).toBe('done');
});

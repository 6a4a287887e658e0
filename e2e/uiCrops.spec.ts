// Crop suggestions on a real photo with the demo pack: the best crops outlined over the photo with
// their score change, a preview with the crop's own heatmap, the PNG export holding exactly the
// reported rectangle of the original, and that crop analysed again scoring what was reported.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { addPhotos, GOOD, results, shootSizes, shortCritiques } from './support/plumbing.ts';

const PHOTO = join(GOOD, 'coffee.png');

interface ReportCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  aspect: string;
  score: number;
}

test('crops are suggested, previewed with their own heatmap and exported with the reported pixels', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [PHOTO]);
  const panel = page.getByTestId('crop-suggestions');
  await panel.getByRole('button', { name: 'Suggest crops' }).click({ timeout: 120_000 });
  const items = panel.getByRole('listitem');
  await expect(items.first()).toBeVisible({ timeout: 120_000 });
  // The overlay outlines the same crops, labelled "aspect  from → to".
  const boxes = page.getByTestId('crop-overlay').getByRole('button');
  await expect(boxes).toHaveCount(await items.count());
  await expect(items.first()).toHaveText(/^(\d+:\d+|Original ratio)\d\.\d\d → \d\.\d\d\d+ × \d+$/);
  await shootSizes(page, 'crops-suggested');

  // The JSON report has every crop, best first, the full frame among them.
  const [reportDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (JSON)' }).click(),
  ]);
  const report = JSON.parse(await readFile(await reportDownload.path(), 'utf8')) as {
    file: { width: number; height: number };
    crops: { fullFrame: number; noise: number; crops: ReportCrop[] };
  };
  const { crops, fullFrame, noise } = report.crops;
  expect(crops.some((c) => c.aspect === 'original' && c.x === 0 && c.y === 0 && c.width === report.file.width)).toBe(
    true,
  );
  for (let i = 1; i < crops.length; i++) expect(crops[i]!.score).toBeLessThanOrEqual(crops[i - 1]!.score);
  const best = crops[0]!;
  expect(best.score - fullFrame).toBeGreaterThan(noise);

  // Keyboard: the first outline opens the best crop's preview; its heatmap is computed on demand.
  await boxes.first().focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`${best.width} × ${best.height} at ${best.x}, ${best.y}`);
  await expect(dialog.getByTestId('crop-preview-status')).toHaveText(/own heatmap: what the model looks at/, {
    timeout: 60_000,
  });
  await shootSizes(page, 'crops-preview');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: /Export crop/ }).click(),
  ]);
  const exported = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(exported);
  expect(download.suggestedFilename()).toBe(`coffee.crop-${best.aspect.replace(':', 'x')}.png`);
  const got = await sharp(exported).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const want = await sharp(PHOTO)
    .extract({ left: best.x, top: best.y, width: best.width, height: best.height })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect([got.info.width, got.info.height]).toEqual([best.width, best.height]);
  expect(Buffer.compare(got.data, want.data)).toBe(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The exported crop dropped in again scores what the suggestion said, to 0.01.
  await addPhotos(page, [exported]);
  await expect
    .poll(async () => (await results(page)).find((p) => p.fileName.startsWith('coffee.crop'))?.score, {
      timeout: 120_000,
    })
    .toBeDefined();
  const again = (await results(page)).find((p) => p.fileName.startsWith('coffee.crop'))!;
  expect(Math.abs(again.score! - best.score)).toBeLessThan(0.01);
});

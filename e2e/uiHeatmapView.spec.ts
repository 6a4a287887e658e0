// The heatmap as a photographer reads it: a legend with low/high on screen and in every export,
// regions that hold a real share of the saliency with readable numbers, swipe that moves where
// the photo is clicked and exports its divider, export names that say the mode, and a grey map
// that stays visible on a bright photo.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { addPhotos, GOOD, results, critiqueEveryPhoto, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.describe.configure({ mode: 'serial', timeout: 900_000 });

const DUNE = join(GOOD, 'Dune.jpg');
const BRIGHT = join(tmpdir(), 'aeslens-bright-chelsea.png');
let page: Page;

const canvasOf = (name: string) => page.getByRole('img', { name: new RegExp(`Aesthetic saliency heatmap of ${name}`) });

async function chooseMode(name: 'Overlay' | 'Spotlight' | 'Side by side' | 'Swipe'): Promise<void> {
  await page.locator('.segmented label', { hasText: name }).click();
  await expect(page.getByRole('radio', { name })).toBeChecked();
}

async function exportPng(): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

async function raw(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

test.beforeAll(async ({ browser }) => {
  // Two photos analysed and critiqued on a shared machine: more than the default hook time.
  test.setTimeout(900_000);
  // A high-key version of a shared photo: most of it near white.
  await sharp(join(GOOD, 'chelsea.png')).linear(0.35, 170).png().toFile(BRIGHT);
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await shortCritiques(page, 4);
  await critiqueEveryPhoto(page);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [DUNE, BRIGHT]);
  await waitForAllSettled(page, 2, 800_000);
  await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').first().click();
});

test.afterAll(async () => {
  await page.close();
});

test('legend with low and high labels follows the mode', async () => {
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toBeVisible();
  await expect(legend).toContainText('Low saliency: photo unchanged');
  await expect(legend).toContainText('High');
  await chooseMode('Spotlight');
  await expect(legend).toContainText('Low saliency: dimmed');
  await expect(legend).toContainText('High: as shot');
  await expect(page.getByLabel('Colormap', { exact: true })).toBeDisabled();
  await chooseMode('Overlay');
});

test('outlined regions hold a real share of the saliency and their numbers are readable', async () => {
  await page.getByLabel('Outline top regions').check();
  const canvas = canvasOf('Dune\\.jpg');
  await expect(canvas).toHaveAccessibleName(/top regions: 1 at/);
  const name = (await canvas.getAttribute('aria-label'))!;
  const shares = [...name.matchAll(/\((\d+)% of saliency\)/g)].map((m) => Number(m[1]));
  expect(shares.length).toBeGreaterThan(0);
  // Together the drawn regions hold far more than a peak's few pixels would.
  expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(25);
  const ranks = page.getByTestId('region-rank');
  await expect(ranks).toHaveCount(shares.length);
  for (const rank of await ranks.all()) {
    const box = (await rank.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(18);
    expect(await rank.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(12);
  }
});

test('exports: names say the mode, a legend strip under the photo, the swipe divider drawn', async () => {
  const meta = await sharp(DUNE).metadata();
  const overlay = await exportPng();
  expect(overlay.name).toBe('Dune-heatmap-overlay-turbo.png');
  const img = await raw(overlay.bytes);
  expect(img.width).toBe(meta.width);
  const strip = img.height - meta.height!;
  expect(strip).toBeGreaterThanOrEqual(32);
  // The strip's ramp ends in Turbo's published end colours (Google's table: entries 0 and 255),
  // blended at the export's opacity (60 %) over the ramp's grey where the heat weight is full.
  const row = meta.height! + Math.floor(strip / 2);
  const at = (x: number) => [...img.data.subarray((row * img.width + x) * 3, (row * img.width + x) * 3 + 3)];
  // The ramp's low end shows its bare grey (no heat below the floor): find where it starts.
  let x0 = 0;
  while (x0 < img.width && at(x0).some((c) => c !== 0x8a)) x0 += 1;
  expect(x0).toBeLessThan(img.width / 2);
  const rampEnd = at(Math.round(img.width / 2 + (img.width / 2 - x0) * 0.98));
  const turbo255 = [0.4796, 0.01583, 0.01055].map((c) => 0.4 * 0x8a + 0.6 * c * 255);
  for (let c = 0; c < 3; c++) expect(Math.abs(rampEnd[c]! - turbo255[c]!)).toBeLessThan(12);

  await chooseMode('Spotlight');
  expect((await exportPng()).name).toBe('Dune-spotlight.png');
  await chooseMode('Side by side');
  const wide = await raw((await exportPng()).bytes);
  expect(wide.width).toBe(meta.width! * 2);

  // Swipe: a click anywhere on the photo moves the divider there; the export draws it.
  await chooseMode('Swipe');
  const canvas = canvasOf('Dune\\.jpg');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.7);
  const divider = page.getByRole('slider', { name: /Swipe divider/ });
  await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(29);
  expect(Number(await divider.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(31);
  const swipe = await exportPng();
  expect(swipe.name).toBe('Dune-heatmap-swipe-turbo.png');
  const s = await raw(swipe.bytes);
  const split = Number(await divider.getAttribute('aria-valuenow')) / 100;
  // A white column at the split, all the way down the photo.
  let whiteColumn = false;
  for (let x = Math.floor(s.width * split) - 6; x <= Math.ceil(s.width * split) + 6; x++) {
    let white = 0;
    for (let y = 0; y < meta.height!; y += 7) {
      const k = (y * s.width + x) * 3;
      if (s.data[k]! > 245 && s.data[k + 1]! > 245 && s.data[k + 2]! > 245) white += 1;
    }
    if (white >= Math.floor(meta.height! / 7) - 1) whiteColumn = true;
  }
  expect(whiteColumn).toBe(true);
  await chooseMode('Overlay');
});

test('grey stays visible on a bright photo', async () => {
  await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').nth(1).click();
  const canvas = canvasOf('aeslens-bright-chelsea\\.png');
  await page.getByLabel('Outline top regions').uncheck();
  await page.getByLabel('Colormap', { exact: true }).selectOption('grey');
  await page.getByRole('slider', { name: 'Opacity' }).fill('100');
  await expect(canvas).toHaveAccessibleName(/Grey colormap at 100% opacity/);
  await page.mouse.move(0, 0);
  const withHeat = await raw(await canvas.screenshot());
  await page.getByRole('slider', { name: 'Opacity' }).fill('0');
  await expect(canvas).toHaveAccessibleName(/at 0% opacity/);
  const photo = await raw(await canvas.screenshot());
  // Where the map is salient (its own texel above 0.6) the grey shows: a clear change in light.
  const map = (await results(page))[1]!.saliency!;
  const n = Math.round(Math.sqrt(map.length));
  let sum = 0;
  let count = 0;
  let bright = 0;
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      const k = (y * photo.width + x) * 3;
      bright += photo.data[k]!;
      const v = map[Math.floor(((y + 0.5) / photo.height) * n) * n + Math.floor(((x + 0.5) / photo.width) * n)]!;
      if (v < 0.6) continue;
      count += 1;
      sum += Math.abs(photo.data[k]! - withHeat.data[k]!);
    }
  }
  expect(bright / (photo.width * photo.height)).toBeGreaterThan(180);
  expect(count).toBeGreaterThan(50);
  expect(sum / count).toBeGreaterThan(60);
  await page.getByLabel('Colormap', { exact: true }).selectOption('turbo');
  await page.getByRole('slider', { name: 'Opacity' }).fill('60');
});

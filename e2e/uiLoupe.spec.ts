// The loupe: Z zooms to 1:1 about the pointer and the canvas then shows the original's own pixels
// (a synthetic photo larger than the 2048-px display copy, whose every pixel is known), dragging
// and arrow keys pan it, the wheel zooms, and the heatmap's layers and readout stay on the photo
// at every zoom.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectLockedZoom, viewOf } from './support/loupe.ts';
import { addPhotos, GOOD, PHOTOS, shootSizes, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(400_000);

// 4200 × 2800: the display copy is 2048 × 1365, so every pixel of it mixes about four of these.
const W = 4200;
const H = 2800;
/** The synthetic photo's pixel at (x, y): a pattern that changes at every pixel. */
function pixel(x: number, y: number): [number, number, number] {
  return [(x * 37 + y * 11) % 256, (x * 5 + y * 29) % 256, (x ^ y) & 255];
}

async function writePhoto(dir: string): Promise<string> {
  const raw = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) raw.set(pixel(x, y), (y * W + x) * 3);
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'pattern-4200x2800.png');
  await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toFile(file);
  return file;
}

/** The layers over the photo (outlines, measurements) cover exactly the whole photo at this view. */
async function expectLayersOnPhoto(page: Page, canvas: Locator): Promise<void> {
  const view = await viewOf(canvas);
  const c = (await canvas.boundingBox())!;
  const layers = (await page.locator('.heatmap__layers').first().boundingBox())!;
  expect(Math.abs(layers.x - (c.x - (view.x / view.width) * c.width))).toBeLessThan(1);
  expect(Math.abs(layers.y - (c.y - (view.y / view.height) * c.height))).toBeLessThan(1);
  expect(Math.abs(layers.width - c.width / view.width)).toBeLessThan(1);
  expect(Math.abs(layers.height - c.height / view.height)).toBeLessThan(1);
  const outlines = (await page.getByTestId('region-outlines').boundingBox())!;
  expect(outlines).toEqual(layers);
}

/**
 * Every 37th canvas pixel equals the original's pixel it should show at 1:1. The outlines are
 * switched off for the shot (the page's CSP keeps a screenshot's own style sheet out).
 */
async function expectOriginalPixels(page: Page, canvas: Locator): Promise<void> {
  const view = await viewOf(canvas);
  expect(view.width).toBeLessThan(1);
  const x0 = Math.round(view.x * W);
  const y0 = Math.round(view.y * H);
  expect(Math.abs(view.x * W - x0)).toBeLessThan(1e-6);
  const outlines = page.getByLabel('Outline top regions');
  await outlines.uncheck();
  await expect(page.getByTestId('region-outlines')).toHaveCount(0);
  const shot = await sharp(await canvas.screenshot())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  await outlines.check();
  // At 1:1 the canvas shows as many photo pixels as it has screen pixels (the shot of a canvas at a
  // fractional page position may take one more row or column from around it).
  const width = Math.round(view.width * W);
  const height = Math.round(view.height * H);
  expect(Math.abs(view.width * W - width)).toBeLessThan(1e-6);
  expect(shot.info.width - width).toBeLessThanOrEqual(1);
  expect(shot.info.height - height).toBeLessThanOrEqual(1);
  // The zoom level button sits over the photo's corner.
  const c = (await canvas.boundingBox())!;
  const b = (await page.getByTestId('zoom-level').boundingBox())!;
  const underButton = (i: number, j: number): boolean =>
    i >= b.x - c.x - 1 && i <= b.x - c.x + b.width + 1 && j >= b.y - c.y - 1 && j <= b.y - c.y + b.height + 1;
  let worst = 0;
  let checked = 0;
  for (let j = 3; j < height; j += 37) {
    for (let i = 5; i < width; i += 37) {
      if (underButton(i, j)) continue;
      const want = pixel(x0 + i, y0 + j);
      const at = (j * shot.info.width + i) * 3;
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(shot.data[at + k]! - want[k]!));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(100);
  expect(worst).toBeLessThanOrEqual(2);
}

test('Z zooms to 1:1 on the original pixels, panning moves them, the heatmap stays on the photo', async ({
  page,
}, testInfo) => {
  const file = await writePhoto(testInfo.outputDir);
  await shortCritiques(page);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [file, join(PHOTOS, 'large', 'Elephants_5640x3172.jpg')]);
  await waitForAllSettled(page, 2);
  await page.getByRole('option', { name: /^pattern-4200x2800\.png,/ }).click();
  const canvas = page.getByRole('img', { name: /Aesthetic saliency heatmap of pattern-4200x2800\.png.*arrow keys/ });
  await expect(canvas).toHaveAttribute('data-zoomed', 'false');
  await page.getByLabel('Outline top regions').check();
  await expectLayersOnPhoto(page, canvas);

  // Opacity 0 leaves the photo's own colours on the canvas.
  await page.getByRole('slider', { name: 'Opacity' }).fill('0');
  const c = (await canvas.boundingBox())!;
  const pointer = { x: c.x + c.width * 0.3, y: c.y + c.height * 0.4 };
  await page.mouse.move(pointer.x, pointer.y);
  const readout = page.getByTestId('saliency-readout');
  const atFit = (await readout.textContent())!.match(/^Saliency (\d\.\d\d) at (\d+), (\d+)$/)!;

  await expect(page.getByTestId('zoom-level')).toHaveText('Fit');
  await page.keyboard.press('z');
  await expect(canvas).toHaveAttribute('data-zoomed', 'true');
  await expect(page.getByTestId('zoom-level')).toHaveText('100 %');
  await expect(canvas).toHaveAttribute('data-detail', 'original');
  await expectOriginalPixels(page, canvas);
  await expectLayersOnPhoto(page, canvas);
  // The photo point under the pointer stayed under it: same pixel (within one), same saliency.
  await page.mouse.move(pointer.x + 1, pointer.y);
  await page.mouse.move(pointer.x, pointer.y);
  const atOne = (await readout.textContent())!.match(/^Saliency (\d\.\d\d) at (\d+), (\d+)$/)!;
  expect(Math.abs(Number(atOne[2]) - Number(atFit[2]))).toBeLessThanOrEqual(2);
  expect(Math.abs(Number(atOne[3]) - Number(atFit[3]))).toBeLessThanOrEqual(2);
  expect(Math.abs(Number(atOne[1]) - Number(atFit[1]))).toBeLessThanOrEqual(0.01);

  // Dragging the photo 300 px left and 120 px up shows 300 and 120 photo pixels further on.
  const before = await viewOf(canvas);
  await page.mouse.down();
  await page.mouse.move(pointer.x - 300, pointer.y - 120, { steps: 6 });
  await page.mouse.up();
  const dragged = await viewOf(canvas);
  expect(Math.round((dragged.x - before.x) * W)).toBe(300);
  expect(Math.round((dragged.y - before.y) * H)).toBe(120);
  await expect(canvas).toHaveAttribute('data-detail', 'original');
  await expectOriginalPixels(page, canvas);
  await expectLayersOnPhoto(page, canvas);

  // While zoomed the arrow keys pan a tenth of the view; Shift+arrows move the readout cursor.
  await canvas.focus();
  await page.keyboard.press('ArrowLeft');
  const keyed = await viewOf(canvas);
  expect(Math.abs((dragged.x - keyed.x) * W - Math.round(c.width) * 0.1)).toBeLessThanOrEqual(1);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('readout-cursor')).toBeVisible();
  await expect(canvas).toHaveAttribute('data-view', `${keyed.x} ${keyed.y} ${keyed.width} ${keyed.height}`);
  await expect(canvas).toHaveAttribute('data-detail', 'original');
  await expectOriginalPixels(page, canvas);

  // Z again fits the photo; the wheel zooms by 1.25 a notch about the pointer.
  await page.keyboard.press('z');
  await expect(canvas).toHaveAttribute('data-view', '0 0 1 1');
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.wheel(0, -100);
  await expect(canvas).toHaveAttribute('data-zoomed', 'true');
  const wheeled = await viewOf(canvas);
  expect(wheeled.width).toBeCloseTo(1 / 1.25, 2);
  await expectLayersOnPhoto(page, canvas);
  await page.mouse.wheel(0, -800);
  await expectLayersOnPhoto(page, canvas);

  // Nine notches in from the fit (the canvas is as many screen pixels wide as CSS pixels here).
  const fit = Math.min(Math.round(c.width) / W, Math.round(c.height) / H);
  await expect(page.getByTestId('zoom-level')).toHaveText(`${Math.round(fit * 1.25 ** 9 * 100)} %`);
  // The zoom button does what Z does.
  await page.getByTestId('zoom-level').click();
  await expect(canvas).toHaveAttribute('data-view', '0 0 1 1');
  await page.getByTestId('zoom-level').click();
  await expect(page.getByTestId('zoom-level')).toHaveText('100 %');

  // A real photo at 1:1 (the zoom is kept from photo to photo), at three window sizes, judged by eye.
  await page.getByRole('slider', { name: 'Opacity' }).fill('60');
  await page.getByRole('option', { name: /^Elephants_5640x3172\.jpg,/ }).click();
  const elephants = page.getByRole('img', { name: /Aesthetic saliency heatmap of Elephants/ });
  await expect(elephants).toHaveAttribute('data-detail', 'original');
  await shootSizes(page, 'loupe', { folder: join(testInfo.outputDir, 'screens') });
});

test('C compares two photos with zoom and pan locked, each with its score; N surveys; Esc returns', async ({
  page,
}, testInfo) => {
  await shortCritiques(page);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [join(GOOD, 'Aqua.jpg'), join(GOOD, 'LadyBird.jpg'), join(GOOD, 'Storm.jpg')]);
  const [aqua, ladyBird] = await waitForAllSettled(page, 3);
  await page.getByRole('option', { name: /^Aqua\.jpg,/ }).click();

  await page.keyboard.press('c');
  const view = page.getByTestId('compare-view');
  await expect(view).toHaveAttribute('data-layout', 'compare');
  const panes = view.getByTestId('compare-pane');
  await expect(panes).toHaveCount(2);
  // The selected photo and the next, each with its own score.
  await expect(panes.nth(0)).toHaveAccessibleName('Compare: Aqua.jpg');
  await expect(panes.nth(1)).toHaveAccessibleName('Compare: LadyBird.jpg');
  await expect(panes.nth(0).getByTestId('compare-score')).toHaveText(aqua!.score!.toFixed(2));
  await expect(panes.nth(1).getByTestId('compare-score')).toHaveText(ladyBird!.score!.toFixed(2));
  // Zooming one zooms both (Z to 1:1, then three wheel notches of 1.25), dragging one pans both.
  expect(await expectLockedZoom(page)).toEqual({ afterZ: '100 %', afterWheel: '195 %' });

  await shootSizes(page, 'compare', { folder: join(testInfo.outputDir, 'screens') });

  // Esc goes back to the single photo; N surveys all three.
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Photo: Aqua.jpg' })).toBeVisible();
  await page.keyboard.press('n');
  await expect(view).toHaveAttribute('data-layout', 'survey');
  await expect(panes).toHaveCount(3);
  await page.screenshot({ path: join(testInfo.outputDir, 'screens', 'survey-1440x900.png') });
  await page.getByRole('button', { name: 'Single photo' }).click();
  await expect(view).toHaveCount(0);

  // Ctrl-click chooses the photos to compare: Storm and Aqua, in that order.
  await page.getByRole('option', { name: /^Storm\.jpg,/ }).click({ modifiers: ['Control'] });
  await page.getByRole('option', { name: /^Aqua\.jpg,/ }).click({ modifiers: ['Control'] });
  await page.keyboard.press('c');
  await expect(panes).toHaveCount(2);
  await expect(panes.nth(0)).toHaveAccessibleName('Compare: Storm.jpg');
  await expect(panes.nth(1)).toHaveAccessibleName('Compare: Aqua.jpg');
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
});

// The heatmap's colormapping runs in a WebGL2 shader; without WebGL2 the studio says so and draws
// the same picture with a 2D canvas. Both renderers are compared pixel by pixel on one photo.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

const PHOTO = join(GOOD, 'chelsea.png');

/** The heatmap canvas as RGB pixels, at the given opacity (turbo, overlay). */
async function heatmapPixels(page: Page, opacity: number): Promise<{ data: Buffer; width: number; height: number }> {
  const canvas = page.getByRole('img', { name: /Aesthetic saliency heatmap of chelsea\.png/ });
  await page.getByRole('slider', { name: 'Opacity' }).fill(String(opacity));
  await expect(canvas).toHaveAccessibleName(new RegExp(`Turbo colormap at ${opacity}% opacity, overlay view`));
  await page.mouse.move(0, 0);
  const png = await canvas.screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function meanAbsDiff(a: { data: Buffer }, b: { data: Buffer }): number {
  expect(a.data.length).toBe(b.data.length);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

async function analysed(page: Page, query: string): Promise<void> {
  await page.goto(`/?packs=fixture&testhooks${query}`);
  await addPhotos(page, [PHOTO]);
  await waitForAllSettled(page, 1);
}

test('WebGL2 colormapping, and the 2D-canvas fallback draws the same heatmap with a notice', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const gl = await context.newPage();
  await shortCritiques(gl, 4);
  await analysed(gl, '');
  const glCanvas = gl.getByRole('img', { name: /Aesthetic saliency heatmap/ });
  await expect(glCanvas).toHaveAttribute('data-renderer', 'webgl2');
  await expect(gl.getByText(/GPU colormapping is unavailable/)).toHaveCount(0);
  const glFull = await heatmapPixels(gl, 100);
  const glNone = await heatmapPixels(gl, 0);

  // A browser without WebGL2: getContext('webgl2') gives null, as it does where WebGL is blocked.
  const flat = await context.newPage();
  await flat.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, id: string, options?: unknown) {
      return id === 'webgl2' ? null : getContext.call(this, id, options);
    } as typeof getContext;
  });
  await analysed(flat, '');
  const flatCanvas = flat.getByRole('img', { name: /Aesthetic saliency heatmap/ });
  await expect(flatCanvas).toHaveAttribute('data-renderer', '2d');
  await expect(flat.getByRole('status').filter({ hasText: 'GPU colormapping is unavailable' })).toContainText(
    'this browser has no WebGL2',
  );
  const flatFull = await heatmapPixels(flat, 100);
  const flatNone = await heatmapPixels(flat, 0);

  // Same photo without the heatmap (up to resampling: texture sampling vs drawImage); with it, the
  // two renderers differ far less than the heatmap changes the picture (the 2D path colours the
  // map before upscaling it, the shader after).
  const photoDiff = meanAbsDiff(glNone, flatNone);
  const heatmapEffect = meanAbsDiff(glFull, glNone);
  const rendererDiff = meanAbsDiff(glFull, flatFull);
  test
    .info()
    .annotations.push({ type: 'mean |Δ| per channel', description: `${photoDiff} ${heatmapEffect} ${rendererDiff}` });
  expect(photoDiff).toBeLessThan(6);
  expect(heatmapEffect).toBeGreaterThan(20);
  expect(rendererDiff).toBeLessThan(heatmapEffect * 0.1);

  // The fallback still follows the controls.
  await flat.getByLabel('Colormap', { exact: true }).selectOption('grey');
  await expect(flatCanvas).toHaveAccessibleName(/Grey colormap/);
  await flat.getByRole('slider', { name: 'Opacity' }).fill('100');
  const grey = await flatCanvas.screenshot();
  const { data } = await sharp(grey).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(meanAbsDiff({ data }, flatFull)).toBeGreaterThan(5);
  await context.close();
});

// The heatmap's colormapping runs in a WebGL2 shader; without WebGL2 the studio says so and draws
// the same picture with a 2D canvas. Both renderers are checked pixel by pixel on one photo: where
// the saliency is low the photo's pixels are untouched, spotlight dims only what is not salient,
// and the two renderers agree.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

const PHOTO = join(GOOD, 'chelsea.png');
/** Saliency at or below this leaves the photo as it is (the renderer's documented floor). */
const FLOOR = 0.2;
/** Saliency at or above this gets the full heat weight, so spotlight leaves it as it is. */
const FULL = 0.7;

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

const canvasOf = (page: Page) => page.getByRole('img', { name: /Aesthetic saliency heatmap of chelsea\.png/ });

async function shot(page: Page): Promise<Pixels> {
  await page.mouse.move(0, 0);
  const png = await canvasOf(page).screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The heatmap canvas as RGB pixels, at the given opacity (turbo, overlay). */
async function heatmapPixels(page: Page, opacity: number): Promise<Pixels> {
  await page.getByRole('slider', { name: 'Opacity' }).fill(String(opacity));
  await expect(canvasOf(page)).toHaveAccessibleName(new RegExp(`Turbo colormap at ${opacity}% opacity, overlay view`));
  return shot(page);
}

async function spotlightPixels(page: Page, dimming: number): Promise<Pixels> {
  await page.locator('.segmented label', { hasText: 'Spotlight' }).click();
  await page.getByRole('slider', { name: 'Dimming' }).fill(String(dimming));
  await expect(canvasOf(page)).toHaveAccessibleName(new RegExp(`spotlight dimming the rest by ${dimming}%`));
  const pixels = await shot(page);
  await page.locator('.segmented label', { hasText: 'Overlay' }).click();
  return pixels;
}

function meanAbsDiff(a: { data: Buffer }, b: { data: Buffer }): number {
  expect(a.data.length).toBe(b.data.length);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/**
 * Per screen pixel: the lowest and highest saliency of the map texels within `reach` texels of it,
 * from the map the app computed; the map is stretched over the photo.
 */
function saliencyBounds(
  map: number[],
  width: number,
  height: number,
  reach: number,
): { lo: Float32Array; hi: Float32Array } {
  const n = Math.round(Math.sqrt(map.length));
  expect(n * n).toBe(map.length);
  const lo = new Float32Array(width * height);
  const hi = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const my = Math.floor(((y + 0.5) / height) * n);
    for (let x = 0; x < width; x++) {
      const mx = Math.floor(((x + 0.5) / width) * n);
      let min = Infinity;
      let max = -Infinity;
      for (let j = Math.max(0, my - reach); j <= Math.min(n - 1, my + reach); j++) {
        for (let i = Math.max(0, mx - reach); i <= Math.min(n - 1, mx + reach); i++) {
          const v = map[j * n + i]!;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      lo[y * width + x] = min;
      hi[y * width + x] = max;
    }
  }
  return { lo, hi };
}

/** Pixels where `a` and `b` differ, among those `where` picks; and how many were picked. */
function changed(a: Pixels, b: Pixels, where: (i: number) => boolean): { picked: number; differing: number } {
  let picked = 0;
  let differing = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!where(i)) continue;
    picked += 1;
    const k = i * 3;
    if (a.data[k] !== b.data[k] || a.data[k + 1] !== b.data[k + 1] || a.data[k + 2] !== b.data[k + 2]) differing += 1;
  }
  return { picked, differing };
}

/** Mean brightness of `a` over `b` where `where` picks. */
function brightnessRatio(a: Pixels, b: Pixels, where: (i: number) => boolean): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (!where(i)) continue;
    for (let c = 0; c < 3; c++) {
      sa += a.data[i * 3 + c]!;
      sb += b.data[i * 3 + c]!;
    }
  }
  return sa / sb;
}

async function analysed(page: Page): Promise<number[]> {
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [PHOTO]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo!.status).toBe('done');
  return (await results(page))[0]!.saliency!;
}

/** The pixel checks every renderer must pass; returns the full-opacity and no-heat pictures. */
async function checkRenderer(page: Page, map: number[]): Promise<{ full: Pixels; none: Pixels }> {
  const full = await heatmapPixels(page, 100);
  const none = await heatmapPixels(page, 0);
  // Three texels is further than either renderer's filtering reaches; one is the bilinear reach.
  const { hi } = saliencyBounds(map, full.width, full.height, 3);
  const { lo } = saliencyBounds(map, full.width, full.height, 1);
  // Where the saliency is low the photo keeps its colours exactly, even at full opacity...
  const quiet = changed(full, none, (i) => hi[i]! < FLOOR - 0.01);
  expect(quiet.picked).toBeGreaterThan(full.width * full.height * 0.05);
  expect(quiet.differing).toBe(0);
  // ...and where it is high the heat is drawn.
  const hot = changed(full, none, (i) => lo[i]! > 0.45);
  expect(hot.picked).toBeGreaterThan(100);
  expect(hot.differing / hot.picked).toBeGreaterThan(0.9);

  // Spotlight: the salient part is the photo as it is, the rest is dimmed to 15 % of its light.
  const spot = await spotlightPixels(page, 100);
  const kept = changed(spot, none, (i) => lo[i]! > FULL + 0.01);
  test
    .info()
    .annotations.push({ type: 'pixels', description: `quiet ${quiet.picked} hot ${hot.picked} kept ${kept.picked}` });
  expect(kept.picked).toBeGreaterThan(0);
  expect(kept.differing).toBe(0);
  const dark = brightnessRatio(spot, none, (i) => hi[i]! < FLOOR - 0.01);
  expect(dark).toBeGreaterThan(0.13);
  expect(dark).toBeLessThan(0.17);
  return { full, none };
}

test('WebGL2 colormapping, and the 2D-canvas fallback draws the same heatmap with a notice', async ({ browser }) => {
  // Tall enough that the photo's size is set by the stage's width, so the notice the fallback shows
  // above the stage does not change it: the two renderers are compared pixel for pixel.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const gl = await context.newPage();
  await shortCritiques(gl, 4);
  const glMap = await analysed(gl);
  const glCanvas = canvasOf(gl);
  await expect(glCanvas).toHaveAttribute('data-renderer', 'webgl2');
  await expect(gl.getByText(/GPU colormapping is unavailable/)).toHaveCount(0);
  const { full: glFull, none: glNone } = await checkRenderer(gl, glMap);

  // A browser without WebGL2: getContext('webgl2') gives null, as it does where WebGL is blocked.
  // Its own context, so it starts without the first page's saved session.
  const flatContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const flat = await flatContext.newPage();
  await shortCritiques(flat, 4);
  await flat.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, id: string, options?: unknown) {
      return id === 'webgl2' ? null : getContext.call(this, id, options);
    } as typeof getContext;
  });
  const flatMap = await analysed(flat);
  const flatCanvas = canvasOf(flat);
  await expect(flatCanvas).toHaveAttribute('data-renderer', '2d');
  await expect(flat.getByRole('status').filter({ hasText: 'GPU colormapping is unavailable' })).toContainText(
    'this browser has no WebGL2',
  );
  const { full: flatFull, none: flatNone } = await checkRenderer(flat, flatMap);

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
  expect(heatmapEffect).toBeGreaterThan(3);
  expect(rendererDiff).toBeLessThan(heatmapEffect * 0.15);

  // The fallback still follows the controls.
  await flat.getByLabel('Colormap', { exact: true }).selectOption('grey');
  await expect(flatCanvas).toHaveAccessibleName(/Grey colormap/);
  await flat.getByRole('slider', { name: 'Opacity' }).fill('100');
  const grey = await shot(flat);
  expect(meanAbsDiff(grey, flatFull)).toBeGreaterThan(3);
  await flatContext.close();
  await context.close();
});

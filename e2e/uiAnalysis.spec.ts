// The Analysis panel against the production build with the fixture packs: the measurements a real
// photo gets in the browser (decoded and measured in the attributes worker) match the same
// definitions computed in Node; the clipping view paints exactly the clipped pixels; the score
// scale; screenshots at the three widths.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import {
  GROUNDING_TOKENS,
  groundingFacts,
  groundingSentence,
  measureAttributes,
  readings,
} from '../models/attributes/index.ts';
import { tokenCountOf } from '../models/testing/criticTokenCount.node.ts';
import type { AesLensTestHooks, PhotoResultForTests } from '../app/testing/testHooks.ts';
import { shootSizes } from './support/plumbing.ts';

const GOOD = join(import.meta.dirname, '../../shared/photos/good');
/** A PNG: browsers and sharp decode it to the same bytes, so the Node measurements are an exact reference. */
const REAL = join(GOOD, 'coffee.png');
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

/** 640×400 mid-grey with a white block (highlights) and a black block (shadows) at known places. */
const CLIPPED = { width: 640, height: 400, white: [100, 60, 300, 160], black: [380, 240, 560, 360] } as const;

async function clippedPng(): Promise<Buffer> {
  const { width, height, white, black } = CLIPPED;
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = (r: readonly number[]): boolean => x >= r[0]! && x < r[2]! && y >= r[1]! && y < r[3]!;
      px.fill(
        inside(white) ? 255 : inside(black) ? 0 : 90 + ((x + y) % 40),
        (y * width + x) * 3,
        (y * width + x) * 3 + 3,
      );
    }
  return sharp(px, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function results(page: Page): Promise<PhotoResultForTests[]> {
  return page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.results());
}

test.describe('analysis panel', () => {
  test.describe.configure({ mode: 'serial', timeout: 300_000 });
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Short critiques: this spec checks what the critic is told, not what it writes.
    await page.addInitScript(() => {
      if (!localStorage.getItem('aeslens-settings'))
        localStorage.setItem('aeslens-settings', JSON.stringify({ state: { maxNewTokens: 8 }, version: 1 }));
    });
    await page.goto('/?packs=fixture&testhooks');
    await page.getByLabel('Add photos', { exact: true }).setInputFiles([
      { name: 'coffee.png', mimeType: 'image/png', buffer: readFileSync(REAL) },
      { name: 'clipped.png', mimeType: 'image/png', buffer: await clippedPng() },
    ]);
  });

  test.afterAll(async () => page.close());

  test('shows the measurements of a real photo, as computed in Node from the same pixels', async () => {
    await expect.poll(async () => (await results(page))[0]?.measuredWithSaliency, { timeout: 240_000 }).toBe(true);
    const [coffee] = await results(page);
    const { data, info } = await sharp(REAL).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const want = measureAttributes({ data: new Uint8Array(data), width: info.width, height: info.height }, null);
    const got = coffee!.attributes!;
    expect(got.exposure.meanLuma).toBeCloseTo(want.exposure.meanLuma, 10);
    expect(got.exposure.clippedHighlights).toBe(want.exposure.clippedHighlights);
    expect(coffee!.details!.histogram).toEqual(want.exposure.histogram);
    expect(got.colour.colourfulness).toBeCloseTo(want.colour.colourfulness, 8);
    expect(got.colour.palette).toEqual(want.colour.palette);
    coffee!.details!.sharpnessGrid.forEach((v, i) => expect(v).toBeCloseTo(want.focus.grid[i]!, 3));
    expect(got.composition.saliencyCentroid).toHaveLength(2);

    const panel = page.getByTestId('analysis');
    for (const r of readings(want).filter((r) => !['depth', 'thirds', 'subject'].includes(r.key)))
      await expect(panel.locator(`[data-reading="${r.key}"]`)).toHaveText(r.text);
    for (const key of ['depth', 'thirds', 'subject'])
      await expect(panel.locator(`[data-reading="${key}"]`)).toBeVisible();
    await expect(panel.getByTestId('palette').getByRole('listitem')).toHaveCount(want.colour.palette.length);
    await expect(panel.getByTestId('palette')).toContainText(want.colour.palette[0]!.hex);
    await expect(panel.getByTestId('histogram')).toBeVisible();
  });

  test('the score sits on the model range with the batch, and its rank is given', async () => {
    await expect
      .poll(async () => (await results(page)).filter((r) => r.score !== undefined).length, { timeout: 240_000 })
      .toBe(2);
    const [a, b] = await results(page);
    const rank = a!.score! >= b!.score! ? 1 : 2;
    await expect(page.getByTestId('score-scale')).toContainText(`#${rank} of 2 in this batch`);
    // The batch's scores as ticks drawn as one path, on the batch's own range (the demo pack states
    // none): the lowest and the highest at its two ends; this photo's marked apart.
    await expect(page.getByTestId('score-scale')).toContainText(Math.min(a!.score!, b!.score!).toFixed(2));
    const ticks = await page.getByTestId('score-scale').locator('.score-scale__ticks path').getAttribute('d');
    expect(ticks!.match(/M/g)).toHaveLength(a!.score === b!.score ? 1 : 2);
    await expect(page.getByTestId('score-scale').locator('.score-scale__this')).toHaveCount(1);
  });

  test('J paints exactly the clipped pixels: highlights red, shadows blue', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').nth(1).click();
    await expect
      .poll(async () => (await results(page))[1]?.attributes?.exposure.clippedHighlights)
      .toBeCloseTo((200 * 100) / (640 * 400), 12);
    await page.getByRole('slider', { name: 'Opacity' }).fill('0');
    const stage = page.locator('.heatmap__stage');
    const toggle = page.getByLabel('Show clipping on the photo');
    await expect(toggle).not.toBeChecked();
    await page.locator('.studio__main').focus();
    await page.keyboard.press('j');
    await expect(toggle).toBeChecked();
    await expect(page.getByTestId('clip-overlay')).toBeVisible();
    const png = await stage.screenshot({ path: join(SCREENSHOTS, 'analysis-clipping.png') });
    const shot = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width: sw, height: sh } = shot.info;
    const pixel = (u: number, v: number): number[] => {
      const i = (Math.floor(v * sh) * sw + Math.floor(u * sw)) * 3;
      return [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!];
    };
    // The zoom level button sits over the photo's corner: no sample is taken under it.
    const st = (await stage.boundingBox())!;
    const zb = (await page.getByTestId('zoom-level').boundingBox())!;
    const underButton = (u: number, v: number): boolean => {
      const [x, y] = [st.x + u * st.width, st.y + v * st.height];
      return x >= zb.x - 2 && x <= zb.x + zb.width + 2 && y >= zb.y - 2 && y <= zb.y + zb.height + 2;
    };
    const { width, height, white, black } = CLIPPED;
    // Sample a grid of points well inside and well outside each block (away from edges, where the
    // screenshot's scaling blends neighbours).
    for (let gy = 0.5; gy < height; gy += 12)
      for (let gx = 0.5; gx < width; gx += 12) {
        const near = (r: readonly number[]): boolean =>
          gx >= r[0]! - 6 && gx < r[2]! + 6 && gy >= r[1]! - 6 && gy < r[3]! + 6;
        const deep = (r: readonly number[]): boolean =>
          gx >= r[0]! + 6 && gx < r[2]! - 6 && gy >= r[1]! + 6 && gy < r[3]! - 6;
        if (underButton(gx / width, gy / height)) continue;
        const got = pixel(gx / width, gy / height);
        if (deep(white)) expect(got, `highlight at ${gx},${gy}`).toEqual([255, 0, 0]);
        else if (deep(black)) expect(got, `shadow at ${gx},${gy}`).toEqual([0, 64, 255]);
        else if (!near(white) && !near(black) && gx > 6 && gy > 6 && gx < width - 6 && gy < height - 6) {
          // Unclipped: the grey photo shows through (R = G = B up to the screenshot's rounding).
          expect(Math.max(...got) - Math.min(...got), `photo at ${gx},${gy}: ${got.join(',')}`).toBeLessThanOrEqual(3);
          expect(got[0]!).toBeGreaterThan(60);
        }
      }
    await page.keyboard.press('j');
    await expect(page.getByTestId('clip-overlay')).toHaveCount(0);
    await page.getByRole('slider', { name: 'Opacity' }).fill('60');
  });

  test('the critic is told the measured facts after the instruction, and the prompt is shown', async () => {
    await expect
      .poll(async () => (await results(page))[0]?.criticPrompt, { timeout: 240_000, intervals: [1000, 2000] })
      .toBeTruthy();
    const [coffee] = await results(page);
    // The demo critic counts its budget with its own tokenizer, as served to the page.
    const count = await tokenCountOf(join(import.meta.dirname, '../public/models/fixture/fixture-smolvlm'));
    const facts = groundingSentence(groundingFacts(coffee!.attributes!), GROUNDING_TOKENS, count);
    expect(facts).toMatch(/^Measured: highlights clipped on /);
    expect(coffee!.criticPrompt!.endsWith(`Comment on this image from an aesthetic perspective. ${facts}`)).toBe(true);
    await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').first().click();
    const told = page.getByTestId('critic-prompt');
    await told.getByText('What the critic was told').click();
    await expect(told).toContainText(facts);
  });

  test('screenshots of the panel at the three widths', async () => {
    await page.getByRole('listbox', { name: 'Photos' }).getByRole('option').first().click();
    await page.getByLabel('Thirds, subject centre and horizon on the photo').check();
    await page.getByLabel('Sharpness overlay (soft areas dimmed)').check();
    await expect(page.getByTestId('guides-overlay')).toBeVisible();
    await shootSizes(page, 'analysis', { folder: SCREENSHOTS, fullPagePhone: true });
  });
});

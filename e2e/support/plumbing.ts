// Shared helpers for the plumbing specs: paths of the shared photos, files re-encoded by sharp for
// the formats the shared set lacks, and waiting for a photo's analysis through the test hooks.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { AesLensTestHooks, PhotoResultForTests } from '../../app/testing/testHooks.ts';

export const PHOTOS = join(import.meta.dirname, '../../../shared/photos');
export const GOOD = join(PHOTOS, 'good');
export const BAD = join(PHOTOS, 'bad');
export const goodPhotos = (): string[] => readdirSync(GOOD).map((f) => join(GOOD, f));
export const badPhotos = (): string[] => readdirSync(BAD).map((f) => join(BAD, f));

/** WebP, AVIF, GIF and BMP versions of a shared photo, plus a JPEG with EXIF orientation 6. */
export async function extraFormats(): Promise<string[]> {
  const dir = join(tmpdir(), 'aeslens-e2e-formats');
  mkdirSync(dir, { recursive: true });
  const base = () => sharp(join(GOOD, 'coffee.png')).resize(300, 200);
  const out: string[] = [];
  const write = (name: string, bytes: Uint8Array): void => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    out.push(path);
  };
  write('coffee.webp', await base().webp({ quality: 80 }).toBuffer());
  write('coffee.avif', await base().avif({ quality: 50 }).toBuffer());
  write('coffee.gif', await base().gif().toBuffer());
  write('coffee-rotated.jpg', await base().jpeg().withMetadata({ orientation: 6 }).toBuffer());
  const { data, info } = await base().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  write('coffee.bmp', encodeBmp(data, info.width, info.height));
  return out;
}

/** 24-bit bottom-up BMP (BITMAPINFOHEADER), written here because sharp has no BMP encoder. */
function encodeBmp(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const bytes = new Uint8Array(54 + stride * height);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 3;
      bytes[row + x * 3] = rgb[src + 2]!;
      bytes[row + x * 3 + 1] = rgb[src + 1]!;
      bytes[row + x * 3 + 2] = rgb[src]!;
    }
  }
  return bytes;
}

export async function results(page: Page): Promise<PhotoResultForTests[]> {
  return page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.results());
}

/** Waits until every photo is settled (done, failed or cancelled) and its critique is not running. */
export async function waitForAllSettled(page: Page, count: number, timeout = 400_000): Promise<PhotoResultForTests[]> {
  await expect
    .poll(
      async () => {
        const r = await results(page);
        const settled = r.filter(
          (p) =>
            (p.status === 'done' || p.status === 'failed' || p.status === 'cancelled') &&
            p.critiqueStatus !== 'streaming' &&
            p.critiqueStatus !== 'queued',
        );
        return settled.length === r.length ? r.length : -1;
      },
      { timeout, intervals: [500, 1000, 2000] },
    )
    .toBe(count);
  return results(page);
}

/**
 * Keeps critiques short (the fixture critic's text is noise anyway) so tests spend their time on
 * the plumbing: sets the persisted settings before the app starts.
 */
export async function shortCritiques(page: Page, maxNewTokens = 8): Promise<void> {
  await presetSetting(page, 'maxNewTokens', maxNewTokens);
}

/**
 * A critique for every photo as it is analysed, as specs of the critic's plumbing expect (the app
 * writes one only for the photo open and those asked for unless this setting is on).
 */
export async function critiqueEveryPhoto(page: Page): Promise<void> {
  await presetSetting(page, 'critiqueEvery', true);
}

/** Sets a persisted setting before the app starts, unless the page already stored one (a reload keeps the user's). */
async function presetSetting(page: Page, key: string, value: unknown): Promise<void> {
  await page.addInitScript(
    ([k, v]) => {
      const stored = localStorage.getItem('aeslens-settings');
      const settings = stored ? (JSON.parse(stored) as { state: Record<string, unknown>; version: number }) : null;
      if (settings && k! in settings.state) return;
      const next = settings ?? { state: {}, version: 1 };
      next.state[k!] = v;
      localStorage.setItem('aeslens-settings', JSON.stringify(next));
    },
    [key, value] as const,
  );
}

export async function addPhotos(page: Page, files: string[]): Promise<void> {
  await page.getByLabel('Add photos', { exact: true }).setInputFiles(files);
}

/**
 * Records every text the critique panel shows, from before the app starts, so a test can tell a
 * critique that streamed in from one that appeared at once. Read with `critiqueFrames`.
 */
export async function recordCritiqueFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const frames: string[] = [];
    (window as Window & { critiqueFrames?: string[] }).critiqueFrames = frames;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="critique-text"]')?.textContent ?? '';
      if (text && text !== frames[frames.length - 1]) frames.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

export async function critiqueFrames(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as Window & { critiqueFrames?: string[] }).critiqueFrames ?? []);
}

/**
 * Screenshots of the page at 1440×900, 820×1180 and 390×844 (named `<name>-<w>x<h>.png`, the phone one
 * of the full page when `fullPagePhone`) into `folder`, by default E2E_SCREENSHOTS (without it, nothing);
 * back at 1440×900 afterwards.
 */
export async function shootSizes(
  page: Page,
  name: string,
  { folder = process.env.E2E_SCREENSHOTS, fullPagePhone = false }: { folder?: string; fullPagePhone?: boolean } = {},
): Promise<void> {
  if (!folder) return;
  mkdirSync(folder, { recursive: true });
  for (const [w, h] of [
    [1440, 900],
    [820, 1180],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300); // the stage refits the photo a frame after a resize
    await page.screenshot({ path: join(folder, `${name}-${w}x${h}.png`), fullPage: fullPagePhone && w === 390 });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Opens every folded stack in the gallery (generated test photos are often near-duplicates of each other). */
export async function expandStacks(page: Page): Promise<void> {
  const collapsed = page.locator('[data-testid="stack-count"][title^="Expand"]');
  while ((await collapsed.count()) > 0) await collapsed.first().click();
}

// Intake: every good format gets a heatmap, every bad file a role="alert" naming it and the reason
// (the bomb refused from its header, before any decode), and the app keeps working; photos arrive
// by file picker (also from a dialog whose picker left the page meanwhile), drag and drop, paste and
// folder.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  addPhotos,
  BAD,
  badPhotos,
  extraFormats,
  GOOD,
  goodPhotos,
  PHOTOS,
  results,
  shortCritiques,
  waitForAllSettled,
} from './support/plumbing.ts';

// WASM keeps these tests about intake rather than SwiftShader's speed; WebGPU has its own specs.
const APP = '/?packs=fixture&backend=wasm&testhooks';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

const REASONS: Record<string, RegExp> = {
  'empty.jpg': /empty/,
  'not-an-image.jpg': /not an image/,
  'truncated.jpg': /truncated/i,
  'multipage_rgb.tif': /TIFF/,
  'script.svg': /SVG/,
  'bomb-16384x16384.png': /16384×16384.*over the 50 MP limit.*before decoding/,
};

test('every good format gets a heatmap (JPEG, PNG, WebP, AVIF, GIF, BMP, EXIF-rotated JPEG)', async ({ page }) => {
  await page.goto(APP);
  const files = [...goodPhotos(), ...(await extraFormats())];
  await addPhotos(page, files);
  const all = await waitForAllSettled(page, files.length);
  for (const p of all) {
    expect(p.status, `${p.fileName}: ${p.error ?? ''}`).toBe('done');
    expect(p.saliency?.length, p.fileName).toBe(224 * 224);
    expect(Number.isFinite(p.score), p.fileName).toBe(true);
  }
  expect(new Set(all.map((p) => p.mimeType))).toEqual(
    new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif', 'image/bmp']),
  );
  // EXIF orientation 6: the 300×200 stored frame is shown 200×300.
  expect(all.find((p) => p.fileName === 'coffee-rotated.jpg')).toMatchObject({ width: 200, height: 300 });
  await page.getByRole('option', { name: /coffee-rotated\.jpg/ }).click();
  await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of coffee-rotated\.jpg/ })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

/**
 * Records the size of every file decoded, to prove the bomb never is: files the page decodes
 * itself (createImageBitmap) and files sent to a worker to decode ('decode' to the intake worker,
 * 'measure' to the attributes worker).
 */
async function spyOnDecodes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const original = window.createImageBitmap.bind(window);
    const sizes: number[] = [];
    (window as Window & { decodedBlobSizes?: number[] }).decodedBlobSizes = sizes;
    window.createImageBitmap = ((source: ImageBitmapSource, ...rest: unknown[]) => {
      if (source instanceof Blob) sizes.push(source.size);
      return (original as (...args: unknown[]) => Promise<ImageBitmap>)(source, ...rest);
    }) as typeof window.createImageBitmap;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const m = message as { type?: string; file?: unknown };
      if ((m.type === 'decode' || m.type === 'measure') && m.file instanceof Blob) sizes.push(m.file.size);
      return (post as (...args: unknown[]) => void).call(this, message, ...rest);
    };
  });
}

test('every bad file gets an alert naming it and the reason; the bomb is refused before decoding; a good photo still works', async ({
  page,
}) => {
  await spyOnDecodes(page);
  await page.goto(APP);
  await addPhotos(page, badPhotos());
  for (const [name, reason] of Object.entries(REASONS)) {
    const alert = page.getByRole('alert').filter({ hasText: name });
    await expect(alert, name).toBeVisible();
    await expect(alert, name).toContainText(reason);
  }
  // Animated GIFs are a supported input: the first frame is analysed, with a note saying so.
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const all = await waitForAllSettled(page, badPhotos().length + 1);
  expect(all.find((p) => p.fileName === 'animated.gif')).toMatchObject({
    status: 'done',
    notice: expect.stringMatching(/first frame/),
  });
  expect(all.find((p) => p.fileName === 'rocket.jpg')).toMatchObject({ status: 'done' });
  const bombSize = readFileSync(join(BAD, 'bomb-16384x16384.png')).length;
  const decoded = await page.evaluate(() => (window as Window & { decodedBlobSizes?: number[] }).decodedBlobSizes!);
  expect(decoded.length).toBeGreaterThan(0);
  expect(decoded).not.toContain(bombSize);
  // The dropped SVG is never put into the page as live SVG (the app's own logo is an SVG file).
  expect(
    await page
      .locator('svg image, object, embed, img[src$=".svg"]:not([src="/favicon.svg"]), img[src^="data:image/svg"]')
      .count(),
  ).toBe(0);
  const svgItem = page.getByRole('option', { name: /^script\.svg,/ });
  await expect(svgItem).toHaveCount(1);
  await expect(svgItem.locator('img')).toHaveCount(0);
});

/** Builds a DataTransfer holding the given files inside the page. */
async function dataTransferWith(page: Page, paths: string[]) {
  const files = paths.map((p) => ({ name: basename(p), bytes: [...readFileSync(p)] }));
  return page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const type = f.name.endsWith('.png') ? 'image/png' : 'image/jpeg';
      dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type }));
    }
    return dt;
  }, files);
}

test('photos arrive by drag and drop, paste and folder', async ({ page }) => {
  await page.goto(APP);
  const dropped = await dataTransferWith(page, [join(GOOD, 'chelsea.png'), join(GOOD, 'rocket.jpg')]);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dropped });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dropped });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dropped });
  await expect
    .poll(async () => (await results(page)).map((p) => p.fileName).sort())
    .toEqual(['chelsea.png', 'rocket.jpg']);

  const pasted = await dataTransferWith(page, [join(GOOD, 'coffee.png')]);
  await page.evaluate((dt) => {
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, pasted);
  await expect.poll(async () => (await results(page)).length).toBe(3);

  const folder = join(tmpdir(), 'aeslens-e2e-folder');
  mkdirSync(join(folder, 'trip'), { recursive: true });
  copyFileSync(join(GOOD, 'Aqua.jpg'), join(folder, 'Aqua.jpg'));
  copyFileSync(join(GOOD, 'astronaut.png'), join(folder, 'trip', 'astronaut.png'));
  writeFileSync(join(folder, 'notes.txt'), 'not a photo');
  await page.getByLabel('Add a folder of photos').setInputFiles(folder);

  const all = await waitForAllSettled(page, 5);
  expect(all.map((p) => basename(p.fileName)).sort()).toEqual(
    ['Aqua.jpg', 'astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'].sort(),
  );
  for (const p of all) expect(p.status, p.fileName).toBe('done');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('files picked in a dialog that outlived its picker still arrive (the empty studio became the gallery meanwhile)', async ({
  page,
}) => {
  await page.goto(APP);
  const picker = (await page.getByLabel('Add photos', { exact: true }).elementHandle())!;
  await picker.setInputFiles(join(GOOD, 'chelsea.png'));
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await expect(items).toHaveCount(1);
  // The empty studio's picker left the page with the first photo; the dialog opened from it answers now.
  expect(await picker.evaluate((el) => el.isConnected)).toBe(false);
  await picker.setInputFiles(join(GOOD, 'rocket.jpg'));
  await expect(items).toHaveCount(2);
  expect((await waitForAllSettled(page, 2)).map((p) => [p.fileName, p.status])).toEqual([
    ['chelsea.png', 'done'],
    ['rocket.jpg', 'done'],
  ]);
});

test('a large photo (5640×3172) is downscaled for display and analysed', async ({ page }) => {
  await page.goto(APP);
  await addPhotos(page, [join(PHOTOS, 'large', 'Elephants_5640x3172.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', width: 5640, height: 3172, hasDisplayBitmap: true });
  // The display copy is downscaled to 2048 px on its longest side (the aspect ratio kept).
  expect(photo!.display).toEqual({ width: 2048, height: 1152 });
  await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of Elephants_5640x3172\.jpg/ })).toBeVisible();
});

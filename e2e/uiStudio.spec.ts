// The studio's views against the production build with the fixture packs (real models through the
// real runtimes): gallery and keyboard navigation, critique streaming with Stop and Regenerate,
// the score, the backend badge, the photo view's controls, exports, and screenshots.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { AesLensTestHooks, PhotoResultForTests } from '../app/testing/testHooks.ts';

const GOOD = join(import.meta.dirname, '../../shared/photos/good');
const PHOTOS = [join(GOOD, 'Dune.jpg'), join(GOOD, 'LadyBird.jpg')];
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

async function results(page: Page): Promise<PhotoResultForTests[]> {
  return page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.results());
}

/** Picks a view mode by its visible label, as a pointer user does. */
async function chooseMode(page: Page, name: 'Overlay' | 'Side by side' | 'Swipe'): Promise<void> {
  await page.locator('.segmented label', { hasText: name }).click();
  await expect(page.getByRole('radio', { name })).toBeChecked();
}

/** PNG width and height from the IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test.describe('studio', () => {
  test.describe.configure({ mode: 'serial' });
  // Real (tiny) models on SwiftShader on a shared 2-core machine: generous.
  test.describe.configure({ timeout: 480_000 });
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Long first critiques, so there is time to watch them stream and stop them.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('ui-spec-settings')) {
        sessionStorage.setItem('ui-spec-settings', '1');
        localStorage.setItem(
          'aeslens-settings',
          JSON.stringify({ state: { maxNewTokens: 400, critiqueEvery: true }, version: 1 }),
        );
      }
    });
    // Each gallery item's status as it changes, with the page's clock: what the photo waited and worked.
    await page.addInitScript(() => {
      const seen: { index: number; status: string; at: number }[] = [];
      (window as Window & { statusSeen?: typeof seen }).statusSeen = seen;
      new MutationObserver(() => {
        document.querySelectorAll('[data-testid="photo-status"]').forEach((el, index) => {
          const status = el.textContent ?? '';
          const last = seen.filter((s) => s.index === index).pop();
          if (last?.status !== status) seen.push({ index, status, at: performance.now() });
        });
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto('/?packs=fixture&testhooks');
    await page.getByLabel('Add photos', { exact: true }).setInputFiles(PHOTOS);
  });

  test.afterAll(async () => {
    await page.close();
  });

  test('gallery shows each photo with its status; the critique streams, stops and regenerates', async () => {
    const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
    await expect(items).toHaveCount(2);
    await expect(items.first()).toHaveAccessibleName(/^Dune\.jpg, (queued|analysing|writing critique|done)/);
    await expect(page.getByTestId('photo-status').first()).toHaveText(/queued|analysing|writing critique|done/);
    // A photo waiting its turn says how many are ahead of it.
    await expect(page.getByTestId('photo-status').nth(1)).toHaveText(
      /queued, (next|1 ahead)|analysing|writing critique|done/,
    );

    const critique = page.getByRole('region', { name: 'Critique' });
    const text = critique.getByTestId('critique-text');
    const stop = critique.getByRole('button', { name: 'Stop' });
    const critiqueOf = async (i: number): Promise<string> => (await results(page))[i]!.critique;
    // Streaming: Stop is offered and the text on screen grows while the model writes.
    await expect(stop).toBeVisible({ timeout: 150_000 });
    // Stop is offered while the critique waits its turn: the other photo's, whose facts may be measured
    // first, can be written before it (400 tokens on a loaded machine take minutes).
    await expect.poll(async () => (await critiqueOf(0)).length, { timeout: 300_000 }).toBeGreaterThan(0);
    const early = await critiqueOf(0);
    await expect(text).toContainText(early.slice(0, 20));
    await expect.poll(async () => (await critiqueOf(0)).length, { timeout: 150_000 }).toBeGreaterThan(early.length);
    // The decoding speed is shown while it streams.
    await expect(critique.getByTestId('critique-speed')).toHaveText(/^\d+\.\d tokens\/s$/);

    await stop.click();
    await expect(critique.getByTestId('critique-state')).toHaveText('stopped');
    await expect(stop).toHaveCount(0);
    const stopped = (await text.textContent())!;
    await page.waitForTimeout(2000);
    expect(await text.textContent()).toBe(stopped);
    expect((await results(page))[0]!.critiqueStatus).toBe('stopped');

    // Shorter critiques from here on: the setting applies to the next critique.
    await critique.getByText('Critic settings').click();
    await critique.getByLabel('Length').fill('24');
    await critique.getByRole('button', { name: 'Regenerate' }).click();
    await expect(critique.getByTestId('critique-state')).toHaveText(/waiting for the critic|writing/);

    // The second photo's long critique started meanwhile: stop it and write it again, short.
    await items.nth(1).click();
    await expect(critique.getByRole('button', { name: /^(Stop|Regenerate)$/ })).toBeVisible();
    if (await stop.isVisible()) await stop.click();
    await critique.getByRole('button', { name: 'Regenerate' }).click();
    await items.first().click();

    await expect
      .poll(async () => (await results(page)).map((r) => `${r.status}/${r.critiqueStatus}`).join(' '), {
        timeout: 300_000,
        intervals: [1000, 2000],
      })
      .toBe('done/done done/done');
    await expect(critique.getByTestId('critique-state')).toHaveText('done');
    const [dune] = await results(page);
    expect(dune!.critique.length).toBeGreaterThan(0);
    await expect(text).toHaveText(dune!.critique);
  });

  test('the score is shown as "Aesthetic score" with its scale, and in the gallery', async () => {
    const [dune] = await results(page);
    const score = page.getByTestId('score');
    await expect(score.getByText('Aesthetic score', { exact: true })).toBeVisible();
    await expect(score).toContainText(dune!.score!.toFixed(2));
    await expect(score).toContainText('LAION aesthetic score (demo model)');
    await expect(page.getByRole('listbox', { name: 'Photos' }).getByRole('option').first()).toContainText(
      dune!.score!.toFixed(2),
    );
  });

  test('header: the app icon, active packs by name, demo marker and a backend badge that matches the workers', async () => {
    const packs = page.getByTestId('active-packs');
    await expect(packs).toContainText(
      'Demo: tiny CLIP-shaped tower + LAION head + Demo critic (untrained SmolVLM fixture)',
    );
    await expect(packs).not.toContainText('fixture-clip');
    await expect(packs).toContainText('Demo models');
    // Ids stay in the tooltip, beside the names.
    await expect(packs).toHaveAttribute('title', /fixture-clip.*fixture-smolvlm/);
    // The logo is the app icon's artwork: the same file the favicon and the manifest's icons come from.
    const logo = page.locator('.header__brand img');
    await expect(logo).toHaveAttribute('src', (await page.locator('link[rel="icon"]').getAttribute('href'))!);
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const backends = await page.evaluate(() =>
      (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.backends(),
    );
    const badge = page.getByTestId('backend-badge');
    const wasm = [backends.iasm, backends.critic].find((b) => b?.backend === 'wasm');
    if (wasm) await expect(badge).toHaveText(`WASM — ${wasm.reason}`);
    else await expect(badge).toHaveText('WebGPU');
  });

  test('keyboard: arrows move the selection, Enter opens the photo, Delete removes with Undo', async () => {
    const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
    await items.first().click();
    await expect(items.first()).toHaveAttribute('aria-selected', 'true');
    await expect(items.first()).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(items.nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(items.nth(1)).toBeFocused();
    await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of LadyBird\.jpg/ })).toBeVisible();
    await page.keyboard.press('End');
    await expect(items.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(items.first()).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of Dune\.jpg/ })).toBeVisible();

    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Delete');
    await expect(items).toHaveCount(1);
    await expect(items.first()).toBeFocused();
    const toast = page.getByRole('status').filter({ hasText: 'Removed LadyBird.jpg' });
    await expect(toast).toBeVisible();
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(items).toHaveCount(2);
    await expect(items.nth(1)).toHaveAccessibleName(/^LadyBird\.jpg, done/);

    await items.first().click();
    await page.keyboard.press('Enter');
    await expect(page.locator('.studio__main')).toBeFocused();
  });

  test('photo view: opacity, colormap, modes, swipe divider, outlines and hover readout', async () => {
    const canvas = page.getByRole('img', { name: /Aesthetic saliency heatmap of Dune\.jpg/ });
    await expect(canvas).toHaveAccessibleName(/Turbo colormap at 60% opacity, overlay view/);
    const opacity = page.getByRole('slider', { name: 'Opacity' });

    await opacity.fill('0');
    await expect(canvas).toHaveAccessibleName(/at 0% opacity/);
    const atZero = await canvas.screenshot();
    await opacity.fill('100');
    await expect(canvas).toHaveAccessibleName(/at 100% opacity/);
    const atFull = await canvas.screenshot();
    expect(atFull.equals(atZero)).toBe(false);

    await page.getByLabel('Colormap', { exact: true }).selectOption('grey');
    await expect(canvas).toHaveAccessibleName(/Grey colormap/);
    const grey = await canvas.screenshot();
    expect(grey.equals(atFull)).toBe(false);
    await page.getByLabel('Colormap', { exact: true }).selectOption('inferno');
    await expect(canvas).toHaveAccessibleName(/Inferno colormap/);
    await page.getByLabel('Colormap', { exact: true }).selectOption('turbo');
    await opacity.fill('60');

    // Side by side doubles the width for the same height.
    const ratio = async (): Promise<number> => {
      const b = (await canvas.boundingBox())!;
      return b.width / b.height;
    };
    const overlayRatio = await ratio();
    await chooseMode(page, 'Side by side');
    await expect(canvas).toHaveAccessibleName(/side-by-side view/);
    await expect.poll(async () => Math.abs((await ratio()) - 2 * overlayRatio)).toBeLessThan(0.03);

    // Swipe: a slider operable by keyboard and by dragging.
    await chooseMode(page, 'Swipe');
    const divider = page.getByRole('slider', { name: /Swipe divider/ });
    await expect(divider).toHaveAttribute('aria-valuenow', '50');
    await divider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(divider).toHaveAttribute('aria-valuenow', '46');
    await page.keyboard.press('End');
    await expect(divider).toHaveAttribute('aria-valuenow', '100');
    const box = (await canvas.boundingBox())!;
    const handle = (await divider.boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(23);
    expect(Number(await divider.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(27);
    await chooseMode(page, 'Overlay');

    // Outlines of the top regions, listed in the canvas's accessible name too.
    await page.getByLabel('Outline top regions').check();
    const outlines = page.getByTestId('region-outlines');
    await expect(outlines).toBeVisible();
    expect(await outlines.locator('path').count()).toBeGreaterThan(0);
    await expect(canvas).toHaveAccessibleName(/top regions: 1 at \d+% across/);
    await page.getByLabel('Outline top regions').uncheck();
    await expect(outlines).toHaveCount(0);

    // Hover readout: the saliency under the pointer, in photo pixels. The stage refits the photo a
    // frame after the panels around it change, so the canvas is measured once its size has settled.
    let c = (await canvas.boundingBox())!;
    await expect
      .poll(async () => {
        const before = c;
        await page.waitForTimeout(250);
        c = (await canvas.boundingBox())!;
        return c.width === before.width && c.height === before.height && c.x === before.x && c.y === before.y;
      })
      .toBe(true);
    await page.mouse.move(c.x + c.width * 0.5, c.y + c.height * 0.5);
    await expect(page.getByTestId('saliency-readout')).toHaveText(/^Saliency (0|1)\.\d\d at 8\d\d, 5\d\d$/);
    await page.mouse.move(c.x + 2, c.y + 2);
    await expect(page.getByTestId('saliency-readout')).toHaveText(/^Saliency (0|1)\.\d\d at \d, \d$/);
  });

  test('timings: the second photo reports its own decode and analysis time, not its wait in the queue', async () => {
    await expect.poll(async () => (await results(page))[1]!.timings.analyseMs, { timeout: 300_000 }).toBeGreaterThan(0);
    const [, ladyBird] = await results(page);
    expect(ladyBird!.fileName).toBe('LadyBird.jpg');
    const { decodeMs, analyseMs } = ladyBird!.timings;
    expect(decodeMs).toBeGreaterThan(0);
    expect(analyseMs).toBeGreaterThan(0);
    const seen = await page.evaluate(
      () => (window as Window & { statusSeen?: { index: number; status: string; at: number }[] }).statusSeen ?? [],
    );
    const mine = seen.filter((s) => s.index === 1);
    const queuedAt = mine.find((s) => s.status.startsWith('queued'))!.at;
    const startAt = mine.find((s) => s.status === 'analysing')!.at;
    const endAt = mine.find((s) => s.status !== 'analysing' && !s.status.startsWith('queued') && s.at > startAt)!.at;
    // It waited behind the first photo, and that wait is in neither number: both fit in its own turn.
    expect(startAt - queuedAt).toBeGreaterThan(0);
    expect(decodeMs! + analyseMs!).toBeLessThanOrEqual(endAt - startAt + 500);
  });

  test('exports: overlay PNG at full resolution, JSON and Markdown reports', async () => {
    const meta = await sharp(PHOTOS[0]!).metadata();
    await page.getByLabel('Outline top regions').check();

    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('Dune-heatmap-overlay-turbo.png');
    // Full resolution, with the legend strip below the photo.
    const size = pngSize(readFileSync((await png.path())!));
    expect(size.width).toBe(meta.width);
    expect(size.height).toBeGreaterThanOrEqual(meta.height! + 32);

    await chooseMode(page, 'Side by side');
    const [wide] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    const wideSize = pngSize(readFileSync((await wide.path())!));
    expect(wideSize.width).toBe(meta.width! * 2);
    expect(wideSize.height).toBeGreaterThanOrEqual(meta.height! + 32);
    await chooseMode(page, 'Overlay');

    const [dune] = await results(page);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report (JSON)' }).click(),
    ]);
    expect(json.suggestedFilename()).toBe('Dune-report.json');
    const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(report).toMatchObject({
      format: 'aeslens-report',
      file: { name: 'Dune.jpg', width: meta.width, height: meta.height },
      score: { value: dune!.score, label: 'LAION aesthetic score (demo model)' },
      critique: { text: dune!.critique, stopped: false },
      packs: { iasm: { id: 'fixture-clip', fixture: true }, critic: { id: 'fixture-smolvlm', fixture: true } },
      demo: true,
      settings: { colormap: 'turbo', opacity: 0.6, viewMode: 'overlay', outlines: true },
    });
    expect(report.backends.iasm.backend).toMatch(/^(webgpu|wasm)$/);
    expect(report.regions.length).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    // The legend travels with the reports, in the on-screen legend's words.
    const legend = page.getByTestId('heatmap-legend').locator('.legend__label');
    const [low, high] = await legend.allTextContents();
    expect(report.heatmap).toMatchObject({ mode: 'overlay', colormap: 'turbo', low, high });
    expect(report.heatmap.meaning).toContain('60% opacity');
    expect(report.heatmap.scale).toContain("photo's own peak");

    const [md] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report (Markdown)' }).click(),
    ]);
    expect(md.suggestedFilename()).toBe('Dune-report.md');
    const markdown = readFileSync((await md.path())!, 'utf8');
    expect(markdown).toContain('# AesLens report: Dune.jpg');
    expect(markdown).toContain(`Aesthetic score: ${dune!.score!.toFixed(2)} (LAION aesthetic score (demo model))`);
    expect(markdown).toContain('Demo models — untrained');
    expect(markdown).toContain('- Critic: Demo critic (untrained SmolVLM fixture) (fixture-smolvlm)');
    expect(markdown).toContain(`## Heatmap key\n\n- Low: ${low}; high: ${high}\n- Turbo colours`);
  });

  test('screenshots of the gallery and photo view at desktop and phone widths', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByLabel('Outline top regions').check();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'studio-1440x900.png') });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'studio-820x1180.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap/ })).toBeInViewport();
    await page.screenshot({ path: join(SCREENSHOTS, 'studio-390x844.png') });
    await page.screenshot({ path: join(SCREENSHOTS, 'studio-390x844-full.png'), fullPage: true });
    // The gallery is a horizontal strip on a phone.
    const strip = (await page.getByRole('listbox', { name: 'Photos' }).boundingBox())!;
    expect(strip.height).toBeLessThan(220);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('Models view: packs, the active ones, and fixtures labelled as demo models', async () => {
    await page.getByRole('link', { name: 'Models' }).click();
    await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
    const pack = (id: string) => page.locator(`[data-pack-id="${id}"]`);
    for (const id of ['fixture-clip', 'fixture-cnn', 'fixture-smolvlm']) {
      await expect(pack(id)).toContainText('Demo / test model — untrained');
    }
    for (const id of ['laion-clip-b16', 'smolvlm-256m']) {
      await expect(pack(id)).toBeVisible();
      await expect(pack(id)).not.toContainText('Demo / test model');
    }
    await expect(pack('fixture-clip')).toContainText('Active');
    await expect(pack('fixture-smolvlm')).toContainText('Active');
    await expect(pack('laion-clip-b16')).not.toContainText('Active');
    await expect(page.getByLabel('Load a model folder from disk')).toBeAttached();
    await page.screenshot({ path: join(SCREENSHOTS, 'models-1440x900.png') });
    await page.getByRole('link', { name: 'Studio' }).click();
    await expect(page.getByRole('listbox', { name: 'Photos' })).toBeVisible();
  });
});

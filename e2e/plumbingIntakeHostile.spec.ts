// A folder of hostile and unusual files (app/lib/intake/testing/hostileFiles.node.ts): every
// refusal names the file and says why in one summary, every accepted photo is shown at the size
// the browser decodes (never squashed), strips stay visible, and a good photo added after them is
// still analysed. Then the studio with many refusals: its layout holds, and remove / undo work by
// pointer as a stack.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mixedFolder, type FolderEntry } from '../app/lib/intake/testing/hostileFiles.node.ts';
import { addPhotos, expandStacks, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

const APP = '/?packs=fixture&backend=wasm&testhooks';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

function writeFolder(name: string, entries: FolderEntry[]): string {
  const folder = join(tmpdir(), `aeslens-e2e-${name}-${process.pid}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const e of entries) writeFileSync(join(folder, e.name), e.bytes);
  return folder;
}

const escaped = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A photo's gallery item; photos from a folder are named with the folder's path. */
const galleryItem = (page: Page, name: string): Locator =>
  page.getByRole('option', { name: new RegExp(`^(.*/)?${escaped(name)},`) });

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

test('a mixed folder: every refusal and its reason, every decoded size, and a good photo after it', async ({
  page,
}) => {
  const entries = await mixedFolder();
  const folder = writeFolder('hostile', entries);
  await page.goto(APP);
  await page.getByLabel('Add a folder of photos').setInputFiles(folder);
  const all = await waitForAllSettled(page, entries.length);
  const refused = entries.filter((e) => e.refused);
  const summary = page.getByRole('alert').filter({ hasText: `${refused.length} files could not be used` });
  await expect(summary).toBeVisible();
  for (const e of entries) {
    const photo = all.find((p) => basename(p.fileName) === e.name);
    expect(photo, e.name).toBeDefined();
    if (e.refused) {
      expect(photo, e.name).toMatchObject({ status: 'failed', error: expect.stringMatching(e.refused) });
      const row = summary.getByRole('listitem').filter({ hasText: e.name });
      await expect(row, e.name).toContainText(e.refused);
    } else {
      expect(photo?.error, e.name).toBeUndefined();
      expect(photo, e.name).toMatchObject({ status: 'done', ...e.decoded });
      if (e.notice) expect(photo?.notice, e.name).toMatch(e.notice);
      else expect(photo?.notice, e.name).toBeUndefined();
    }
  }

  // The generated photos share one synthetic pattern, so some are stacked as near-duplicates: open every stack.
  await expandStacks(page);
  // Each accepted photo, opened: its display copy has the decoded aspect ratio and its stage is visible.
  for (const e of entries.filter((x) => x.decoded)) {
    await galleryItem(page, e.name).click();
    await expect
      .poll(async () => (await results(page)).find((p) => basename(p.fileName) === e.name)?.display, {
        message: e.name,
      })
      .toBeDefined();
    const { display } = (await results(page)).find((p) => basename(p.fileName) === e.name)!;
    const { width, height } = e.decoded!;
    // The display copy is the decoded photo scaled to 2048 px on its longest side (a side never under 1 px).
    const scale = Math.min(1, 2048 / Math.max(width, height));
    expect(display, e.name).toEqual({
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
    });
    const stage = await box(page.locator('.heatmap__stage'));
    expect(Math.min(stage.width, stage.height), e.name).toBeGreaterThanOrEqual(24);
    if (e.notice) await expect(page.getByTestId('photo-notice'), e.name).toContainText(e.notice);
    const note = page.getByTestId('strip-note');
    if (Math.max(width, height) / Math.min(width, height) >= 8) await expect(note, e.name).toContainText(/coarse/);
    else await expect(note, e.name).toHaveCount(0);
  }

  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const after = await waitForAllSettled(page, entries.length + 1);
  expect(after.find((p) => p.fileName === 'rocket.jpg')).toMatchObject({ status: 'done' });
  await summary.getByRole('button', { name: 'Dismiss all' }).click();
  await expect(summary).toHaveCount(0);
  expect((await results(page)).filter((p) => p.status === 'failed')).toEqual([]);
  rmSync(folder, { recursive: true, force: true });
});

test('19 refusals leave the studio its size; remove and undo by pointer are a stack that dismissing leaves alone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const bad = Array.from({ length: 19 }, (_, i) => ({ name: `not-a-photo-${i + 1}.jpg`, bytes: new Uint8Array(40) }));
  const folder = writeFolder('many-refusals', bad);
  await page.goto(APP);
  await addPhotos(
    page,
    ['rocket.jpg', 'coffee.png', 'chelsea.png'].map((n) => join(GOOD, n)),
  );
  await waitForAllSettled(page, 3);
  const stage = page.locator('.heatmap__stage');
  const stageAlone = (await box(stage)).height;
  await page.getByLabel('Add a folder of photos').setInputFiles(folder);
  await waitForAllSettled(page, 22);

  // The summary is one bounded block: the photo loses its height and no more.
  const summary = page.getByRole('alert');
  await expect(summary).toHaveCount(1);
  await expect(summary).toContainText('19 files could not be used');
  const summaryHeight = (await box(summary)).height;
  expect(summaryHeight).toBeLessThan(200);
  expect((await box(stage)).height).toBeGreaterThanOrEqual(stageAlone - summaryHeight - 16);
  expect((await box(stage)).height).toBeGreaterThan(300);
  // The first refusals are reachable: the list scrolls inside the summary.
  const first = summary.getByRole('listitem').filter({ hasText: '/not-a-photo-1.jpg:' });
  await first.scrollIntoViewIfNeeded();
  await expect(first).toBeInViewport();

  // Remove coffee.png with its gallery button, dismiss one refusal, remove chelsea.png from the photo view.
  await galleryItem(page, 'coffee.png').hover();
  await galleryItem(page, 'coffee.png').locator('[data-action="remove"]').click();
  await summary.getByRole('button', { name: /^Dismiss the message about .*\/not-a-photo-3\.jpg$/ }).click();
  await galleryItem(page, 'chelsea.png').click();
  await page
    .getByRole('region', { name: 'Photo: chelsea.png' })
    .getByRole('button', { name: 'Remove chelsea.png' })
    .click();
  const toast = page.getByRole('status').filter({ hasText: 'Removed chelsea.png (1 more to undo)' });
  await expect(toast).toBeVisible();
  // The toast never covers the photo's or the session's export buttons.
  const t = await box(toast);
  for (const name of ['Export', 'Export the session']) {
    const exp = await box(page.getByRole('group', { name, exact: true }));
    expect(
      t.y + t.height <= exp.y || exp.y + exp.height <= t.y || t.x + t.width <= exp.x || exp.x + exp.width <= t.x,
      name,
    ).toBe(true);
  }

  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(
    page.getByRole('region', { name: 'Photo: chelsea.png' }).getByRole('button', { name: 'Remove chelsea.png' }),
  ).toBeFocused();
  await page
    .getByRole('status')
    .filter({ hasText: 'Removed coffee.png' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(galleryItem(page, 'coffee.png')).toBeFocused();
  expect((await results(page)).map((p) => p.fileName).filter((n) => !n.includes('not-a-photo'))).toEqual([
    'rocket.jpg',
    'coffee.png',
    'chelsea.png',
  ]);
  await expect(page.getByRole('alert')).toContainText('18 files could not be used');
  rmSync(folder, { recursive: true, force: true });
});

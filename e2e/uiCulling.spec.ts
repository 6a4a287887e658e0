// Culling a shoot with Lightroom's keys: stars, flags and colour labels on the selected photo,
// shown on its thumbnail and in the photo view; the key sheet lists every key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, results, shootSizes, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

// Seven photos analysed and critiqued on WASM on a shared machine, with a reload between.
test.describe.configure({ timeout: 420_000 });

test('stars, flags and labels from the keyboard; the key sheet lists them', async ({ page }) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(
    page,
    ['Dune.jpg', 'LadyBird.jpg', 'Aqua.jpg'].map((f) => join(GOOD, f)),
  );
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await expect(items).toHaveCount(3);

  await items.first().click();
  await page.keyboard.press('3');
  await page.keyboard.press('p');
  await page.keyboard.press('6');
  await expect(items.first()).toHaveAccessibleName(/, 3 stars, pick, red label$/);
  // Camera data from the EXIF, as exiftool reads it (Dune.jpg: Canon EOS DIGITAL REBEL, 1/4000 s, ISO 100).
  await expect(page.getByTestId('camera-data')).toHaveText(/^Canon EOS DIGITAL REBEL · 1\/4000 s · ISO 100 · /);
  await expect(items.first().getByTestId('cull-stars')).toHaveText('★★★');
  const bar = page.getByTestId('cull-bar');
  await expect(bar.getByRole('button', { name: '3 stars' })).toHaveAttribute('aria-pressed', 'true');
  await expect(bar.getByRole('button', { name: 'Pick' })).toHaveAttribute('aria-pressed', 'true');
  await expect(bar.getByRole('button', { name: 'Red label' })).toHaveAttribute('aria-pressed', 'true');

  // Gallery arrows move the selection; the keys rate the photo now selected.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('x');
  await page.keyboard.press('1');
  await expect(items.nth(1)).toHaveAccessibleName(/, 1 star, rejected$/);
  await expect(items.nth(1).getByTestId('cull-flag')).toHaveAttribute('data-flag', 'reject');
  await page.keyboard.press('u');
  await page.keyboard.press('0');
  await expect(items.nth(1).getByTestId('cull-flag')).toHaveCount(0);
  await expect(items.nth(1).getByTestId('cull-stars')).toHaveCount(0);

  // The photo view's buttons do the same; 6 again removes the red label.
  await items.nth(2).click();
  await bar.getByRole('button', { name: '5 stars' }).click();
  await bar.getByRole('button', { name: 'Blue label' }).click();
  await expect(items.nth(2)).toHaveAccessibleName(/, 5 stars, blue label$/);
  await items.first().click();
  await page.keyboard.press('6');
  await expect(items.first()).toHaveAccessibleName(/, 3 stars, pick$/);

  // A key pressed in a list the user picks from is not a rating.
  await page.getByLabel('Colormap', { exact: true }).focus();
  await page.keyboard.press('5');
  await expect(items.first()).toHaveAccessibleName(/, 3 stars, pick$/);

  // Sort by stars, then show only picks; the selection follows what is shown.
  const filters = page.getByRole('group', { name: 'Sort and filter' });
  await filters.getByLabel('Sort').selectOption('rating');
  await expect(items).toHaveText([/^Aqua\.jpg/, /^Dune\.jpg/, /^LadyBird\.jpg/]);
  await filters.getByLabel('Sort').selectOption('score');
  const scores = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.gallery__score'), (el) => Number(el.textContent)),
  );
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  await filters.getByLabel('Show').selectOption('picks');
  await expect(items).toHaveCount(1);
  await expect(filters.getByTestId('filter-count')).toHaveText('1 of 3 shown');
  await filters.getByLabel('Show').selectOption('all');
  await filters.getByLabel('Stars').selectOption('5');
  await expect(items).toHaveText([/^Aqua\.jpg/]);
  await filters.getByLabel('Stars').selectOption('0');
  await filters.getByLabel('Sort').selectOption('added');
  await expect(items).toHaveCount(3);

  await items.first().click();
  await page.keyboard.press('Shift+?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  for (const key of ['0', '5', 'P', 'X', 'U', '6', '9', 'J', 'Delete', '?']) {
    await expect(sheet.locator('kbd', { hasText: new RegExp(`^${key.replace('?', '\\?')}$`) })).toHaveCount(1);
  }
  // Keys do not rate behind the open sheet.
  await page.keyboard.press('1');
  await shootSizes(page, 'culling-keys');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(items.first()).toHaveAccessibleName(/, 3 stars, pick$/);
  await shootSizes(page, 'culling-rated');

  // XMP sidecars, read back by exiftool.
  const [zip] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'XMP sidecars' }).click(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'aeslens-sidecars-'));
  const entries = unzipSync(readFileSync(await zip.path()));
  expect(Object.keys(entries).sort()).toEqual(['Aqua.xmp', 'Dune.xmp', 'LadyBird.xmp']);
  for (const [name, bytes] of Object.entries(entries)) writeFileSync(join(dir, name), bytes);
  const read = JSON.parse(
    execFileSync('exiftool', ['-j', '-XMP:Rating', '-XMP:Label', '-XMP:Good', dir], { encoding: 'utf8' }),
  ) as { SourceFile: string; Rating?: number; Label?: string; Good?: boolean }[];
  const byName = Object.fromEntries(
    read.map((r) => [basename(r.SourceFile), [r.Rating, r.Label ?? null, r.Good ?? null]]),
  );
  expect(byName).toEqual({
    'Dune.xmp': [3, null, true],
    'LadyBird.xmp': [0, null, null],
    'Aqua.xmp': [5, 'Blue', null],
  });

  // The CSV says what the gallery shows, in its order.
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'CSV' }).click(),
  ]);
  const lines = readFileSync(await csvDownload.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(lines[0]).toMatch(/^file,status,score,stars,flag,label,/);
  const shown = await items.evaluateAll((els) =>
    els.map((el) => ({
      name: el.querySelector('.gallery__name')?.textContent ?? '',
      score: el.querySelector('.gallery__score')?.textContent ?? '',
      stars: Number(el.querySelector('[data-testid="cull-stars"]')?.getAttribute('data-rating') ?? 0),
      flag: el.querySelector('[data-testid="cull-flag"]')?.getAttribute('data-flag') ?? '',
      label: el.querySelector('[data-testid="cull-label"]')?.getAttribute('data-label') ?? '',
    })),
  );
  // The first six fields (names without commas, numbers, culls) come before the critique, which may hold commas.
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows.map((r) => r[0])).toEqual(shown.map((s) => s.name));
  for (const [i, s] of shown.entries()) {
    expect(rows[i]!.slice(3, 6)).toEqual([String(s.stars), s.flag, s.label]);
    if (s.score) expect(rows[i]![2]).toBe(s.score);
  }
  expect(rows[0]![10]).toBe('Canon EOS DIGITAL REBEL · 1/4000 s · ISO 100');
  const { violations } = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('a reload mid-analysis brings back every photo, result and cull, and the analysis resumes; clear session undoes', async ({
  page,
}) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  const names = ['Dune.jpg', 'LadyBird.jpg', 'Aqua.jpg', 'Storm.jpg', 'coffee.png', 'rocket.jpg', 'chelsea.png'];
  await addPhotos(
    page,
    names.map((f) => join(GOOD, f)),
  );
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await items.first().click();
  await page.keyboard.press('4');
  await page.keyboard.press('p');
  await items.nth(1).click();
  await page.keyboard.press('x');
  await page.keyboard.press('8');
  // Reload once the first photo has its heatmap and others are still waiting or being analysed.
  await expect
    .poll(
      async () => {
        const r = await results(page);
        return r[0]?.saliency !== undefined && r.some((p) => p.status === 'queued');
      },
      { timeout: 120_000, intervals: [100] },
    )
    .toBe(true);
  const before = await results(page);
  await expect(page.getByTestId('session-storage')).toHaveText(/Kept on this device: \d/);
  await page.waitForTimeout(1000); // the save waits for changes to settle
  await page.reload();

  await expect(items).toHaveCount(names.length);
  await expect(items.first()).toHaveAccessibleName(/^Dune\.jpg, .*, 4 stars, pick$/);
  await expect(items.nth(1)).toHaveAccessibleName(/, rejected, green label$/);
  await expect(items.first().locator('img')).toHaveAttribute('src', /^blob:/);
  const restored = (await results(page))[0]!;
  expect(restored).toMatchObject({ fileName: 'Dune.jpg', score: before[0]!.score });
  expect(restored.saliency).toEqual(before[0]!.saliency);
  const after = await waitForAllSettled(page, names.length);
  expect(after.map((p) => p.fileName)).toEqual(names);
  // The facts measured with each heatmap follow it; a photo not there yet says what it is waiting on.
  await expect
    .poll(
      async () =>
        (await results(page))
          .filter((p) => !(p.status === 'done' && p.score !== undefined && p.measuredWithSaliency))
          .map(({ fileName, status, error, measuredWithSaliency, measurementError }) => ({
            fileName,
            status,
            error,
            measuredWithSaliency,
            measurementError,
          })),
      { timeout: 60_000 },
    )
    .toEqual([]);
  // The restored heatmap was kept, not computed again.
  expect(after[0]!.timings.analyseMs).toBe(before[0]!.timings.analyseMs);
  await shootSizes(page, 'session-restored');

  await page.getByRole('button', { name: 'Clear session' }).click();
  await expect(items).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(items).toHaveCount(names.length);
  await expect(items.first()).toHaveAccessibleName(/4 stars, pick$/);
  await page.getByRole('button', { name: 'Clear session' }).click();
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Why does a photo work?' })).toBeVisible();
  await expect(items).toHaveCount(0);
});

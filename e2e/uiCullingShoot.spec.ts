// Culling a whole shoot: 30 photos with near-duplicates (a smaller copy, a re-encode and a
// brightened copy of five photos, made here from the shared photos) that the gallery stacks, rated
// with Lightroom's keys, a reload in the middle of the analysis (everything comes back and the
// analysis resumes), two frames of a burst compared with locked zoom, sort and filter, then the
// exports checked against what the gallery shows: the XMP sidecars as exiftool reads them, the CSV,
// and the zip of the picks' reports.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Download, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectLockedZoom } from './support/loupe.ts';
import { addPhotos, GOOD, results, shootSizes, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

// Thirty photos analysed on WASM on a shared machine, with a reload between.
test.describe.configure({ timeout: 600_000 });

/** Photos with near-duplicates (three variants each) first, in this order. */
const BURSTS = ['Dune', 'LadyBird', 'Aqua', 'Storm', 'coffee'];
const SINGLES = [
  'Elephants',
  'FreshFlower',
  'GreenMeadow',
  'TwoWings',
  'YellowFlower',
  'astronaut',
  'chelsea',
  'hubble_deep_field',
  'motorcycle_left',
  'rocket',
];
/** Small copies decode fast; EXIF is kept (Dune.jpg's camera data must reach the reports). */
const LONG_SIDE = 512;

/** The 30 photos, written to a temp folder, in the order they are added. */
async function shoot30(): Promise<string[]> {
  const dir = join(tmpdir(), 'aeslens-e2e-shoot');
  mkdirSync(dir, { recursive: true });
  const source = (name: string): string => {
    const file = [`${name}.jpg`, `${name}.png`].map((f) => join(GOOD, f)).find((f) => existsSync(f));
    if (!file) throw new Error(`No shared photo ${name}`);
    return file;
  };
  const small = (name: string) =>
    sharp(source(name)).rotate().resize(LONG_SIDE, LONG_SIDE, { fit: 'inside' }).withMetadata();
  const out: string[] = [];
  const write = async (name: string, bytes: Promise<Buffer>): Promise<void> => {
    const path = join(dir, name);
    writeFileSync(path, await bytes);
    out.push(path);
  };
  for (const name of BURSTS) {
    await write(`${name}.jpg`, small(name).jpeg({ quality: 90 }).toBuffer());
    await write(`${name}-small.jpg`, small(name).resize(400, 400, { fit: 'inside' }).jpeg({ quality: 70 }).toBuffer());
    await write(`${name}-q40.jpg`, small(name).jpeg({ quality: 40 }).toBuffer());
    await write(`${name}-bright.jpg`, small(name).modulate({ brightness: 1.05 }).jpeg({ quality: 90 }).toBuffer());
  }
  for (const name of SINGLES) await write(`${name}.jpg`, small(name).jpeg({ quality: 90 }).toBuffer());
  return out;
}

interface GalleryRow {
  name: string;
  score: string;
  stars: number;
  flag: string;
  label: string;
}

/** Every photo the gallery shows, in its order (scrolled through: a long gallery renders only what is near view). */
async function galleryRows(page: Page): Promise<GalleryRow[]> {
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  const seen = new Map<string, GalleryRow>();
  for (let round = 0; round < 60; round++) {
    const rows = await items.evaluateAll((els) =>
      els.map((el) => ({
        name: el.querySelector('.gallery__name')?.textContent ?? '',
        score: el.querySelector('.gallery__score')?.textContent ?? '',
        stars: Number(el.querySelector('[data-testid="cull-stars"]')?.getAttribute('data-rating') ?? 0),
        flag: el.querySelector('[data-testid="cull-flag"]')?.getAttribute('data-flag') ?? '',
        label: el.querySelector('[data-testid="cull-label"]')?.getAttribute('data-label') ?? '',
      })),
    );
    const before = seen.size;
    for (const r of rows) if (!seen.has(r.name)) seen.set(r.name, r);
    if (round > 0 && seen.size === before) break;
    await items.last().scrollIntoViewIfNeeded();
  }
  await items.first().scrollIntoViewIfNeeded();
  return [...seen.values()];
}

/** Expands every stack (S on its lead tile), scrolling the gallery to reach them all. */
async function expandStacks(page: Page): Promise<void> {
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  const collapsed = page
    .locator('[data-stack="lead"]')
    .filter({ has: page.getByTestId('stack-count').filter({ hasText: /^❐/ }) });
  for (let round = 0; round < 40; round++) {
    if ((await collapsed.count()) > 0) {
      await collapsed.first().click();
      await page.keyboard.press('s');
      continue;
    }
    const last = await items.last().textContent();
    await items.last().scrollIntoViewIfNeeded();
    if (round > 0 && (await items.last().textContent()) === last && (await collapsed.count()) === 0) break;
  }
  await items.first().scrollIntoViewIfNeeded();
}

const tile = (page: Page, name: string) =>
  page
    .getByRole('listbox', { name: 'Photos' })
    .getByRole('option')
    .filter({ hasText: new RegExp(`^${name.replace('.', '\\.')}`) });

async function download(page: Page, button: string): Promise<Download> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return file;
}

/** The culls given with keys, by file name: [stars, flag, label]. */
const RATED: Record<string, [number, string, string]> = {
  'Dune.jpg': [5, 'pick', 'red'],
  'Dune-small.jpg': [3, 'pick', ''],
  'Dune-q40.jpg': [0, 'reject', ''],
  'LadyBird.jpg': [4, 'pick', 'blue'],
  'LadyBird-small.jpg': [2, '', 'green'],
};

test('a 30-photo shoot: rate with keys, reload mid-analysis, compare, sort, filter, and the exports match the gallery', async ({
  page,
}) => {
  const files = await shoot30();
  expect(files).toHaveLength(30);
  await shortCritiques(page, 2);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, files);
  const list = page.getByRole('listbox', { name: 'Photos' });
  const items = list.getByRole('option');
  const focused = list.locator('[role="option"]:focus');
  await expect.poll(async () => (await results(page)).length).toBe(30);

  // The first photo rated from the keyboard at once, before its burst is stacked.
  await items.first().click();
  await expect(focused).toHaveAccessibleName(/^Dune\.jpg, /);
  for (const key of ['5', 'p', '6']) await page.keyboard.press(key);
  await expect(focused).toHaveAccessibleName(/, 5 stars, pick, red label$/);

  // Reload while photos are still waiting: once a few have their heatmap.
  await expect
    .poll(
      async () => {
        const r = await results(page);
        return r.filter((p) => p.saliency).length >= 2 && r.some((p) => p.status === 'queued');
      },
      { timeout: 240_000, intervals: [200] },
    )
    .toBe(true);
  const before = await results(page);
  // The session is written within a second of a change even while the analysis keeps changing it.
  await page.waitForTimeout(2500);
  await page.reload();

  await expect.poll(async () => (await results(page)).length, { timeout: 240_000 }).toBe(30);
  const restored = await results(page);
  expect(restored.map((p) => p.fileName)).toEqual(files.map((f) => basename(f)));
  // Heatmaps computed before the reload are back as they were; the rest is still to do.
  const analysed = before.filter((p) => p.saliency && p.status !== 'analysing');
  for (const p of analysed) {
    expect(restored.find((q) => q.fileName === p.fileName)).toMatchObject({ score: p.score, saliency: p.saliency });
  }

  // The analysis resumes: every photo is scored (those still waiting at the reload too), the restored ones not computed again.
  const after = await waitForAllSettled(page, 30);
  expect(after.every((p) => p.status === 'done' && p.score !== undefined)).toBe(true);
  for (const p of analysed) {
    expect(after.find((q) => q.fileName === p.fileName)!.timings.analyseMs).toBe(p.timings.analyseMs);
  }

  // Each burst is one stack of four, its best marked with why; the one that formed around the photo
  // open (Dune.jpg, open again after the reload) opened, so that photo stayed in view.
  const leads = page.locator('[data-stack="lead"]');
  await expect(leads).toHaveCount(5);
  await expect(leads.getByTestId('stack-count')).toHaveText(Array<RegExp>(5).fill(/^[❐▾] 4$/));
  await expect(leads.getByTestId('stack-count').filter({ hasText: '▾' })).toHaveCount(1);
  await expect(tile(page, 'Dune.jpg')).toHaveAttribute('aria-selected', 'true');
  for (const lead of await leads.all()) await expect(lead).toHaveAccessibleName(/, best of a stack of 4: [a-z]/);
  await shootSizes(page, 'shoot-stacks');

  /** Opens or closes a burst's stack with S, from its lead tile. */
  const stackOpen = async (burst: string, open: boolean): Promise<void> => {
    const lead = leads.filter({ hasText: new RegExp(`^${burst}`) });
    await lead.click();
    const isOpen = (await lead.getByTestId('stack-count').textContent())!.startsWith('▾');
    if (isOpen !== open) await page.keyboard.press('s');
  };
  // Inside the bursts' stacks, the rest rated from the keyboard.
  for (const burst of ['Dune', 'LadyBird']) {
    await stackOpen(burst, true);
    await expect(tile(page, `${burst}.jpg`)).toHaveCount(1);
  }
  const keys: [string, string[]][] = [
    ['Dune-small.jpg', ['3', 'p']],
    ['Dune-q40.jpg', ['x']],
    ['LadyBird.jpg', ['4', 'p', '9']],
    ['LadyBird-small.jpg', ['2', '8']],
  ];
  for (const [name, presses] of keys) {
    await tile(page, name).click();
    await expect(focused).toHaveAccessibleName(new RegExp(`^${name.replace('.', '\\.')}, `));
    for (const key of presses) await page.keyboard.press(key);
  }
  // Two frames of the Dune burst side by side (chosen with Ctrl-click), zoom and pan locked across them.
  await tile(page, 'Dune.jpg').click({ modifiers: ['Control'] });
  await tile(page, 'Dune-bright.jpg').click({ modifiers: ['Control'] });
  await page.keyboard.press('c');
  const panes = page.getByTestId('compare-pane');
  await expect(panes.nth(0)).toHaveAccessibleName('Compare: Dune.jpg');
  await expect(panes.nth(1)).toHaveAccessibleName('Compare: Dune-bright.jpg');
  await expectLockedZoom(page);
  await page.keyboard.press('Escape');
  await expect(panes).toHaveCount(0);

  // Dune.jpg's cull, given before the reload, came back with it.
  await expect(tile(page, 'Dune.jpg')).toHaveAccessibleName(/, 5 stars, pick, red label$/);
  await expect(tile(page, 'Dune-q40.jpg')).toHaveAccessibleName(/, rejected$/);
  await expect(tile(page, 'LadyBird-small.jpg')).toHaveAccessibleName(/, 2 stars, green label$/);
  for (const burst of ['Dune', 'LadyBird']) await stackOpen(burst, false);

  // Sort and filter: each stack shows the photo the filter keeps.
  const filters = page.getByRole('group', { name: 'Sort and filter' });
  await filters.getByLabel('Sort').selectOption('rating');
  await filters.getByLabel('Stars').selectOption('4');
  await expect(filters.getByTestId('filter-count')).toHaveText('2 of 30 shown');
  await expect(items).toHaveText([/^Dune\.jpg/, /^LadyBird\.jpg/]);
  await filters.getByLabel('Stars').selectOption('0');
  await filters.getByLabel('Show').selectOption('picks');
  await expect(filters.getByTestId('filter-count')).toHaveText('3 of 30 shown');
  await shootSizes(page, 'shoot-picks');
  await filters.getByLabel('Show').selectOption('rejects');
  await expect(items).toHaveText([/^Dune-q40\.jpg/]);
  await filters.getByLabel('Show').selectOption('all');
  await filters.getByLabel('Sort').selectOption('score');
  await expandStacks(page);
  const shown = await galleryRows(page);
  expect(shown).toHaveLength(30);
  for (const row of shown) expect([row.stars, row.flag, row.label]).toEqual(RATED[row.name] ?? [0, '', '']);

  // XMP sidecars, read back by exiftool: the stars (a reject as -1), labels and picks given.
  const dir = mkdtempSync(join(tmpdir(), 'aeslens-shoot-sidecars-'));
  const sidecars = unzipSync(readFileSync(await (await download(page, 'XMP sidecars')).path()));
  expect(Object.keys(sidecars)).toHaveLength(30);
  for (const [name, bytes] of Object.entries(sidecars)) writeFileSync(join(dir, name), bytes);
  const read = JSON.parse(
    execFileSync('exiftool', ['-j', '-XMP:Rating', '-XMP:Label', '-XMP:Good', dir], { encoding: 'utf8' }),
  ) as { SourceFile: string; Rating?: number; Label?: string; Good?: boolean }[];
  const xmp = new Map(read.map((r) => [basename(r.SourceFile), r]));
  for (const row of shown) {
    const r = xmp.get(row.name.replace(/\.jpg$/, '.xmp'))!;
    expect(r.Rating).toBe(row.flag === 'reject' ? -1 : row.stars);
    expect(r.Label ?? '').toBe(row.label ? row.label[0]!.toUpperCase() + row.label.slice(1) : '');
    expect(r.Good ?? false).toBe(row.flag === 'pick');
  }

  // The CSV says what the gallery shows, in its order.
  const lines = readFileSync(await (await download(page, 'CSV')).path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(lines[0]).toMatch(/^file,status,score,stars,flag,label,/);
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows.map((r) => r[0]).sort()).toEqual(shown.map((s) => s.name).sort());
  const csvScores = rows.map((r) => Number(r[2]));
  expect(csvScores).toEqual([...csvScores].sort((a, b) => b - a));
  for (const r of rows) {
    const s = shown.find((row) => row.name === r[0])!;
    expect(r.slice(1, 6)).toEqual(['done', s.score, String(s.stars), s.flag, s.label]);
  }
  expect(rows.find((r) => r[0] === 'Dune.jpg')![10]).toBe('Canon EOS DIGITAL REBEL · 1/4000 s · ISO 100');

  // The picks' reports: each pick's JSON and Markdown report and its sidecar, as the UI shows them.
  const picksButton = page.getByRole('button', { name: 'Picks’ reports (3)' });
  await expect(picksButton).toBeEnabled();
  const zip = unzipSync(readFileSync(await (await download(page, 'Picks’ reports (3)')).path()));
  const picksInOrder = rows.filter((r) => r[4] === 'pick').map((r) => r[0]!.replace(/\.jpg$/, ''));
  expect(Object.keys(zip)).toEqual(picksInOrder.flatMap((b) => [`${b}-report.json`, `${b}-report.md`, `${b}.xmp`]));
  for (const base of picksInOrder) {
    const row = shown.find((r) => r.name === `${base}.jpg`)!;
    const json = JSON.parse(strFromU8(zip[`${base}-report.json`]!)) as {
      file: { name: string };
      score: { value: number };
      camera: { summary: string } | null;
    };
    expect(json.file.name).toBe(row.name);
    expect(json.score.value.toFixed(2)).toBe(row.score);
    const md = strFromU8(zip[`${base}-report.md`]!);
    expect(md).toContain(`# AesLens report: ${base}.jpg\n`);
    expect(md).toContain(`- Aesthetic score: ${row.score}`);
    expect(strFromU8(zip[`${base}.xmp`]!)).toContain(`xmp:Rating="${row.stars}"`);
  }
  // Camera data from the EXIF, as the photo view shows it.
  await tile(page, 'Dune.jpg').click();
  const cameraLine = (await page.getByTestId('camera-data').textContent()) ?? '';
  const dune = JSON.parse(strFromU8(zip['Dune-report.json']!)) as { camera: { summary: string } };
  expect(cameraLine.startsWith(dune.camera.summary)).toBe(true);
  expect(dune.camera.summary).toBe('Canon EOS DIGITAL REBEL · 1/4000 s · ISO 100');
  expect(strFromU8(zip['Dune-report.md']!)).toContain(`- Camera: ${dune.camera.summary}`);
});

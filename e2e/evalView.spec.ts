// The Evaluate view runs photos through the workers (fixture packs) and
// scores their critiques. The metrics it shows are checked against models/metrics run here in
// Node on the critiques the page exported — an independent recomputation of the page's numbers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { evaluateCaptions, METRIC_NAMES } from '../models/metrics/index.ts';
import type { EvaluationReport } from '../app/lib/evaluate/results.ts';
import { GOOD, shortCritiques } from './support/plumbing.ts';

const REFERENCES = {
  FreshFlower: [
    'A fresh flower in close-up with a soft background; the colours are bright but the flower sits in the middle of the frame.',
  ],
  'coffee.png': [
    'A cup of coffee shot from above with soft light; the composition is centred and the colours are warm.',
    'The coffee cup fills the frame, good focus on the foam.',
  ],
  'not-picked.jpg': ['A reference whose photo is not in the folder.'],
};

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

async function saveDownload(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return readFile(path, 'utf8');
}

test('Evaluate: photos + references → metrics equal to models/metrics on the exported critiques; exports', async ({
  page,
}) => {
  await page.goto('/?packs=fixture&backend=wasm#evaluate');
  await expect(page.getByRole('heading', { name: 'Evaluate' })).toBeVisible();
  const run = page.getByRole('button', { name: 'Run evaluation' });
  await expect(run).toBeDisabled();

  // A malformed references file is refused with a message naming it.
  await page.getByLabel('References JSON').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"FreshFlower": ["unterminated'),
  });
  await expect(page.getByRole('alert')).toContainText('broken.json: not valid JSON');

  // Two photos with references, one without: that one is named and left out.
  await page
    .getByLabel('Photos to evaluate', { exact: true })
    .setInputFiles([join(GOOD, 'FreshFlower.jpg'), join(GOOD, 'coffee.png'), join(GOOD, 'chelsea.png')]);
  await page.getByLabel('References JSON').setInputFiles({
    name: 'refs.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(REFERENCES)),
  });
  await expect(page.getByTestId('eval-matched')).toHaveText('2');
  // Both notes say what is left out of the scoring: the same kind of note, in the same style.
  await expect(page.getByRole('alert')).toHaveCount(0);
  const notes = page.getByTestId('eval-note');
  await expect(notes).toHaveText([
    '1 photo has no references in refs.json and will not be evaluated: chelsea.png',
    '1 reference set without a photo (not scored): not-picked.jpg',
  ]);
  const [first, second] = await notes.evaluateAll((els) =>
    els.map((e) => {
      const s = getComputedStyle(e);
      return [e.className, e.getAttribute('role'), s.color, s.backgroundColor].join(' ');
    }),
  );
  expect(first).toBe(second);

  // Keyboard: the run button is reachable and activates with Enter.
  await run.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('eval-progress')).toHaveText('Finished: 2 of 2 photos', { timeout: 400_000 });

  const report = JSON.parse(await saveDownload(page, 'Export JSON')) as EvaluationReport;
  expect(report.photos.map((p) => [p.fileName, p.state])).toEqual([
    ['FreshFlower.jpg', 'done'],
    ['coffee.png', 'done'],
  ]);
  expect(report.packs).toEqual({ iasm: 'fixture-clip', critic: 'fixture-smolvlm' });
  // The demo warning and the view's notes travel with the export.
  expect(report.demo).toBe(true);
  expect(report.warnings).toEqual([
    'Demo models — untrained, for trying the app; the heatmap and critique are not meaningful',
    '1 photo has no references in refs.json and will not be evaluated: chelsea.png',
    '1 reference set without a photo (not scored): not-picked.jpg',
  ]);
  expect(report.photos.map((p) => p.references)).toEqual([REFERENCES.FreshFlower, REFERENCES['coffee.png']]);
  for (const p of report.photos) {
    expect(p.critique.length).toBeGreaterThan(0);
    expect(Number.isFinite(p.score)).toBe(true);
  }

  // Independent recomputation in Node from the critiques the page produced.
  const expected = evaluateCaptions(
    { FreshFlower: REFERENCES.FreshFlower, 'coffee.png': REFERENCES['coffee.png'] },
    Object.fromEntries(report.photos.map((p) => [p.id, p.critique])),
  );
  const table = page.getByRole('table', { name: 'Metrics' });
  for (const name of METRIC_NAMES) {
    const value = expected.metrics[name];
    expect(Number.isFinite(value)).toBe(true);
    const cellEl = table.locator(`td[data-metric="${name}"]`);
    await expect(cellEl).toHaveText(value.toFixed(3));
    expect(Number(await cellEl.getAttribute('data-value'))).toBeCloseTo(value, 12);
    expect(report.metrics![name]).toBeCloseTo(value, 12);
    for (const p of report.photos) expect(p.metrics![name]).toBeCloseTo(expected.perImage[p.id]![name], 12);
  }
  await expect(table.locator('td[data-metric="SPICE"]')).toContainText('unavailable');
  await expect(table.locator('td[data-metric="SPICE-L"]')).toContainText('scene-graph parser');

  // Per-photo results show the critique the export holds.
  const cards = page.getByTestId('eval-photo');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(1)).toContainText(report.photos[1]!.critique.trim().slice(0, 12));
  // Each critique has its references beside it.
  await expect(cards.nth(1).getByRole('list', { name: 'References for coffee.png' }).getByRole('listitem')).toHaveText(
    REFERENCES['coffee.png'],
  );
  const [critiqueBox, refsBox] = await Promise.all([
    cards.nth(1).getByTestId('eval-critique').boundingBox(),
    cards.nth(1).getByRole('list', { name: 'References for coffee.png' }).boundingBox(),
  ]);
  expect(refsBox!.x).toBeGreaterThan(critiqueBox!.x + critiqueBox!.width - 1);
  await expect(page.getByRole('list', { name: 'Per-photo results' }).getByText('Aesthetic score')).toHaveCount(2);

  const markdown = await saveDownload(page, 'Export Markdown');
  expect(markdown).toContain(
    '| Method | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | METEOR | ROUGE-L | CIDEr | SPICE | SPICE-L |',
  );
  expect(markdown).toContain(`| ${expected.metrics['BLEU-1'].toFixed(3)} |`);
  expect(markdown).toMatch(/\| FreshFlower\.jpg \| -?\d+\.\d{3} \|/);
  expect(markdown).toContain(
    '**Demo models — untrained, for trying the app; the heatmap and critique are not meaningful.**',
  );
  expect(markdown).toContain('> Note: 1 photo has no references in refs.json and will not be evaluated: chelsea.png');
  expect(markdown).toContain(`References:\n\n- ${REFERENCES['coffee.png'][0]}\n- ${REFERENCES['coffee.png'][1]}`);

  // The photos went through the studio's queue and are there too.
  await page.getByRole('link', { name: 'Studio' }).click();
  await expect(page.getByRole('complementary', { name: 'Gallery' })).toContainText('2 photos');
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await expect(page.getByRole('table', { name: 'Metrics' })).toBeVisible();

  await page.screenshot({ path: test.info().outputPath('evaluate-1440x900.png'), fullPage: false });
  await cards.last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('evaluate-1440x900-photos.png'), fullPage: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath('evaluate-390x844.png'), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // On a phone the page itself scrolls: the full page shows the table and the per-photo cards.
  await page.screenshot({ path: test.info().outputPath('evaluate-390x844-full.png'), fullPage: true });
});

test('Evaluate: a references file dropped on the view is read there, not added to the studio', async ({ page }) => {
  await page.goto('/?packs=fixture&backend=wasm#evaluate');
  const area = page.getByRole('region', { name: 'Photos and references' });
  const dataTransfer = await page.evaluateHandle(
    (json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], 'dropped-refs.json', { type: 'application/json' }));
      return dt;
    },
    JSON.stringify({ 'coffee.png': ['A cup of coffee.'] }),
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await area.dispatchEvent(type, { dataTransfer });
  await expect(area).toContainText('dropped-refs.json: 1 image (generic)');
  await expect(page.getByTestId('drop-zone')).not.toHaveClass(/drop-zone--active/);
  await page.getByRole('link', { name: 'Studio' }).click();
  await expect(page.getByRole('heading', { name: 'Why does a photo work?' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

// At phone width (390×844) no view scrolls sideways: the studio empty and with photos (an
// ordinary one and two extreme strips, in every heatmap mode), the Models and Evaluate views;
// nor at tablet and narrow desktop widths.
// The strips, 40000×20 and 1×30000, also reach a written critique with the demo packs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { photoLike } from '../app/lib/intake/testing/hostileFiles.node.ts';
import {
  addPhotos,
  critiqueEveryPhoto,
  expandStacks,
  GOOD,
  shortCritiques,
  waitForAllSettled,
} from './support/plumbing.ts';

test.setTimeout(600_000);
test.use({ viewport: { width: 390, height: 844 } });

const MODES = ['Overlay', 'Spotlight', 'Side by side', 'Swipe'] as const;

async function expectNoSideScroll(page: Page, where: string): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth), { message: where })
    .toBeLessThanOrEqual(0);
}

test('no view scrolls sideways at phone, tablet and narrow desktop widths; extreme strips get a critique', async ({
  page,
}) => {
  const dir = join(tmpdir(), `aeslens-e2e-phone-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const strips = [
    ['strip-40000x20.png', 40000, 20],
    ['strip-1x30000.png', 1, 30000],
  ] as const;
  for (const [name, w, h] of strips) writeFileSync(join(dir, name), await photoLike(w, h).png().toBuffer());

  await shortCritiques(page);
  await critiqueEveryPhoto(page);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await expectNoSideScroll(page, 'empty studio');
  await addPhotos(page, [join(GOOD, 'chelsea.png'), ...strips.map(([name]) => join(dir, name))]);
  const all = await waitForAllSettled(page, 3);
  for (const p of all) {
    expect(p, p.fileName).toMatchObject({ status: 'done', critiqueStatus: 'done' });
    expect(p.critique.length, p.fileName).toBeGreaterThan(0);
    expect(p.error, p.fileName).toBeUndefined();
  }

  // The generated strips share one pattern and are stacked as near-duplicates: open the stacks first.
  await expandStacks(page);
  for (const name of ['chelsea.png', ...strips.map(([n]) => n)]) {
    await page.getByRole('option', { name: new RegExp(`^${name.replace('.', '\\.')},`) }).click();
    await expect(page.getByRole('img', { name: new RegExp(`heatmap of ${name.replace('.', '\\.')}`) })).toBeVisible();
    for (const mode of MODES) {
      await page.locator('.segmented label', { hasText: mode }).click();
      await expect(page.getByRole('radio', { name: mode })).toBeChecked();
      await expectNoSideScroll(page, `${name}, ${mode}`);
    }
    await page.locator('.segmented label', { hasText: 'Overlay' }).click();
  }

  for (const view of ['Models', 'Evaluate', 'Studio']) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();
    await expectNoSideScroll(page, view);
  }

  // Tablet and narrow desktop widths, where the header keeps the pack names on one line.
  for (const width of [820, 1024, 1180]) {
    await page.setViewportSize({ width, height: 900 });
    for (const view of ['Models', 'Evaluate', 'Studio']) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();
      await expectNoSideScroll(page, `${view} at ${width} px`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

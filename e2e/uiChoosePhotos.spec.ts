// Choosing gallery photos for compare and survey as in Lightroom, over a virtualised gallery with a
// folded stack: Shift-click and Shift+arrows extend a range from the anchor (the folded stack is one
// tile), the listbox is multi-select with the chosen photos as its selected options, a rating key
// rates every photo chosen, and a polite live region says what is chosen and which view is shown.
// On touch screens, Select turns taps into choices and the Compare / Survey buttons take the place
// of the C and N keys.
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test, type Page } from '@playwright/test';
import { distinctPhotos } from './support/distinctPhotos.ts';
import { addPhotos, GOOD, shootSizes, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.describe.configure({ timeout: 420_000 });

/** Dune.jpg and two near-duplicates of it (smaller, brighter): one stack. */
async function burst(): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  const dune = () => sharp(join(GOOD, 'Dune.jpg')).rotate().resize(512, 512, { fit: 'inside' });
  return [
    { name: 'Dune.jpg', mimeType: 'image/jpeg', buffer: await dune().jpeg({ quality: 90 }).toBuffer() },
    { name: 'Dune-small.jpg', mimeType: 'image/jpeg', buffer: await dune().resize(300).jpeg().toBuffer() },
    {
      name: 'Dune-bright.jpg',
      mimeType: 'image/jpeg',
      buffer: await dune().modulate({ brightness: 1.05 }).jpeg().toBuffer(),
    },
  ];
}

const announcement = (page: Page) => page.getByTestId('choice-announcement');

/** The positions (1-based, among the tiles shown) of the options rendered that are selected. */
async function selectedPositions(page: Page): Promise<number[]> {
  return page
    .getByRole('listbox', { name: 'Photos' })
    .locator('[role="option"][aria-selected="true"]')
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('aria-posinset'))));
}

test('Shift-click and Shift+arrows choose ranges over a virtualised gallery with a folded stack; the live region says so', async ({
  page,
}, testInfo) => {
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  const count = 160;
  await page
    .getByLabel('Add photos', { exact: true })
    .setInputFiles([...(await burst()), ...(await distinctPhotos(count, 7))]);
  const list = page.getByRole('listbox', { name: 'Photos' });
  const items = list.getByRole('option');
  await expect(list).toHaveAttribute('aria-multiselectable', 'true');
  // The burst folds into one tile once its photos are analysed.
  const lead = list.locator('[data-stack="lead"]');
  await expect(lead).toHaveCount(1, { timeout: 300_000 });
  await expect(lead.getByTestId('stack-count')).toHaveText('❐ 3');
  const shown = count + 1;
  await expect(items.first()).toHaveAttribute('aria-setsize', String(shown));
  await expect(announcement(page)).toHaveText('');

  // Click the stack's tile, Shift-click the fourth tile: four tiles chosen, the stack as one.
  await items.first().click();
  await expect.poll(() => selectedPositions(page)).toEqual([1]);
  await list.locator('[aria-posinset="4"]').click({ modifiers: ['Shift'] });
  await expect(announcement(page)).toHaveText('4 photos chosen — press C to compare, N to survey');
  await expect.poll(() => selectedPositions(page)).toEqual([1, 2, 3, 4]);
  await expect(page.getByTestId('choice-bar')).toContainText('4 chosen');
  const focused = list.locator('[role="option"]:focus');
  await expect(focused).toHaveAttribute('aria-posinset', '4');

  // Shift+End extends the range to the last tile, far outside the rows rendered.
  await page.keyboard.press('Shift+End');
  await expect(focused).toHaveAttribute('aria-posinset', String(shown));
  await expect(focused).toHaveAttribute('aria-selected', 'true');
  await expect(announcement(page)).toHaveText(`${shown} photos chosen — press C to compare, N to survey`);
  expect(await items.count()).toBeLessThan(150);
  // Back from the anchor (the first tile): Shift+Home leaves it alone, Shift+arrows grow it again.
  await page.keyboard.press('Shift+Home');
  await expect(announcement(page)).toHaveText('1 photo chosen — choose another to compare');
  await expect.poll(() => selectedPositions(page)).toEqual([1]);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(announcement(page)).toHaveText('3 photos chosen — press C to compare, N to survey');
  await expect.poll(() => selectedPositions(page)).toEqual([1, 2, 3]);
  // Shift+ArrowLeft takes back the last one.
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(announcement(page)).toHaveText('2 photos chosen — press C to compare, N to survey');

  // C compares the two chosen, in the gallery's order; the live region names them.
  const names = await items.evaluateAll((els) =>
    els.slice(0, 2).map((el) => el.querySelector('.gallery__name')!.textContent!),
  );
  await page.keyboard.press('c');
  const panes = page.getByTestId('compare-pane');
  await expect(panes).toHaveCount(2);
  await expect(panes.nth(0)).toHaveAccessibleName(`Compare: ${names[0]}`);
  await expect(panes.nth(1)).toHaveAccessibleName(`Compare: ${names[1]}`);
  await expect(announcement(page)).toHaveText(
    `Comparing ${names[0]} and ${names[1]}, zoom and pan locked — Esc returns to the single photo`,
  );
  await page.keyboard.press('Escape');
  await expect(panes).toHaveCount(0);
  await expect(announcement(page)).toHaveText('2 photos chosen — press C to compare, N to survey');

  // Ctrl-click adds one more (and makes it the current photo); a plain arrow key chooses none, and the
  // current photo is the one selected.
  await list.locator('[aria-posinset="5"]').click({ modifiers: ['Control'] });
  await expect.poll(() => selectedPositions(page)).toEqual([1, 2, 5]);
  // A rating key rates every photo chosen, as in Lightroom; the others keep theirs.
  await page.keyboard.press('3');
  for (const at of [1, 2, 5]) await expect(list.locator(`[aria-posinset="${at}"]`)).toHaveAccessibleName(/, 3 stars/);
  await expect(list.locator('[aria-posinset="3"]')).not.toHaveAccessibleName(/stars/);
  await page.keyboard.press('ArrowRight');
  await expect(focused).toHaveAttribute('aria-posinset', '6');
  await expect(announcement(page)).toHaveText('');
  await expect.poll(() => selectedPositions(page)).toEqual([6]);
  await expect(page.getByTestId('choice-bar')).toHaveCount(0);

  // The stack opened: its members are tiles of their own, and a range counts them.
  await items.first().click();
  await page.keyboard.press('s');
  await expect(items.first()).toHaveAttribute('aria-setsize', String(shown + 2));
  await list.locator('[aria-posinset="3"]').click({ modifiers: ['Shift'] });
  await expect(announcement(page)).toHaveText('3 photos chosen — press C to compare, N to survey');
  await expect(list.locator('[aria-selected="true"][data-stack]')).toHaveCount(3);
  await shootSizes(page, 'choose-range', { folder: join(testInfo.outputDir, 'screens') });
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });

  test('Select turns taps into choices; Compare and Survey buttons open the views', async ({ page }, testInfo) => {
    await shortCritiques(page);
    await page.goto('/?packs=fixture&backend=wasm&testhooks');
    await addPhotos(
      page,
      ['Aqua.jpg', 'LadyBird.jpg', 'Storm.jpg', 'FreshFlower.jpg'].map((f) => join(GOOD, f)),
    );
    await waitForAllSettled(page, 4);
    const list = page.getByRole('listbox', { name: 'Photos' });
    const tile = (name: string) => list.getByRole('option', { name: new RegExp(`^${name.replace('.', '\\.')},`) });

    // Without choose mode a tap opens the photo alone.
    await tile('Storm.jpg').tap();
    await expect(page.getByRole('region', { name: 'Photo: Storm.jpg' })).toBeVisible();
    const select = page.getByRole('button', { name: 'Select' });
    await select.tap();
    await expect(select).toHaveAttribute('aria-pressed', 'true');
    const bar = page.getByRole('group', { name: 'Chosen photos' });
    await expect(bar).toContainText('Tap photos to choose them');
    await expect(bar.getByRole('button', { name: 'Compare' })).toBeDisabled();

    await tile('LadyBird.jpg').tap();
    await tile('FreshFlower.jpg').tap();
    await tile('Aqua.jpg').tap();
    await tile('Aqua.jpg').tap(); // a second tap unchooses
    await expect(bar).toContainText('2 chosen');
    await expect(tile('LadyBird.jpg')).toHaveAttribute('aria-selected', 'true');
    await expect(tile('FreshFlower.jpg')).toHaveAttribute('aria-selected', 'true');
    await expect(tile('Aqua.jpg')).toHaveAttribute('aria-selected', 'false');
    await expect(tile('Storm.jpg')).toHaveAttribute('aria-selected', 'false');
    await expect(announcement(page)).toHaveText('2 photos chosen — press C to compare, N to survey');
    const screens = join(testInfo.outputDir, 'screens');
    await page.screenshot({ path: join(screens, 'choose-390x844.png') });

    await bar.getByRole('button', { name: 'Compare' }).tap();
    const view = page.getByTestId('compare-view');
    await expect(view).toHaveAttribute('data-layout', 'compare');
    await expect(view.getByTestId('compare-pane')).toHaveCount(2);
    // The view is above the gallery on a phone: the page scrolls to it.
    await expect(view.getByTestId('compare-pane').nth(0)).toBeInViewport();
    await expect(view.getByTestId('compare-pane').nth(0)).toHaveAccessibleName('Compare: LadyBird.jpg');
    await expect(select).toHaveAttribute('aria-pressed', 'false');
    await expect(announcement(page)).toHaveText(
      'Comparing LadyBird.jpg and FreshFlower.jpg, zoom and pan locked — Esc returns to the single photo',
    );
    await page.screenshot({ path: join(screens, 'compare-touch-390x844.png') });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screens, 'compare-touch-820x1180.png') });

    await view.getByRole('button', { name: 'Single photo' }).tap();
    await bar.getByRole('button', { name: 'Survey' }).tap();
    await expect(view).toHaveAttribute('data-layout', 'survey');
    await expect(announcement(page)).toHaveText('Surveying 2 photos — Esc returns to the single photo');
    await shootSizes(page, 'survey-touch', { folder: screens });
    await bar.getByRole('button', { name: 'Clear' }).tap();
    await expect(bar).toHaveCount(0);

    // The phone's session picker shows the session's whole name and count.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const session = page.getByRole('combobox', { name: 'Session' });
    await expect(session).toHaveText(/Session 1 · 4 photos/);
    const fit = await session.evaluate((el: HTMLSelectElement) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = getComputedStyle(el).font;
      return { text: ctx.measureText(el.selectedOptions[0]!.text).width, box: el.clientWidth };
    });
    // The text, the select's paddings and its arrow.
    expect(fit.text + 36).toBeLessThanOrEqual(fit.box);
    await page.screenshot({ path: join(screens, 'session-picker-390x844.png') });
  });
});

// The gallery at scale and stacks of near-duplicates: a few hundred photos keep the document
// small (virtualised) with keyboard moves across all of them; a burst of one scene folds into one
// tile with a count, its best marked with why, S expands it, and "Best of each stack" filters; no
// critique is written until asked for, except the open photo's.
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from '@playwright/test';
import { distinctPhotos } from './support/distinctPhotos.ts';
import { addPhotos, GOOD, results, shootSizes, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.describe.configure({ timeout: 420_000 });

test('a few hundred photos: the document holds only the rows near view; keys reach every photo', async ({ page }) => {
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  const count = 300;
  await page.getByLabel('Add photos', { exact: true }).setInputFiles(await distinctPhotos(count));
  const list = page.getByRole('listbox', { name: 'Photos' });
  const items = list.getByRole('option');
  await expect(items.first()).toHaveAttribute('aria-setsize', String(count));
  expect(await items.count()).toBeLessThan(150);

  await items.first().click();
  await page.keyboard.press('End');
  const focused = list.locator('[role="option"]:focus');
  await expect(focused).toHaveAttribute('aria-posinset', String(count));
  await expect(focused).toHaveAccessibleName(/^n299\.jpg,/);
  await expect(focused).toBeInViewport();
  expect(await items.count()).toBeLessThan(150);
  // Delete at the far end removes that photo and focuses its neighbour; Undo puts it back.
  await page.keyboard.press('Delete');
  await expect(focused).toHaveAccessibleName(/^n298\.jpg,/);
  await expect(focused).toHaveAttribute('aria-setsize', String(count - 1));
  await page.getByRole('status').filter({ hasText: 'Removed n299.jpg' }).getByRole('button', { name: 'Undo' }).click();
  await expect(focused).toHaveAccessibleName(/^n299\.jpg,/);
  await expect(focused).toHaveAttribute('aria-setsize', String(count));
  await page.keyboard.press('ArrowUp');
  await expect(focused).toHaveAttribute('aria-posinset', String(count - 2));
  await page.keyboard.press('Home');
  await expect(focused).toHaveAccessibleName(/^n000\.jpg,/);
  await page.keyboard.press('ArrowDown');
  await expect(focused).toHaveAttribute('aria-posinset', '3');

  // Scrolled away from the selected photo, Tab into the list still lands on it.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.getByRole('checkbox', { name: 'Best of each stack' }).focus();
  await page.keyboard.press('Tab');
  await expect(focused).toHaveAttribute('aria-posinset', '3');

  // The phone's strip is virtualised too: the last photo, reached by keys, is shown.
  await page.setViewportSize({ width: 390, height: 844 });
  await focused.focus();
  await page.keyboard.press('End');
  await expect(focused).toHaveAccessibleName(/^n299\.jpg,/);
  await expect(focused).toBeInViewport();
  expect(await items.count()).toBeLessThan(150);
});

test('a burst folds into one tile with a count; the best is marked with why; S expands; best of each stack', async ({
  page,
}) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  // A burst: Dune.jpg, a frame shifted by 2 %, and a softer, brighter one; and two other scenes.
  const dune = sharp(join(GOOD, 'Dune.jpg'));
  const { width, height } = await dune.metadata();
  const dx = Math.round(width! * 0.02);
  const burst = [
    {
      name: 'Dune-2.jpg',
      mimeType: 'image/jpeg',
      buffer: await sharp(join(GOOD, 'Dune.jpg'))
        .extract({ left: dx, top: 0, width: width! - dx, height: height! })
        .resize(width!, height!)
        .jpeg({ quality: 85 })
        .toBuffer(),
    },
    {
      name: 'Dune-3.jpg',
      mimeType: 'image/jpeg',
      buffer: await sharp(join(GOOD, 'Dune.jpg'))
        .blur(2)
        .modulate({ brightness: 1.05 })
        .jpeg({ quality: 80 })
        .toBuffer(),
    },
  ];
  await addPhotos(
    page,
    ['Dune.jpg', 'LadyBird.jpg', 'Aqua.jpg'].map((f) => join(GOOD, f)),
  );
  await page.getByLabel('Add photos', { exact: true }).setInputFiles(burst);
  await waitForAllSettled(page, 5);

  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await expect(items).toHaveCount(3);
  const lead = page.locator('[data-stack="lead"]');
  await expect(lead.getByTestId('stack-count')).toHaveText('❐ 3');
  await expect(lead).toHaveAttribute('data-best', 'true');
  await expect(lead).toHaveAccessibleName(/^Dune(-\d)?\.jpg, .*, best of a stack of 3: [a-z]/);

  // The photo view says which is best and why.
  await lead.click();
  await expect(page.getByTestId('stack-note')).toHaveText(/^Best of a stack of 3: [a-z].+Expand stack$/);
  await shootSizes(page, 'stacks-collapsed', { fullPagePhone: true });

  await page.keyboard.press('s');
  await expect(items).toHaveCount(5);
  await expect(page.locator('[data-stack]')).toHaveCount(3);
  await expect(page.locator('[data-best]')).toHaveCount(1);
  await expect(items.first()).toHaveAttribute('data-best', 'true');
  await expect(page.getByTestId('stack-note').getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await shootSizes(page, 'stacks-expanded', { fullPagePhone: true });

  // Only the best of each stack (and the photos alone), even with the stack open.
  await page.getByRole('checkbox', { name: 'Best of each stack' }).check();
  await expect(items).toHaveCount(3);
  await expect(page.getByTestId('filter-count')).toHaveText('3 of 5 shown');
  await page.getByRole('checkbox', { name: 'Best of each stack' }).uncheck();
  await page.keyboard.press('s');
  await expect(items).toHaveCount(3);
});

test('no critique until asked: the photo open gets one; "Write critiques for picks" writes the picks’, with progress and cancel', async ({
  page,
}) => {
  await shortCritiques(page, 8);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(
    page,
    ['Dune.jpg', 'LadyBird.jpg', 'Aqua.jpg'].map((f) => join(GOOD, f)),
  );
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  const statuses = async (): Promise<string> => (await results(page)).map((p) => p.critiqueStatus).join(' ');
  // Pick the second and third photos while the first is still being analysed, then go back to it:
  // a glance at a photo writes no critique, the one that stays open gets one.
  await expect(items).toHaveCount(3);
  await items.nth(1).click();
  await page.keyboard.press('p');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('p');
  await items.first().click();
  await waitForAllSettled(page, 3);
  // Every photo analysed; only the photo open was critiqued.
  expect((await results(page)).map((p) => `${p.status}/${p.critiqueStatus}${p.error ?? ''}`)).toEqual([
    'done/done',
    'done/idle',
    'done/idle',
  ]);

  // Long critiques, so Cancel finds the picks' still being written.
  const critique = page.getByRole('region', { name: 'Critique' });
  await critique.getByText('Critic settings').click();
  await critique.getByLabel('Length').fill('1000');
  const write = page.getByRole('button', { name: 'Write critiques for picks (2)' });
  await write.click();
  const progress = page.getByTestId('critique-picks-progress');
  await expect(progress).toHaveText('Writing critiques for picks: 0 of 2');
  await expect.poll(statuses).toBe('done streaming queued');
  await page.getByRole('button', { name: 'Cancel critiques' }).click();
  await expect.poll(statuses).toBe('done stopped idle');
  await shootSizes(page, 'critique-picks', { fullPagePhone: true });

  // Again, short: the stopped one keeps its text; the one never written is written.
  await critique.getByLabel('Length').fill('8');
  await write.click();
  await expect(progress).toHaveText('Critiques written for 2 picks', { timeout: 300_000 });
  expect(await statuses()).toBe('done stopped done');
});

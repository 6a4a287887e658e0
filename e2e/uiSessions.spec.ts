// Named sessions from the header's picker: each keeps its own photos and culls, the open one comes
// back after a reload, rename and switch work from the keyboard, and a deletion can be undone.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, shootSizes, shortCritiques } from './support/plumbing.ts';

test.describe.configure({ timeout: 240_000 });

test('sessions are created, renamed, switched, kept over a reload and deleted with undo', async ({ page }) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  const picker = page.getByRole('group', { name: 'Sessions' });
  const select = picker.getByLabel('Session', { exact: true });
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await expect(select.locator('option')).toHaveText(['Session 1 · 0 photos']);

  await addPhotos(
    page,
    ['Dune.jpg', 'LadyBird.jpg'].map((f) => join(GOOD, f)),
  );
  await items.first().click();
  await page.keyboard.press('3');
  await expect(items.first()).toHaveAccessibleName(/, 3 stars$/);
  await expect(select.locator('option')).toHaveText(['Session 1 · 2 photos']);

  // A new session starts empty; the first keeps its photos.
  await picker.getByRole('button', { name: 'New session' }).click();
  await expect(page.getByRole('heading', { name: 'Why does a photo work?' })).toBeVisible();
  await expect(select.locator('option')).toHaveText(['Session 1 · 2 photos', 'Session 2 · 0 photos']);
  await expect(select.locator('option:checked')).toHaveText('Session 2 · 0 photos');
  await addPhotos(page, [join(GOOD, 'Aqua.jpg')]);
  await expect(items).toHaveCount(1);
  await items.first().click();
  await page.keyboard.press('p');

  // Rename from the keyboard: Enter on Rename, type, Enter; focus comes back to Rename.
  const rename = picker.getByRole('button', { name: 'Rename session' });
  await rename.focus();
  await page.keyboard.press('Enter');
  const nameBox = picker.getByLabel('Session name');
  await expect(nameBox).toBeFocused();
  await page.keyboard.type('Wedding, Smith');
  await page.keyboard.press('Enter');
  await expect(select.locator('option:checked')).toHaveText('Wedding, Smith · 1 photo');
  await expect(rename).toBeFocused();
  // Escape leaves the name as it was.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Nope');
  await page.keyboard.press('Escape');
  await expect(select.locator('option:checked')).toHaveText('Wedding, Smith · 1 photo');
  await shootSizes(page, 'sessions-picker');

  // Switch from the keyboard: the first session's photos and culls come back.
  await select.focus();
  await page.keyboard.press('ArrowUp');
  await expect(select.locator('option:checked')).toHaveText('Session 1 · 2 photos');
  await expect(items).toHaveText([/^Dune\.jpg/, /^LadyBird\.jpg/]);
  await expect(items.first()).toHaveAccessibleName(/, 3 stars$/);

  // A reload opens the session that was open.
  await page.waitForTimeout(1000); // the save waits for changes to settle
  await page.reload();
  await expect(select.locator('option:checked')).toHaveText('Session 1 · 2 photos');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toHaveAccessibleName(/, 3 stars$/);

  // Deleting the open session opens the next; Undo brings it back, open again. These buttons are
  // worked from the keyboard: a click waits for rendered frames, which the software GPU can hold
  // back for tens of seconds while a loaded machine loads the models after a reload or a switch.
  await picker.getByRole('button', { name: 'Delete session' }).press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: 'Deleted the session “Session 1” (2 photos)' }),
  ).toBeVisible();
  await expect(select.locator('option')).toHaveText(['Wedding, Smith · 1 photo']);
  await expect(items).toHaveText([/^Aqua\.jpg/]);
  await expect(items.first()).toHaveAccessibleName(/, pick$/);
  await page.getByRole('button', { name: 'Undo' }).press('Enter');
  await expect(select.locator('option')).toHaveText(['Session 1 · 2 photos', 'Wedding, Smith · 1 photo']);
  await expect(select.locator('option:checked')).toHaveText('Session 1 · 2 photos');
  await expect(items).toHaveCount(2);

  // Deleted and not undone: gone after a reload.
  await select.selectOption({ label: 'Wedding, Smith · 1 photo' });
  await expect(items).toHaveText([/^Aqua\.jpg/]);
  await picker.getByRole('button', { name: 'Delete session' }).press('Enter');
  await expect(select.locator('option')).toHaveText(['Session 1 · 2 photos']);
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(select.locator('option')).toHaveText(['Session 1 · 2 photos']);
  await expect(items).toHaveCount(2);

  const { violations } = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

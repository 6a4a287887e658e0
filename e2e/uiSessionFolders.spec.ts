// Photos of a folder opened by handle (File System Access) are read from the user's files, not
// copied: the session keeps the handles, reads the files again after a reload, asks for the
// folder's permission when the browser wants it, and says which photo left the folder. Headless
// Chromium cannot drive the real folder dialog or permission prompt: the picker hands out a folder
// of the origin-private file system (real handles, stored in IndexedDB as a picked folder's are),
// and the permission calls are replaced where a test needs the browser to ask.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { GOOD, results, shootSizes, shortCritiques } from './support/plumbing.ts';

test.describe.configure({ timeout: 300_000 });

const PHOTOS = ['LadyBird.jpg', 'Aqua.jpg'];

/** Writes the photos (and a note that is no photo) into the private folder "Shoot". */
async function fillShootFolder(page: Page): Promise<void> {
  const files = [
    ...PHOTOS.map((name) => ({ name, bytes: [...readFileSync(join(GOOD, name))] })),
    { name: 'notes.txt', bytes: [...Buffer.from('not a photo')] },
  ];
  await page.evaluate(async (list) => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('Shoot', { create: true });
    for (const { name, bytes } of list) {
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
    }
  }, files);
}

test('a folder opened by handle is read, not copied, and read again after a reload (permission asked when needed)', async ({
  page,
}) => {
  await shortCritiques(page, 2);
  await page.addInitScript(() => {
    (window as Window & { showDirectoryPicker?: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker =
      async () => (await navigator.storage.getDirectory()).getDirectoryHandle('Shoot');
    // A test sets this flag to have the browser ask for the folder again, as after a restart.
    if (sessionStorage.getItem('ask-permission')) {
      const proto = FileSystemHandle.prototype as FileSystemHandle & {
        queryPermission(): Promise<string>;
        requestPermission(): Promise<string>;
      };
      let granted = false;
      proto.queryPermission = async () => (granted ? 'granted' : 'prompt');
      proto.requestPermission = async () => {
        granted = true;
        return 'granted';
      };
    }
  });
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await fillShootFolder(page);
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');

  await page.getByText('Add folder', { exact: true }).click();
  await expect(items).toHaveText([/^Shoot\/Aqua\.jpg/, /^Shoot\/LadyBird\.jpg/]);
  await items.first().click();
  await page.keyboard.press('4');
  // Nothing is copied: the note counts the photos read from their folder.
  await expect(page.getByTestId('session-storage')).toHaveText(
    /^Kept on this device: 0 B.* · 2 read from their folder$/,
  );
  await expect
    .poll(async () => (await results(page)).every((p) => p.score !== undefined), { timeout: 120_000 })
    .toBe(true);
  const before = await results(page);
  await page.waitForTimeout(1000); // the save waits for changes to settle

  // Reloaded, the files are read again through the stored handles.
  await page.reload();
  await expect(items).toHaveText([/^Shoot\/Aqua\.jpg/, /^Shoot\/LadyBird\.jpg/]);
  await expect(items.first()).toHaveAccessibleName(/, 4 stars$/);
  const after = await results(page);
  expect(after.map((p) => [p.fileName, p.score, p.width])).toEqual(before.map((p) => [p.fileName, p.score, p.width]));

  // After a restart the browser may want permission again: the photos wait, the studio asks.
  await page.evaluate(() => sessionStorage.setItem('ask-permission', '1'));
  await page.reload();
  const notice = page.getByTestId('folder-access');
  await expect(notice).toContainText('2 photos of this session are read from the folder “Shoot” on this device');
  await expect(items).toHaveCount(0);
  await shootSizes(page, 'folder-permission');
  // Clear session takes the waiting photos too; Undo brings them back.
  await notice.getByRole('button', { name: 'Clear session' }).click();
  await expect(notice).toHaveCount(0);
  await page
    .getByRole('status')
    .filter({ hasText: 'Cleared the session (2 photos)' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(notice).toContainText('2 photos of this session are read from the folder “Shoot” on this device');
  await notice.getByRole('button', { name: 'Allow reading “Shoot”' }).click();
  await expect(items).toHaveText([/^Shoot\/Aqua\.jpg/, /^Shoot\/LadyBird\.jpg/]);
  await expect(items.first()).toHaveAccessibleName(/, 4 stars$/);
  await expect(notice).toHaveCount(0);

  // A photo that left the folder says so; the other is read as before.
  await page.evaluate(() => sessionStorage.removeItem('ask-permission'));
  await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Shoot');
    await dir.removeEntry('Aqua.jpg');
  });
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(items).toHaveCount(2);
  await expect
    .poll(async () => (await results(page)).map((p) => [p.fileName, p.status]))
    .toEqual([
      ['Shoot/Aqua.jpg', 'failed'],
      ['Shoot/LadyBird.jpg', 'done'],
    ]);
  expect((await results(page))[0]!.error).toBe(
    'Shoot/Aqua.jpg is no longer in the folder “Shoot” (moved, renamed or deleted).',
  );

  // Cleared while waiting for permission, the photos are gone from the stored session for good.
  await page.evaluate(() => sessionStorage.setItem('ask-permission', '1'));
  await page.reload();
  await expect(notice).toContainText('2 photos of this session');
  await notice.getByRole('button', { name: 'Clear session' }).click();
  await expect(notice).toHaveCount(0);
  await page.waitForTimeout(1500); // the save waits for changes to settle
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Why does a photo work?' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await expect(items).toHaveCount(0);
});

test('without a folder picker, Add folder copies the photos, counted against the room shown', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'showDirectoryPicker', { value: undefined, configurable: true });
  });
  const dir = mkdtempSync(join(tmpdir(), 'aeslens-folder-'));
  mkdirSync(join(dir, 'Shoot'));
  for (const name of PHOTOS) copyFileSync(join(GOOD, name), join(dir, 'Shoot', name));
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await page.getByLabel('Add a folder of photos').setInputFiles(join(dir, 'Shoot'));
  const items = page.getByRole('listbox', { name: 'Photos' }).getByRole('option');
  await expect(items).toHaveCount(2);
  const bytes = PHOTOS.reduce((sum, name) => sum + statSync(join(GOOD, name)).size, 0);
  const kb = `${(bytes / 1024).toFixed(0)}`;
  await expect(page.getByTestId('session-storage')).toHaveText(
    new RegExp(`^Kept on this device: ${kb}(\\.\\d)? KB · \\d.* free$`),
  );
});

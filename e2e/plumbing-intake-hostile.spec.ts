// A folder of hostile and unusual files (app/lib/intake/testing/hostileFiles.node.ts): every
// refusal names the file and says why, every accepted photo is shown at the size the browser
// decodes, and a good photo added after them is still analysed.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { mixedFolder } from '../app/lib/intake/testing/hostileFiles.node.ts';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

const APP = '/?packs=fixture&backend=wasm&testhooks';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

test('a mixed folder: every refusal and its reason, every decoded size, and a good photo after it', async ({
  page,
}) => {
  const entries = await mixedFolder();
  const folder = join(tmpdir(), `aeslens-e2e-hostile-${process.pid}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const e of entries) writeFileSync(join(folder, e.name), e.bytes);

  await page.goto(APP);
  await page.getByLabel('Add a folder of photos').setInputFiles(folder);
  const all = await waitForAllSettled(page, entries.length);
  for (const e of entries) {
    const photo = all.find((p) => basename(p.fileName) === e.name);
    expect(photo, e.name).toBeDefined();
    if (e.refused) {
      expect(photo, e.name).toMatchObject({ status: 'failed', error: expect.stringMatching(e.refused) });
      const alert = page.getByRole('alert').filter({ hasText: e.name });
      await expect(alert, e.name).toBeVisible();
      await expect(alert, e.name).toContainText(e.refused);
    } else {
      expect(photo?.error, e.name).toBeUndefined();
      expect(photo, e.name).toMatchObject({ status: 'done', ...e.decoded });
      if (e.notice) expect(photo?.notice, e.name).toMatch(e.notice);
    }
  }

  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const after = await waitForAllSettled(page, entries.length + 1);
  expect(after.find((p) => p.fileName === 'rocket.jpg')).toMatchObject({ status: 'done' });
  rmSync(folder, { recursive: true, force: true });
});

// Model storage: files cached in Cache Storage with sizes per pack, usage and quota shown, and
// deleting a pack's files with an undo window.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

/** Cached URLs in our model cache and transformers.js's, for one pack's folder or built graph. */
const cachedFor = (page: Page, packId: string) =>
  page.evaluate(async (id) => {
    const urls: string[] = [];
    for (const name of ['aeslens-models-v1', 'transformers-cache']) {
      const cache = await caches.open(name);
      for (const r of await cache.keys())
        if (r.url.includes(`/${id}/`) || r.url.includes(`/${id}.onnx`)) urls.push(r.url);
    }
    return urls;
  }, packId);

test('cached pack files are listed with sizes and usage; delete can be undone, then really deletes', async ({
  page,
}) => {
  await shortCritiques(page, 2);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  await waitForAllSettled(page, 1);
  expect((await cachedFor(page, 'fixture-clip')).length).toBe(2); // the backbone and the built IASM graph
  expect((await cachedFor(page, 'fixture-smolvlm')).length).toBeGreaterThan(5);

  await page.goto('/?packs=fixture&backend=wasm&testhooks#models');
  await expect(page.getByTestId('storage-usage')).toHaveText(/\d.* of \d/);
  const clip = page.locator('[data-pack-id="fixture-clip"]');
  const STORED = /^\d+(\.\d)? (KB|MB) stored on this device$/;
  await expect(clip.getByTestId('pack-size')).toHaveText(STORED);
  // One size per pack, and what it means is said once for all.
  const cards = page.getByTestId('pack');
  await expect(cards.getByTestId('pack-size')).toHaveCount(await cards.count());
  await expect(page.getByTestId('size-explained')).toContainText('what a model downloads before its first use');
  await expect(page.locator('[data-pack-id="smolvlm-256m"]').getByTestId('pack-size')).toHaveText(/ MB to download$/);

  await clip.getByRole('button', { name: /Delete the cached files/ }).click();
  await expect(clip.getByTestId('pack-size')).toHaveText('deleting…');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(clip.getByTestId('pack-size')).toHaveText(STORED);
  await page.waitForTimeout(11_000);
  expect((await cachedFor(page, 'fixture-clip')).length).toBe(2);

  await clip.getByRole('button', { name: /Delete the cached files/ }).click();
  await expect(clip.getByTestId('pack-size')).toHaveText(/^(\d+(\.\d)? (KB|MB)) to download$/, { timeout: 30_000 });
  expect(await cachedFor(page, 'fixture-clip')).toEqual([]);
  expect((await cachedFor(page, 'fixture-smolvlm')).length).toBeGreaterThan(5);
});

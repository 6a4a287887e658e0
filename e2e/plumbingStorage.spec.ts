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
  await expect(clip.getByTestId('cache-size')).toHaveText(/\d+(\.\d)? (KB|MB)/);

  await clip.getByRole('button', { name: /Delete the cached files/ }).click();
  await expect(clip.getByTestId('cache-size')).toHaveText('deleting…');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(clip.getByTestId('cache-size')).toHaveText(/\d+(\.\d)? (KB|MB)/);
  await page.waitForTimeout(11_000);
  expect((await cachedFor(page, 'fixture-clip')).length).toBe(2);

  await clip.getByRole('button', { name: /Delete the cached files/ }).click();
  await expect(clip.getByTestId('cache-size')).toHaveText('not cached', { timeout: 30_000 });
  expect(await cachedFor(page, 'fixture-clip')).toEqual([]);
  expect((await cachedFor(page, 'fixture-smolvlm')).length).toBeGreaterThan(5);
});

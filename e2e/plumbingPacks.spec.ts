// Pack selection by URL, first run with an unreachable model host, the demo banner, and
// the choice surviving a reload.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

const DEMO_BANNER = 'Demo models — untrained, for trying the app; the heatmap and critique are not meaningful';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

test('?packs=fixture: a photo gets a heatmap and a critique with no panel', async ({ page }) => {
  await page.goto('/?packs=fixture&testhooks');
  await expect(page.getByText(DEMO_BANNER)).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap/ })).toBeVisible();
  await expect(page.getByText('Aesthetic score', { exact: true })).toBeVisible();
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  expect(photo!.critique.length).toBeGreaterThan(0);
  await expect(page.getByRole('region', { name: 'Critique' })).toContainText(photo!.critique.slice(0, 10));
  expect(Number.isFinite(photo!.score)).toBe(true);
  expect(photo!.saliency!.length).toBe(224 * 224);
  expect(Math.max(...photo!.saliency!)).toBeCloseTo(1, 3);
  expect(await page.getByRole('dialog').count()).toBe(0);
});

test('first run with the model host unreachable: the panel offers the demo models; the choice survives a reload', async ({
  page,
}) => {
  const large: string[] = [];
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) => {
    large.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await page.goto('/?testhooks&backend=wasm');
  const panel = page.getByRole('dialog', { name: /cannot be downloaded/ });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('alert')).toContainText(/cannot be reached/);
  await expect(panel).toContainText(/CLIP/);
  await panel.getByRole('button', { name: 'Use the demo models' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByText(DEMO_BANNER)).toBeVisible();
  await expect(page.getByTestId('active-packs')).toContainText('Demo: tiny CLIP-shaped tower + LAION head');
  // Only the one tiny probe went to the host; nothing was downloaded from it.
  expect(large.every((u) => u.includes('/api/models/'))).toBe(true);

  await page.reload();
  await expect(page.getByText(DEMO_BANNER)).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo!.status).toBe('done');
  expect((await results(page))[0]!.saliency).toBeDefined();
});

test('first run with the host reachable: the panel lists the models and sizes; the download starts only on the click', async ({
  page,
}) => {
  const requests: string[] = [];
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) => {
    requests.push(route.request().url());
    // Stand-in for the Hub: the API probe gets an answer; model files (no Hub here) fail like a dropped connection.
    if (route.request().url().includes('/api/models/')) {
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
    }
    return route.abort('connectionreset');
  });
  await page.goto('/?backend=wasm');
  const panel = page.getByRole('dialog', { name: 'Download the models to start' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('cached for offline use');
  await expect(panel.getByRole('listitem')).toHaveCount(2);
  await expect(panel.getByRole('listitem').first()).toContainText(/≈ \d+(\.\d)? MB/);
  await expect(panel.getByRole('button', { name: /Download models \(≈ [\d.]+ MB\)/ })).toBeVisible();
  await page.waitForTimeout(1000);
  expect(requests.filter((u) => !u.includes('/api/models/'))).toEqual([]);

  await panel.getByRole('button', { name: /Download models/ }).click();
  await expect.poll(() => requests.filter((u) => u.includes('/resolve/')).length).toBeGreaterThan(0);
  // The files cannot be fetched: the panel comes back, says so, and offers the demo models.
  const unreachable = page.getByRole('dialog', { name: /cannot be downloaded/ });
  await expect(unreachable.getByRole('alert')).toContainText(/Could not download|cannot be reached/);
  await unreachable.getByRole('button', { name: 'Use the demo models' }).click();
  await expect(page.getByText(DEMO_BANNER)).toBeVisible();
});

test('first run offline (app installed, no model chosen yet): the panel says so, the demo models work offline', async ({
  page,
  context,
}) => {
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
  );
  await page.goto('/?testhooks&backend=wasm');
  await expect(page.getByRole('dialog', { name: 'Download the models to start' })).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);

  await context.setOffline(true);
  await page.reload();
  const panel = page.getByRole('dialog', { name: /cannot be downloaded/ });
  await expect(panel.getByRole('alert')).toContainText('offline');
  // What works offline (the demo models, stored with the app) and what needs a download (the real ones, with sizes).
  await expect(panel.getByTestId('offline-demo')).toContainText('already on this device and work offline');
  await expect(panel.getByRole('alert')).toContainText('need a connection to download');
  await expect(panel.getByRole('listitem').filter({ hasText: 'Written critique' })).toContainText(/\d+ MB/);
  await panel.getByRole('button', { name: 'Use the demo models' }).click();
  await expect(page.getByText(DEMO_BANNER)).toBeVisible();
  await addPhotos(page, [join(GOOD, 'coffee.png')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  await context.setOffline(false);
});

test('an unknown ?packs= falls back to the panel and says which ids exist', async ({ page }) => {
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
  );
  await page.goto('/?packs=no-such-pack');
  const panel = page.getByRole('dialog', { name: 'Download the models to start' });
  await expect(panel).toContainText('?packs= was not used');
  await expect(panel).toContainText('no-such-pack');
  await expect(panel).toContainText('fixture');
});

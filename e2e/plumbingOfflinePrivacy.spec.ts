// Offline PWA, privacy and Content-Security-Policy.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addPhotos, critiqueEveryPhoto, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

const APP = '/?packs=fixture&backend=wasm&testhooks';
const MODEL_HOST = /^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)$/;

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page, 4));

test('offline: after one visit, a reload without network still analyses a photo', async ({ page, context }) => {
  // The new photo is not the one open after the reload: its critique is written because this asks for all.
  await critiqueEveryPhoto(page);
  await page.goto(APP);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // First photo online: the fixture models get cached.
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  expect((await waitForAllSettled(page, 1))[0]!.status).toBe('done');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByLabel('Add photos', { exact: true })).toBeAttached();
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  // The first photo is back from the saved session; the new one is analysed offline.
  const [first, photo] = await waitForAllSettled(page, 2);
  expect(first).toMatchObject({ fileName: 'chelsea.png', status: 'done' });
  expect(photo).toMatchObject({ fileName: 'rocket.jpg', status: 'done', critiqueStatus: 'done' });
  expect(photo!.saliency!.length).toBe(224 * 224);
  await context.setOffline(false);
});

test('privacy: while photos are analysed, requests go only to our origin, never with image data', async ({
  page,
  context,
  baseURL,
}) => {
  const requests: { url: string; method: string; body: number }[] = [];
  context.on('request', (r) =>
    requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer()?.length ?? 0 }),
  );
  await page.goto(APP);
  await addPhotos(page, [join(GOOD, 'Storm.jpg'), join(GOOD, 'astronaut.png')]);
  const all = await waitForAllSettled(page, 2);
  for (const p of all) expect(p.status).toBe('done');

  const ours = new URL(baseURL!).origin;
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    const { origin, protocol } = new URL(r.url);
    // blob:/data: URLs are local (thumbnails); everything on the network is our origin or the model host.
    if (protocol === 'blob:' || protocol === 'data:') continue;
    expect(origin === ours || MODEL_HOST.test(origin), r.url).toBe(true);
    expect(['GET', 'HEAD'], `${r.method} ${r.url}`).toContain(r.method);
    expect(r.body, r.url).toBe(0);
  }
  // Only the fixture models' host here: nothing went to the Hub either.
  expect(requests.filter((r) => MODEL_HOST.test(new URL(r.url).origin))).toEqual([]);
});

test('CSP: a strict policy in the page and its headers; inline scripts are blocked', async ({ page }) => {
  const response = await page.goto(APP);
  const header = response!.headers()['content-security-policy'] ?? '';
  const meta = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  for (const policy of [header, meta]) {
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).toContain("connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-eval'/);
  }
  expect(response!.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  const blocked = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        setTimeout(() => resolve(false), 2000);
      }),
  );
  expect(blocked).toBe(true);
  expect(await page.evaluate(() => (window as Window & { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  // Missing model files are 404s, not the app page (a cached 200 would poison transformers.js's cache).
  const missing = await page.request.get('/models/fixture/fixture-smolvlm/no-such-file.json');
  expect(missing.status()).toBe(404);
});

// Backends: a GPU device lost mid-run falls back to WASM and the photo finishes; WebGPU and WASM
// give the same IASM results. (Without WebGPU: plumbingNoWebgpu.spec.ts.)
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page, 4));

const hooks = (page: Page) => ({
  backends: () => page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.backends()),
  loseGpuDevice: () =>
    page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.loseGpuDevice('iasm')),
});

test('a GPU device lost mid-run: the IASM session moves to WASM and the photo finishes; earlier results stay', async ({
  page,
}) => {
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const [first] = await waitForAllSettled(page, 1);
  expect(first).toMatchObject({ status: 'done', backend: { backend: 'webgpu' } });

  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  // Decoded and in the IASM worker: on SwiftShader the GPU run takes seconds, so the loss lands mid-run.
  await expect
    .poll(
      async () => {
        const p = (await results(page))[1];
        return p?.status === 'analysing' && p.hasDisplayBitmap;
      },
      { intervals: [50] },
    )
    .toBe(true);
  await hooks(page).loseGpuDevice();
  const all = await waitForAllSettled(page, 2);
  expect(all[1]).toMatchObject({
    status: 'done',
    backend: { backend: 'wasm', reason: expect.stringMatching(/GPU device lost/) },
  });
  expect(all[1]!.saliency!.length).toBe(224 * 224);
  expect(all[0]!.score).toBe(first!.score);
  expect(all[0]!.saliency).toEqual(first!.saliency);
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM — GPU device lost/);
});

test('WebGPU and WASM give the same score and saliency (to 1e-4)', async ({ page, context }) => {
  const photos = [join(GOOD, 'chelsea.png'), join(GOOD, 'coffee.png')];
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, photos);
  const gpu = await waitForAllSettled(page, 2);
  const wasmPage = await context.newPage();
  await wasmPage.goto('/?packs=fixture&testhooks&backend=wasm');
  // The first page's session comes back in the second (same origin) before the photos added again.
  await expect.poll(async () => (await results(wasmPage)).length).toBe(2);
  await addPhotos(wasmPage, photos);
  const cpu = (await waitForAllSettled(wasmPage, 4)).slice(2);
  for (let i = 0; i < photos.length; i++) {
    expect(gpu[i]!.backend!.backend).toBe('webgpu');
    expect(cpu[i]!.backend!.backend).toBe('wasm');
    expect(Math.abs(gpu[i]!.score! - cpu[i]!.score!)).toBeLessThan(1e-4);
    const a = gpu[i]!.saliency!;
    const b = cpu[i]!.saliency!;
    expect(a.length).toBe(b.length);
    const maxDiff = a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]!)), 0);
    expect(maxDiff).toBeLessThan(1e-4);
    const camDiff = gpu[i]!.cam!.reduce((m, v, j) => Math.max(m, Math.abs(v - cpu[i]!.cam![j]!)), 0);
    expect(camDiff).toBeLessThan(1e-4 * Math.max(1, ...gpu[i]!.cam!.map(Math.abs)));
  }
});

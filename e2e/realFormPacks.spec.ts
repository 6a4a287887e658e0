// The CLIP tower in the forms of the real exports (opset 11 / 14 with LayerNorm spelled out; the
// 8-bit file with MatMulInteger and ConvInteger) runs through the app on WebGPU and on WASM.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { findIasmPack } from '../models/packs/registry.ts';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page));

for (const pack of ['fixture-clip-opset11', 'fixture-clip-opset14', 'fixture-clip-q8'])
  for (const backend of ['webgpu', 'wasm'] as const)
    test(`${pack} on ${backend}: a photo gets a score and a whole-frame heatmap`, async ({ page }) => {
      await page.goto(`/?packs=${pack},fixture-smolvlm&testhooks${backend === 'wasm' ? '&backend=wasm' : ''}`);
      await expect(page.getByTestId('active-packs')).toContainText(findIasmPack(pack)!.name);
      await addPhotos(page, [join(GOOD, 'chelsea.png')]);
      const [photo] = await waitForAllSettled(page, 1);
      expect(photo).toMatchObject({ status: 'done', backend: { backend } });
      expect(Number.isFinite(photo!.score)).toBe(true);
      expect(photo!.saliency!.length).toBe(224 * 224);
      expect(Math.max(...photo!.saliency!)).toBeCloseTo(1, 3);
      expect(Math.min(...photo!.saliency!)).toBeCloseTo(0, 3);
    });

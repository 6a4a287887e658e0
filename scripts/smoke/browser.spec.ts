// The browser half of `npm run smoke:real -- --browser` (needs internet; run through scripts/smoke/real.ts,
// which first checks the model host): the app with the default packs, downloaded on the first-run
// panel's button, analyses a few real photos; the results pass the same checks as the CLI's.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { addPhotos, GOOD, results, waitForAllSettled } from '../../e2e/support/plumbing.ts';
import { smokeProblems, type SmokeResult } from './checks.ts';

const PHOTOS = ['Dune.jpg', 'Elephants.jpg', 'YellowFlower.jpg'].map((f) => join(GOOD, f));

test.setTimeout(3_600_000);

test('the default packs in the app: scores, heatmaps and English critiques that pass the smoke checks', async ({
  page,
}) => {
  await page.goto('/?testhooks');
  await page
    .getByRole('dialog', { name: 'Download the models to start' })
    .getByRole('button', { name: /Download models/ })
    .click();
  await addPhotos(page, PHOTOS);
  await waitForAllSettled(page, PHOTOS.length, 3_000_000);
  const smoke: SmokeResult[] = (await results(page)).map((r) => {
    const map = r.saliency ?? [];
    const mean = map.reduce((a, b) => a + b, 0) / (map.length || 1);
    const std = Math.sqrt(map.reduce((a, b) => a + (b - mean) ** 2, 0) / (map.length || 1));
    return { file: r.fileName, score: r.score ?? null, critique: r.critique, saliencyStd: map.length ? std : null };
  });
  for (const r of smoke) console.log(`${r.file}: score ${r.score?.toFixed(2)}: ${r.critique.slice(0, 100)}…`);
  expect(smokeProblems(smoke)).toEqual([]);
});

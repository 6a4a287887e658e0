// Trained IAS-ViT fusion weights in the studio: `aeslens iasvit train` writes a model folder (the fixture
// critic's files plus iasvit/fusion.safetensors); loaded with Models → "Load a model folder from disk" as the
// files of the SmolVLM-256M pack, the Models view and Critic settings call the weights trained, and a
// critique is written with the IAS-ViT encoder built from them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

test('fusion weights trained by aeslens iasvit train load in the studio as trained and write a critique', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'aeslens-e2e-trained-'));
  const data = join(dir, 'dataset.json');
  writeFileSync(
    data,
    JSON.stringify([{ image: join(GOOD, 'chelsea.png'), references: ['A cat looks into the lens.'] }]),
  );
  // The folder is named after the pack's model so the app matches it by its files, not its name.
  const folder = join(dir, 'SmolVLM-256M-Instruct');
  const train = spawnSync(
    process.execPath,
    [
      'bin/aeslens.mjs',
      'iasvit',
      'train',
      '--pack',
      'fixture-smolvlm',
      '--data',
      data,
      '--out',
      folder,
      '--steps',
      '2',
      '--accumulate',
      '1',
      '--lr',
      '1e-2',
      '--val-fraction',
      '0',
    ],
    { encoding: 'utf8' },
  );
  expect(train.status, train.stderr).toBe(0);
  expect(JSON.parse(train.stdout)).toMatchObject({ basePack: 'fixture-smolvlm', steps: 2 });

  const hub: string[] = [];
  await page.route(/^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//, (route) => {
    hub.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await shortCritiques(page, 6);
  await page.goto('/?packs=fixture&backend=wasm&testhooks#models');
  await page.getByLabel('Load a model folder from disk').setInputFiles(folder);
  await expect(page.getByText(/Loaded the folder as smolvlm-256m \(critic\)/)).toBeVisible();
  const pack = page.locator('[data-testid="pack"][data-pack-id="smolvlm-256m"]');
  await expect(pack.getByTestId('iasvit-status')).toHaveText(
    /^IAS-ViT: trained fusion weights \(cross-attention in 2 vision blocks\)/,
  );
  await pack.getByRole('button', { name: 'Use this model' }).click();
  // The header names the active packs; their ids are in its tooltip.
  await expect(page.getByTestId('active-packs')).toHaveAttribute('title', /Critic: .*\(smolvlm-256m\)/);

  await page.getByRole('link', { name: 'Studio' }).click();
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const critique = page.getByRole('region', { name: 'Critique' });
  await critique.getByText('Critic settings').click();
  await expect(critique.getByTestId('iasvit-status')).toContainText('trained fusion weights');
  const [base] = await waitForAllSettled(page, 1);
  expect(base).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  await critique.getByLabel(/^Saliency-aware encoder/).check();
  await critique.getByRole('button', { name: 'Regenerate' }).click();
  await expect(critique.getByTestId('critique-state')).toHaveText('done', { timeout: 400_000 });
  const [withIas] = await results(page);
  expect(withIas!.critique.length).toBeGreaterThan(0);
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (JSON)' }).click(),
  ]);
  const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(report).toMatchObject({ critique: { text: withIas!.critique }, settings: { iasvit: true } });
  expect(hub).toEqual([]);
});

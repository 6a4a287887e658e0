// IAS-ViT in the app: the "Saliency-aware encoder" (IAS-ViT) setting is offered for the fixture critic (its seeded,
// untrained fusion weights), a critique streams with it, and the Models view says which packs have
// no trained fusion weights (every real one today).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { NO_IASVIT_LABEL } from '../models/packs/critic.ts';
import { addPhotos, GOOD, results, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);
test.beforeEach(({ page }) => shortCritiques(page, 12));

test('IAS-ViT encoder: enabled for the fixture pack, a critique streams with it; real packs have no fusion weights', async ({
  page,
}) => {
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const critique = page.getByRole('region', { name: 'Critique' });
  await critique.getByText('Critic settings').click();
  const toggle = critique.getByLabel(/^Saliency-aware encoder/);
  await expect(toggle).toBeEnabled();
  await expect(toggle).not.toBeChecked();
  await expect(critique.getByTestId('iasvit-status')).toContainText('random fixture fusion weights, untrained');

  // The first critique (base encoder) settles; then IAS-ViT on and the critique written again.
  const [base] = await waitForAllSettled(page, 1);
  expect(base).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  await toggle.check();
  await critique.getByRole('button', { name: 'Regenerate' }).click();
  await expect(critique.getByTestId('critique-state')).toHaveText(/waiting for the critic|writing/);
  await expect(critique.getByTestId('critique-state')).toHaveText('done', { timeout: 400_000 });
  const [withIas] = await results(page);
  expect(withIas!.critique.length).toBeGreaterThan(0);
  await expect(critique.getByTestId('critique-text')).toHaveText(withIas!.critique);
  // The report says which encoder wrote it.
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (JSON)' }).click(),
  ]);
  const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(report).toMatchObject({ critique: { text: withIas!.critique }, settings: { iasvit: true } });

  // The critic worker built the encoder from the pack's fusion weights: the Models view lists that download.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Models' }).click();
  const pack = (id: string) => page.locator(`[data-testid="pack"][data-pack-id="${id}"]`);
  await expect(pack('fixture-smolvlm')).toContainText('iasvit/fusion.safetensors');
  await expect(pack('fixture-smolvlm').getByTestId('iasvit-status')).toContainText('untrained');
  for (const id of ['smolvlm-256m', 'smolvlm-500m'])
    await expect(pack(id).getByTestId('iasvit-status')).toHaveText(NO_IASVIT_LABEL);
});

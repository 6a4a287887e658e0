// Critic settings show the pack's generation settings: greedy decoding with the repetition penalty
// the official SmolVLM demos run with, the max-new-tokens limit, and where they come from; the
// settings' labels are plain words, with the technical term in a tooltip.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { addPhotos, GOOD, shortCritiques } from './support/plumbing.ts';

test.setTimeout(300_000);

test("Critic settings show the pack's decoding: greedy, repetition penalty 1.1, the token limit", async ({ page }) => {
  await shortCritiques(page, 16);
  await page.goto('/?packs=fixture&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png')]);
  const critique = page.getByRole('region', { name: 'Critique' });
  await critique.getByText('Critic settings').click();
  const line = critique.getByTestId('generation-settings');
  await expect(line).toContainText('greedy, repetition penalty 1.1, up to 16 new tokens');
  await expect(line).toContainText('generation_config.json');
  // Plain words on screen, the technical term in each tooltip.
  const tooltips: [RegExp, string][] = [
    [/^Length/, 'max_new_tokens'],
    [/^Creativity/, 'do_sample'],
    [/^Show the critic close-ups/, 'Saliency guidance'],
    [/^Tell the critic the measured facts/, 'Grounding'],
    [/^Saliency-aware encoder/, 'IAS-ViT'],
  ];
  for (const [label, term] of tooltips) {
    const control = critique.getByLabel(label);
    await expect(control).toHaveCount(1);
    const id = await control.getAttribute('id');
    await expect(critique.locator(`label[for="${id}"]`)).toHaveAttribute('title', new RegExp(term));
  }
  await critique.getByLabel(/^Creativity/).check();
  await expect(line).toContainText('sampling, repetition penalty 1.1');
});

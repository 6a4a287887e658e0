// The Models view while packs download on a first visit: a progress bar per file with its bytes,
// a total per pack, and the session's total in the header — all matching the files served.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { formatBytes } from '../app/components/format.ts';

test.setTimeout(300_000);

const FIXTURES = join(import.meta.dirname, '../dist/models/fixture');
const CLIP_FILE = 'onnx/vision_model.onnx';

test('per-file progress with bytes, a total per pack and in the header, matching the files served', async ({
  page,
}) => {
  await page.goto('/?packs=fixture#models');
  const clip = page.locator('[data-pack-id="fixture-clip"]');
  const bar = clip.getByRole('progressbar', { name: `Download of ${CLIP_FILE}` });
  await expect(bar).toBeVisible();
  const size = statSync(join(FIXTURES, 'fixture-clip', CLIP_FILE)).size;
  await expect(bar).toHaveAttribute('value', String(size));
  await expect(bar).toHaveAttribute('max', String(size));
  await expect(clip.locator('.download', { hasText: CLIP_FILE })).toContainText(
    `${formatBytes(size)} / ${formatBytes(size)} ✓`,
  );
  await expect(clip.getByText(`Total ${formatBytes(size)} of ${formatBytes(size)}`)).toBeVisible();

  // The critic pack lists its files too (config, tokenizer, ONNX sessions), each finished.
  const critic = page.locator('[data-pack-id="fixture-smolvlm"]');
  await expect(critic.getByRole('progressbar', { name: /Download of onnx\/decoder_model_merged/ })).toBeVisible({
    timeout: 120_000,
  });
  await expect(critic.getByRole('progressbar', { name: 'Download of config.json' })).toBeVisible();
  await expect
    .poll(async () => (await critic.locator('.download').allTextContents()).every((t) => t.endsWith('✓')), {
      timeout: 120_000,
    })
    .toBe(true);
  // The bars line up in one column, whatever the widths of the byte counts beside them.
  const bars = await critic.getByRole('progressbar').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.width)];
    }),
  );
  expect(bars.length).toBeGreaterThan(3);
  expect(new Set(bars.map((b) => b.join(','))).size).toBe(1);

  // Once everything is in, the header says what this session loaded (downloads and cache reads).
  await expect(page.getByText('Loaded this session')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('download-total')).toHaveText(/^(.+) of \1$/);
});

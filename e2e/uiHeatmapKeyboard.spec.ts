// The heatmap without a pointer: it takes keyboard focus, arrow keys move a readout cursor over
// the photo, and the saliency under it is shown and announced, the value being the map's own
// (bilinear between texel centres, as the GPU's sampler shows it).
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(400_000);

/** Bilinear between texel centres with clamped edges (OpenGL's LINEAR filter with CLAMP_TO_EDGE). */
function bilinear(data: number[], side: number, u: number, v: number): number {
  const x = Math.min(side - 1, Math.max(0, u * side - 0.5));
  const y = Math.min(side - 1, Math.max(0, v * side - 0.5));
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  const [x1, y1] = [Math.min(side - 1, x0 + 1), Math.min(side - 1, y0 + 1)];
  const at = (xx: number, yy: number): number => data[yy * side + xx]!;
  const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * (x - x0);
  const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * (x - x0);
  return top + (bottom - top) * (y - y0);
}

test('arrow keys move a readout cursor over the heatmap and the saliency under it is announced', async ({ page }) => {
  await shortCritiques(page);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [join(GOOD, 'chelsea.png'), join(GOOD, 'coffee.png')]);
  const [photo] = await waitForAllSettled(page, 2);
  await page.getByRole('option', { name: /^chelsea\.png,/ }).click();
  const saliency = photo!.saliency!;
  const side = Math.round(Math.sqrt(saliency.length));
  expect(side * side).toBe(saliency.length);

  const canvas = page.getByRole('img', { name: /Aesthetic saliency heatmap of chelsea\.png.*arrow keys/ });
  // In the tab order once the map exists.
  await expect(canvas).toHaveAttribute('tabindex', '0');
  await canvas.focus();
  await expect(canvas).toBeFocused();

  const readout = page.getByTestId('saliency-readout');
  const announced = page.getByTestId('saliency-announcement');
  await expect(announced).toHaveAttribute('aria-live', 'polite');
  const expectReading = async (u: number, v: number, x: number, y: number) => {
    const value = bilinear(saliency, side, u, v).toFixed(2);
    await expect(readout).toHaveText(`Saliency ${value} at ${x}, ${y}`);
    await expect(announced).toHaveText(
      `Saliency ${value} at ${x}, ${y}, ${Math.round(u * 100)}% across, ${Math.round(v * 100)}% down`,
    );
    const stage = (await page.locator('.heatmap__stage').boundingBox())!;
    const ring = (await page.getByTestId('readout-cursor').boundingBox())!;
    expect(Math.abs(ring.x + ring.width / 2 - (stage.x + u * stage.width))).toBeLessThan(2);
    expect(Math.abs(ring.y + ring.height / 2 - (stage.y + v * stage.height))).toBeLessThan(2);
  };

  // chelsea.png is 451×300: the first arrow puts the cursor at the centre, then 5 % steps, 1 % with Shift.
  await page.keyboard.press('ArrowRight');
  await expectReading(0.5, 0.5, 225, 150);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expectReading(0.6, 0.5, 270, 150);
  await page.keyboard.press('Shift+ArrowDown');
  await expectReading(0.6, 0.51, 270, 153);
  await page.keyboard.press('Home');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
  await expectReading(0, 0, 0, 0);
  await page.keyboard.press('End');
  await expectReading(1, 0, 450, 0);

  // Leaving the heatmap takes the cursor away.
  await page.keyboard.press('Tab');
  await expect(canvas).not.toBeFocused();
  await expect(page.getByTestId('readout-cursor')).toHaveCount(0);

  // Another photo shows no reading taken on this one.
  await page.getByRole('option', { name: /^coffee\.png,/ }).click();
  await expect(page.getByRole('img', { name: /heatmap of coffee\.png/ })).toBeVisible();
  await expect(readout).toHaveText(/^Point at or touch the photo/);
});

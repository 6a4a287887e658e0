// The loupe's view as the canvas reports it, and the check that compare locks zoom and pan across
// its panes: for the specs of the loupe and of a whole shoot.
import { expect, type Locator, type Page } from '@playwright/test';

/** The part of the photo in view, as fractions of its width and height (the canvas's `data-view`). */
export interface View {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function viewOf(canvas: Locator): Promise<View> {
  const [x, y, width, height] = (await canvas.getAttribute('data-view'))!.split(' ').map(Number);
  return { x: x!, y: y!, width: width!, height: height! };
}

/**
 * In the compare view shown, zooming one pane zooms both (Z over the first, then the wheel over the
 * second) and dragging the second pans both the same way (the photos must be of one size). Returns
 * the zoom levels shown after Z and after the wheel.
 */
export async function expectLockedZoom(page: Page): Promise<{ afterZ: string; afterWheel: string }> {
  const panes = page.getByTestId('compare-view').getByTestId('compare-pane');
  await expect(panes).toHaveCount(2);
  const canvases = [0, 1].map((i) => panes.nth(i).getByRole('img', { name: /Aesthetic saliency heatmap of/ }));
  const levels = [0, 1].map((i) => panes.nth(i).getByTestId('zoom-level'));
  for (const level of levels) await expect(level).toHaveText('Fit');

  const a = (await canvases[0]!.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.keyboard.press('z');
  await expect(levels[0]!).not.toHaveText('Fit');
  const afterZ = (await levels[0]!.textContent())!;
  await expect(levels[1]!).toHaveText(afterZ);

  const b = (await canvases[1]!.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.wheel(0, -300);
  await expect(levels[1]!).not.toHaveText(afterZ);
  const afterWheel = (await levels[1]!.textContent())!;
  await expect(levels[0]!).toHaveText(afterWheel);
  for (const c of canvases) await expect(c).toHaveAttribute('data-zoomed', 'true');

  // Dragging the second pans the first the same way: both views move right by the same fraction.
  const before = await Promise.all(canvases.map((c) => viewOf(c)));
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 - 60, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
  const after = await Promise.all(canvases.map((c) => viewOf(c)));
  for (const i of [0, 1]) expect(after[i]!.x).toBeGreaterThan(before[i]!.x);
  expect(Math.abs(after[0]!.x - before[0]!.x - (after[1]!.x - before[1]!.x))).toBeLessThan(1e-6);
  return { afterZ, afterWheel };
}

// Accessibility audit of every view with axe-core (its default WCAG rules plus the name/label
// match check, which axe ships as experimental): any violation fails. Also the first-run dialog's
// keyboard behaviour, and the static files a crawler or installer asks for.
import AxeBuilder from '@axe-core/playwright';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.describe.configure({ timeout: 480_000 });

async function expectNoViolations(page: Page, view: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${view}`).toEqual([]);
}

test('Studio empty and with photos, Models and Evaluate have no axe violations; phone layout', async ({ page }) => {
  // A 4K frame, whose thumbnail must not come out larger than its neighbours'.
  const big = join(tmpdir(), 'aeslens-coffee-3840x2160.jpg');
  await sharp(join(GOOD, 'coffee.png')).resize(3840, 2160).jpeg().toFile(big);
  await shortCritiques(page, 4);
  // Records what the studio's download progress said while the packs came (they come fast here).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as Window & { progressSeen?: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="studio-model-progress"]')?.textContent;
      if (text && text !== seen[seen.length - 1]) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto('/?packs=fixture&testhooks');
  await expect(page.getByRole('heading', { level: 1, name: 'Why does a photo work?' })).toBeVisible();
  await expectNoViolations(page, 'Studio (empty)');

  // The drag-over hint covers the page with an opaque panel.
  const drag = (type: string) =>
    page.evaluate((t) => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'x.jpg', { type: 'image/jpeg' }));
      window.dispatchEvent(new DragEvent(t, { dataTransfer: data, bubbles: true }));
    }, type);
  await drag('dragenter');
  await expect(page.getByTestId('drop-zone')).toHaveClass(/drop-zone--active/);
  expect(await page.locator('.drop-zone__hint').evaluate((el) => getComputedStyle(el).backgroundColor)).toMatch(
    /^rgb\(/,
  );
  await drag('dragleave');
  await expect(page.getByTestId('drop-zone')).not.toHaveClass(/drop-zone--active/);

  await addPhotos(page, [join(GOOD, 'Dune.jpg'), big]);
  await waitForAllSettled(page, 2, 800_000);
  const progress = await page.evaluate(() => (window as Window & { progressSeen?: string[] }).progressSeen ?? []);
  expect(progress.some((t) => /^Downloading Demo.* of /.test(t))).toBe(true);
  // After the last file, until the session is ready, the studio says the models are being prepared.
  expect(progress.some((t) => /Preparing Demo.* on this device/.test(t))).toBe(true);
  await expect(page.getByTestId('studio-model-progress')).toHaveCount(0);
  await page.getByLabel('Outline top regions').check();
  await expect(page.getByRole('heading', { level: 1, name: 'Studio' })).toBeAttached();
  await expectNoViolations(page, 'Studio (photos)');

  // Phone and tablet: the score and the critique come right after the photo; thumbnails one size.
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 820, height: 1180 },
  ]) {
    await page.setViewportSize(viewport);
    const photoBox = (await page.locator('.photo-view__stage').boundingBox())!;
    const scoreBox = (await page.getByTestId('score').boundingBox())!;
    const controlsBox = (await page.getByRole('group', { name: 'Heatmap display' }).boundingBox())!;
    const galleryBox = (await page.getByRole('listbox', { name: 'Photos' }).boundingBox())!;
    expect(scoreBox.y).toBeGreaterThanOrEqual(photoBox.y + photoBox.height - 1);
    expect(scoreBox.y).toBeLessThan(photoBox.y + photoBox.height + 80);
    expect(controlsBox.y).toBeGreaterThan(scoreBox.y);
    expect(galleryBox.y).toBeGreaterThan(controlsBox.y);
    const widths = await page
      .getByRole('listbox', { name: 'Photos' })
      .getByRole('option')
      .evaluateAll((items) => items.map((el) => Math.round(el.getBoundingClientRect().width)));
    expect(new Set(widths).size).toBe(1);
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  await expectNoViolations(page, 'Models');

  await page.getByRole('link', { name: 'Evaluate' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Evaluate' })).toBeVisible();
  await expectNoViolations(page, 'Evaluate');
});

test('first-run dialog: no violations, focus stays inside, Escape closes it and the header reopens it', async ({
  page,
}) => {
  await page.goto('/');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2 })).toBeFocused();
  await expectNoViolations(page, 'first-run dialog');

  const buttons = dialog.getByRole('button');
  const count = await buttons.count();
  expect(count).toBeGreaterThanOrEqual(2);
  const focusInside = () => dialog.evaluate((el) => el.contains(document.activeElement));
  // Forward: through every control and round again, never leaving the dialog.
  for (let i = 0; i < count * 2 + 1; i++) {
    await page.keyboard.press('Tab');
    expect(await focusInside()).toBe(true);
  }
  await buttons.first().focus();
  await page.keyboard.press('Shift+Tab');
  await expect(buttons.last()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(buttons.first()).toBeFocused();
  // A click on the page behind does not take focus out either.
  await page.mouse.click(5, 5);
  expect(await focusInside()).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const reopen = page.getByRole('button', { name: 'Choose models' });
  await expect(reopen).toBeVisible();
  await expectNoViolations(page, 'Studio after the dialog was dismissed');
  await reopen.click();
  await expect(dialog).toBeVisible();
});

test('robots.txt is a real file and the page links the manifest once', async ({ request }) => {
  const robots = await request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
  expect(await robots.text()).toMatch(/^User-agent: \*/);
  const html = await (await request.get('/')).text();
  expect(html.match(/rel="manifest"/g)).toHaveLength(1);
});

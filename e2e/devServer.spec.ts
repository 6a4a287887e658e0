// `npm start` serves the app with Vite's dev server (the README's first command): the studio must
// come up there too and analyse a photo with the demo models.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEV_PORT } from '../playwright.config.ts';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.use({ baseURL: `http://localhost:${DEV_PORT}` });
test.setTimeout(600_000);

test('the dev server (npm start) shows the studio and analyses a photo', async ({ page }) => {
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&testhooks');
  await expect(page.getByLabel('Add photos', { exact: true })).toBeAttached();
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  await expect(page.getByRole('img', { name: /Aesthetic saliency heatmap of rocket\.jpg/ })).toBeVisible();
});

// Storage quota full (the origin's quota forced down through the DevTools protocol): downloaded
// models cannot be stored for offline use, yet the photo is analysed and critiqued, and the app
// says what happened and what to do.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addPhotos, GOOD, shortCritiques, waitForAllSettled } from './support/plumbing.ts';

test.setTimeout(600_000);

test('quota full: models are used without being stored, the photo is analysed, a notice says so', async ({
  page,
  baseURL,
}) => {
  const cdp = await page.context().newCDPSession(page);
  // Far below the demo IASM model (320 KB): storing it fails with QuotaExceededError.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 16 * 1024 });
  await shortCritiques(page, 4);
  await page.goto('/?packs=fixture&backend=wasm&testhooks');
  await addPhotos(page, [join(GOOD, 'rocket.jpg')]);
  const [photo] = await waitForAllSettled(page, 1);
  expect(photo).toMatchObject({ status: 'done', critiqueStatus: 'done' });
  expect(photo!.saliency!.length).toBeGreaterThan(0);

  const notice = page.getByRole('status').filter({ hasText: 'could not be stored for offline use' });
  await expect(notice).toContainText('the storage quota is full');
  await expect(notice).toContainText('delete cached models in the Models view');
  // Its link leads to the Models view, where the notice stays but links nowhere new.
  await notice.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('link', { name: 'Models', exact: true }).first()).toHaveAttribute('aria-current', 'page');
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('link')).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss the storage notice' }).click();
  await expect(notice).toHaveCount(0);
});

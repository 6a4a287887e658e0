// The web app in Debian Chromium, in one run against the production build (run `npm run build`
// first): (a) decode+resize of a 5640×3172 photo through the app's intake vs createImageBitmap
// alone; (b) main-thread blocking while 20 photos are analysed; (c) (forward + LayerCAM) /
// forward for the fixture IASM graphs in onnxruntime-web WASM.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import { intakeRatio, mainThreadBlocking } from './browser/appRuns.ts';
import { iasmRatioInChromium } from './browser/iasmRatio.ts';
import { startPreview } from './browser/preview.ts';
import type { BenchResult } from './types.ts';

export default async function browserBench(): Promise<BenchResult[]> {
  const preview = await startPreview();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    // The service worker would serve the app from its cache and hide the bench routes: blocked.
    const context = async () => {
      const c = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
      // tsx compiles this file with esbuild's keepNames: functions sent to page.evaluate call its __name helper.
      await c.addInitScript('globalThis.__name ??= (fn) => fn;');
      return c;
    };
    const results: BenchResult[] = [];
    const appContext = await context();
    results.push(...(await intakeRatio(appContext, preview.url)));
    results.push(...(await mainThreadBlocking(appContext, preview.url)));
    await appContext.close();
    const ortContext = await context();
    results.push(...(await iasmRatioInChromium(ortContext, preview.url)));
    await ortContext.close();
    return results;
  } finally {
    await browser.close();
    await preview.close();
  }
}

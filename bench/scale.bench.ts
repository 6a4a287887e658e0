// A shoot added at once, in Chromium against the production build (`npm run build` first): the
// large shoot (SCALE_LARGE photos, default 2,000) against a tenth of it (SCALE_SMALL, default 200),
// copies of ../shared/photos resized and re-encoded. Ratios within one run: main-thread blocking
// over wall time, heap and decoded-bitmap peaks large/small, the pipeline's wall time over Σ
// decode + IASM per photo, and the reload's time to bring the session back.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import { scaleRun, shootCopies } from './browser/scaleRun.ts';
import { startPreview } from './browser/preview.ts';
import type { BenchResult } from './types.ts';

const LARGE = Number(process.env.SCALE_LARGE ?? 2000);
const SMALL = Number(process.env.SCALE_SMALL ?? 200);
const MB = 1024 * 1024;

export default async function scaleBench(): Promise<BenchResult[]> {
  const preview = await startPreview();
  const browser = await chromium.launch({
    ...chromiumLaunchOptions(),
    args: [...(chromiumLaunchOptions().args ?? []), '--enable-precise-memory-info'],
  });
  try {
    const small = await scaleRun(browser, preview.url, await shootCopies(SMALL));
    const large = await scaleRun(browser, preview.url, await shootCopies(LARGE));
    const note = (r: typeof large): string =>
      `${r.photos} photos in ${(r.wallMs / 1000).toFixed(0)} s; heap peak ${(r.heapPeakBytes / MB).toFixed(0)} MB, ` +
      `bitmaps ${(r.bitmapPeakBytes / MB).toFixed(0)} MB; Σ decode+IASM ${(r.decodeAndIasmMs / 1000).toFixed(0)} s`;
    return [
      {
        name: `main-thread blocking / wall time, ${LARGE} photos`,
        value: large.blockingMs / large.wallMs,
        unit: '',
        note: note(large),
      },
      {
        name: `JS heap peak, ${LARGE} / ${SMALL} photos`,
        value: large.heapPeakBytes / small.heapPeakBytes,
        unit: '×',
        note: note(small),
      },
      {
        name: `decoded display bitmaps peak, ${LARGE} / ${SMALL} photos`,
        value: large.bitmapPeakBytes / small.bitmapPeakBytes,
        unit: '×',
      },
      {
        name: `score+map all (wall) / Σ decode+IASM per photo, ${LARGE} photos`,
        value: large.wallMs / large.decodeAndIasmMs,
        unit: '×',
        note: 'the per-photo times are the ones the app measures inside the run',
      },
      { name: `reload restores ${LARGE} photos`, value: large.reloadMs / 1000, unit: 's' },
    ];
  } finally {
    await browser.close();
    await preview.close();
  }
}

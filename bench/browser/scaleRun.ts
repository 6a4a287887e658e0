// A shoot added at once through the real app (production build, ?packs=fixture on WASM): main-thread
// blocking, JS heap and decoded-bitmap peaks, the pipeline's time against decode + IASM per photo,
// and how long a reload takes to bring the session back.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from '@playwright/test';
import type { AesLensTestHooks } from '../../app/testing/testHooks.ts';
import { ROOT } from './preview.ts';

const GOOD = join(ROOT, '../shared/photos/good');
const APP_QUERY = '/?packs=fixture&backend=wasm&testhooks';
const LONG_TASK_MS = 50;

export interface ScaleRun {
  photos: number;
  wallMs: number;
  /** Long-task time beyond 50 ms while the photos were added and analysed. */
  blockingMs: number;
  heapPeakBytes: number;
  /** Display bitmaps held at once (width × height × 4), at the most. */
  bitmapPeakBytes: number;
  /** Σ over photos of the decode and IASM times the app measured for each. */
  decodeAndIasmMs: number;
  /** From the reload until every photo is back in the gallery's store. */
  reloadMs: number;
}

/** `count` distinct files: the shared photos resized (480–1024 px) and re-encoded at varying quality. */
export async function shootCopies(count: number): Promise<string[]> {
  const names = (await readdir(GOOD)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const dir = join(tmpdir(), `aeslens-scale-${count}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const path = join(dir, `${String(i).padStart(4, '0')}-${name.replace(/\.\w+$/, '')}.jpg`);
    await sharp(join(GOOD, name))
      .resize({ width: 480 + ((i * 37) % 545) })
      .jpeg({ quality: 70 + (i % 25) })
      .toFile(path);
    out.push(path);
  }
  return out;
}

type Status = ReturnType<AesLensTestHooks['statuses']>[number];
const statuses = (page: Page): Promise<Status[]> =>
  page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.statuses());

export async function scaleRun(browser: Browser, origin: string, files: string[]): Promise<ScaleRun> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  await context.addInitScript(() => {
    if (!localStorage.getItem('aeslens-settings'))
      localStorage.setItem('aeslens-settings', JSON.stringify({ state: { maxNewTokens: 8 }, version: 1 }));
    const log: [number, number][] = [];
    (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks = log;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) log.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    // JS heap and decoded display bitmaps, sampled four times a second.
    const peaks = { heap: 0, bitmaps: 0 };
    (window as Window & { benchPeaks?: typeof peaks }).benchPeaks = peaks;
    setInterval(() => {
      const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      peaks.heap = Math.max(peaks.heap, memory?.usedJSHeapSize ?? 0);
      const hooks = (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest;
      peaks.bitmaps = Math.max(peaks.bitmaps, hooks?.displayBitmapBytes() ?? 0);
    }, 250);
  });
  const page = await context.newPage();
  try {
    await page.goto(origin + APP_QUERY);
    await page.waitForFunction(() => {
      const b = (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest?.backends();
      return b?.iasm !== undefined && b.critic !== undefined;
    });
    const t0 = await page.evaluate(() => performance.now());
    // By path: Playwright hands paths to the browser (buffers would be decoded by script on the page).
    await page.getByLabel('Add photos', { exact: true }).setInputFiles(files);
    let done: Status[] = [];
    for (;;) {
      done = await statuses(page);
      if (done.length === files.length && done.every((p) => p.status === 'done' || p.status === 'failed')) break;
      await page.waitForTimeout(1000);
    }
    const { t1, tasks, peaks } = await page.evaluate(() => ({
      t1: performance.now(),
      tasks: (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks ?? [],
      peaks: (window as Window & { benchPeaks?: { heap: number; bitmaps: number } }).benchPeaks!,
    }));
    const blockingMs = tasks
      .filter(([start]) => start >= t0 && start <= t1)
      .reduce((s, [, d]) => s + Math.max(0, d - LONG_TASK_MS), 0);
    const decodeAndIasmMs = done.reduce((s, p) => s + (p.timings.decodeMs ?? 0) + (p.timings.analyseMs ?? 0), 0);
    // Let the session store finish writing, then reload and time the way back.
    await page.waitForTimeout(3000);
    await page.reload();
    await page.waitForFunction(
      (n) => ((window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest?.intakeProgress().photos ?? 0) >= n,
      files.length,
      { timeout: 120_000, polling: 50 },
    );
    const reloadMs = await page.evaluate(() => performance.now());
    return {
      photos: files.length,
      wallMs: t1 - t0,
      blockingMs,
      heapPeakBytes: peaks.heap,
      bitmapPeakBytes: peaks.bitmaps,
      decodeAndIasmMs,
      reloadMs,
    };
  } finally {
    await context.close();
  }
}

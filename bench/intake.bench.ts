// The main thread while 150 photos are added to the app (production build, ?packs=fixture on
// WASM, in Debian Chromium; run `npm run build` first): the longest task from the moment the
// files are handed over until every one is checked, and a few seconds of analysis after that.
// Checking and decoding run in the intake worker, so what is left is the app's own rendering.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import { ROOT, startPreview } from './browser/preview.ts';
import type { BenchResult } from './types.ts';

const GOOD = join(ROOT, '../shared/photos/good');
const FILES = 150;
/** What a task may take before input feels stuck (the budget). */
const BUDGET_MS = 200;
/** Analysis keeps running after the intake; this much of it is watched too. */
const AFTER_MS = 5000;

type LongTasks = [number, number][];

async function photoFolder(): Promise<string[]> {
  const names = (await readdir(GOOD)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const dir = join(tmpdir(), `aeslens-bench-intake-${process.pid}`);
  await mkdir(dir, { recursive: true });
  return Promise.all(
    Array.from({ length: FILES }, async (_, i) => {
      const name = names[i % names.length]!;
      const path = join(dir, `${String(i + 1).padStart(3, '0')}-${name}`);
      await copyFile(join(GOOD, name), path);
      return path;
    }),
  );
}

const checked = (page: Page) =>
  page.evaluate(
    () =>
      (window as Window & { aeslensTest?: AesLensTestHooks })
        .aeslensTest!.results()
        .filter((p) => p.mimeType !== '' || p.status === 'failed').length,
  );

export default async function intakeBench(): Promise<BenchResult[]> {
  const files = await photoFolder();
  const preview = await startPreview();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
    await context.addInitScript(() => {
      localStorage.setItem('aeslens-settings', JSON.stringify({ state: { maxNewTokens: 8 }, version: 1 }));
      const log: [number, number][] = [];
      (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks = log;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) log.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`${preview.url}/?packs=fixture&backend=wasm&testhooks`);
    await page.waitForFunction(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest);
    await page.waitForTimeout(2000);
    const t0 = await page.evaluate(() => performance.now());
    // By path: Playwright hands the browser the files, not bytes decoded by script on the page.
    await page.getByLabel('Add photos', { exact: true }).setInputFiles(files);
    const deadline = Date.now() + 120_000;
    while ((await checked(page)) < FILES) {
      if (Date.now() > deadline) throw new Error('the files were not all checked within 120 s');
      await page.waitForTimeout(100);
    }
    const tChecked = await page.evaluate(() => performance.now());
    await page.waitForTimeout(AFTER_MS);
    const tasks = await page.evaluate(
      () => (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks ?? [],
    );
    const during = (to: number): LongTasks => tasks.filter(([start]) => start >= t0 && start <= to);
    const longest = (list: LongTasks): number => Math.max(0, ...list.map(([, d]) => d));
    const adding = during(tChecked);
    const all = during(tChecked + AFTER_MS);
    const note =
      `${FILES} photos (the shared good/ set repeated) checked in ${((tChecked - t0) / 1000).toFixed(1)} s: ` +
      `${adding.length} long tasks, longest ${longest(adding).toFixed(0)} ms; with ${AFTER_MS / 1000} s of ` +
      `analysis after: ${all.length} long tasks, longest ${longest(all).toFixed(0)} ms (budget ${BUDGET_MS} ms)`;
    return [
      { name: `longest main-thread task while adding ${FILES} photos`, value: longest(adding), unit: 'ms', note },
      { name: 'longest task / budget', value: longest(adding) / BUDGET_MS, unit: '×', note },
      { name: `longest task, adding and ${AFTER_MS / 1000} s of analysis`, value: longest(all), unit: 'ms', note },
    ];
  } finally {
    await browser.close();
    await preview.close();
    await rm(join(tmpdir(), `aeslens-bench-intake-${process.pid}`), { recursive: true, force: true });
  }
}

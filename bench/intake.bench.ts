// The main thread while 150 photos are added to the app (production build in Debian Chromium;
// run `npm run build` first): the longest task from the moment the files are handed over until
// every one is checked, with no model chosen (the intake alone: checks, the shown photo's decode,
// the gallery) and with the demo packs analysing on WASM at the same time. Checking and decoding
// run in the intake worker, so what is left on the main thread is the app's own work.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import { ROOT, startPreview } from './browser/preview.ts';
import type { BenchResult } from './types.ts';

const GOOD = join(ROOT, '../shared/photos/good');
const FILES = 150;
/** What a task may take before input feels stuck (the budget). */
const BUDGET_MS = 200;
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

// Polls the photo count only: the full results (every saliency map as an array) would be a long task of their own.
const checked = (page: Page) =>
  page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.intakeProgress().checked);

async function addAndWatch(
  context: BrowserContext,
  url: string,
  files: string[],
): Promise<{ checkMs: number; tasks: LongTasks }> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest);
    await page.waitForTimeout(2000);
    const t0 = await page.evaluate(() => performance.now());
    // By path: Playwright hands the browser the files, not bytes decoded by script on the page.
    await page.getByLabel('Add photos', { exact: true }).setInputFiles(files);
    const deadline = Date.now() + 300_000;
    while ((await checked(page)) < files.length) {
      if (Date.now() > deadline) throw new Error('the files were not all checked within 300 s');
      await page.waitForTimeout(100);
    }
    const t1 = await page.evaluate(() => performance.now());
    const tasks = await page.evaluate(
      () => (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks ?? [],
    );
    return { checkMs: t1 - t0, tasks: tasks.filter(([start]) => start >= t0 && start <= t1) };
  } finally {
    await page.close();
  }
}

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
    const alone = await addAndWatch(context, `${preview.url}/?testhooks`, files);
    const analysing = await addAndWatch(context, `${preview.url}/?packs=fixture&backend=wasm&testhooks`, files);
    const longest = (list: LongTasks): number => Math.max(0, ...list.map(([, d]) => d));
    const describe = (run: { checkMs: number; tasks: LongTasks }): string =>
      `checked in ${(run.checkMs / 1000).toFixed(1)} s, ${run.tasks.length} long tasks, longest ${longest(run.tasks).toFixed(0)} ms`;
    const note =
      `${FILES} photos (the shared good/ set repeated); intake alone: ${describe(alone)}; ` +
      `demo packs analysing meanwhile: ${describe(analysing)}; budget ${BUDGET_MS} ms`;
    return [
      { name: `longest main-thread task while adding ${FILES} photos`, value: longest(alone.tasks), unit: 'ms', note },
      { name: 'longest task / budget', value: longest(alone.tasks) / BUDGET_MS, unit: '×', note },
      {
        name: `longest main-thread task while adding ${FILES} photos, analysis running`,
        value: longest(analysing.tasks),
        unit: 'ms',
        note,
      },
    ];
  } finally {
    await browser.close();
    await preview.close();
    await rm(join(tmpdir(), `aeslens-bench-intake-${process.pid}`), { recursive: true, force: true });
  }
}

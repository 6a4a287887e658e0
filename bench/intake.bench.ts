// The main thread while 150 photos are added to the app (production build in Debian Chromium;
// run `npm run build` first): the longest task from the moment the files are handed over until
// every one is checked, with no model chosen (the intake alone: checks, the shown photo's decode,
// the gallery) and with the demo packs analysing on WASM at the same time. Checking, decoding and
// reading EXIF run in the intake worker, so what is left on the main thread is the app's own work.
// The intake alone is also traced: each long task's main-thread CPU time, which a loaded machine
// does not stretch (its wall-clock time holds the time the thread waited for a core).
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AesLensTestHooks } from '../app/testing/testHooks.ts';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import {
  addPhotos,
  longTasksBetween,
  mainThreadTaskCpu,
  numberedPhotoCopies,
  prepareContext,
  type LongTasks,
} from './browser/appPage.ts';
import { startPreview } from './browser/preview.ts';
import type { BenchResult } from './types.ts';

const FILES = 150;
/** What a task may take before input feels stuck (the budget). */
const BUDGET_MS = 200;
/** The Long Tasks API's own threshold. */
const LONG_TASK_MS = 50;

// Polls the photo count only: the full results (every saliency map as an array) would be a long task of their own.
const checked = (page: Page) =>
  page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.intakeProgress().checked);

interface IntakeRun {
  checkMs: number;
  tasks: LongTasks;
  /** Main-thread CPU time of each long task, when traced. */
  cpu: { wall: number; cpu: number }[];
}

async function addAndWatch(
  browser: Browser,
  context: BrowserContext,
  url: string,
  files: string[],
  traced: boolean,
): Promise<IntakeRun> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest);
    await page.waitForTimeout(2000);
    const t0 = await page.evaluate(() => performance.now());
    const add = async () => {
      await addPhotos(page, files);
      const deadline = Date.now() + 300_000;
      while ((await checked(page)) < files.length) {
        if (Date.now() > deadline) throw new Error('the files were not all checked within 300 s');
        await page.waitForTimeout(100);
      }
    };
    let cpu: IntakeRun['cpu'] = [];
    if (traced) cpu = await mainThreadTaskCpu(browser, page, LONG_TASK_MS, add);
    else await add();
    const t1 = await page.evaluate(() => performance.now());
    return { checkMs: t1 - t0, tasks: await longTasksBetween(page, t0, t1), cpu };
  } finally {
    await page.close();
  }
}

export default async function intakeBench(): Promise<BenchResult[]> {
  const dir = join(tmpdir(), `aeslens-bench-intake-${process.pid}`);
  const files = await numberedPhotoCopies(FILES, dir);
  const preview = await startPreview();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
    await prepareContext(context);
    const alone = await addAndWatch(browser, context, `${preview.url}/?testhooks`, files, true);
    const analysing = await addAndWatch(
      browser,
      context,
      `${preview.url}/?packs=fixture&backend=wasm&testhooks`,
      files,
      false,
    );
    const longest = (list: LongTasks): number => Math.max(0, ...list.map(([, d]) => d));
    const describe = (run: IntakeRun): string =>
      `checked in ${(run.checkMs / 1000).toFixed(1)} s, ${run.tasks.length} long tasks, longest ${longest(run.tasks).toFixed(0)} ms`;
    const maxCpu = Math.max(0, ...alone.cpu.map((t) => t.cpu));
    const longestWall = alone.cpu.reduce((a, t) => (t.wall > a.wall ? t : a), { wall: 0, cpu: 0 });
    const note =
      `${FILES} photos (the shared good/ set repeated); intake alone: ${describe(alone)}; ` +
      `demo packs analysing meanwhile: ${describe(analysing)}; budget ${BUDGET_MS} ms`;
    return [
      { name: `longest main-thread task while adding ${FILES} photos`, value: longest(alone.tasks), unit: 'ms', note },
      { name: 'longest task / budget', value: longest(alone.tasks) / BUDGET_MS, unit: '×', note },
      {
        name: `most main-thread CPU time in one task while adding ${FILES} photos`,
        value: maxCpu,
        unit: 'ms',
        note:
          `traced, tasks over ${LONG_TASK_MS} ms; the longest traced task took ${longestWall.wall.toFixed(0)} ms ` +
          `of which ${longestWall.cpu.toFixed(0)} ms on the CPU (the rest waiting for a core); budget ${BUDGET_MS} ms`,
      },
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
    await rm(dir, { recursive: true, force: true });
  }
}

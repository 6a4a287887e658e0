// Page set-up shared by the benches that drive the real app: short critiques, a long-task log from
// the first moment, numbered copies of the shared photos, and files handed over by path.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ROOT } from './preview.ts';

const GOOD = join(ROOT, '../shared/photos/good');

/** [start, duration] of each long task, in the page's performance.now() time. */
export type LongTasks = [number, number][];

/** Short critiques (the fixture critic's text is noise) and a long-task log from the first moment. */
export async function prepareContext(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    localStorage.setItem('aeslens-settings', JSON.stringify({ state: { maxNewTokens: 8 }, version: 1 }));
    const log: [number, number][] = [];
    (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks = log;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) log.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks that started between t0 and t1. */
export async function longTasksBetween(page: Page, t0: number, t1: number): Promise<LongTasks> {
  const tasks = await page.evaluate(
    () => (window as Window & { benchLongTasks?: [number, number][] }).benchLongTasks ?? [],
  );
  return tasks.filter(([start]) => start >= t0 && start <= t1);
}

/** `count` distinct files in `dir`: the shared good photos, repeated under numbered names. */
export async function numberedPhotoCopies(count: number, dir: string): Promise<string[]> {
  const names = (await readdir(GOOD)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  await mkdir(dir, { recursive: true });
  const digits = String(count).length;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const name = names[i % names.length]!;
      const path = join(dir, `${String(i + 1).padStart(digits, '0')}-${name}`);
      await copyFile(join(GOOD, name), path);
      return path;
    }),
  );
}

// By path: Playwright hands paths to the browser, where buffers would be base64-decoded by script
// on the page's main thread (a long task of its own that is not the app's).
export const addPhotos = (page: Page, paths: string[]) =>
  page.getByLabel('Add photos', { exact: true }).setInputFiles(paths);

/**
 * The main thread's CPU time (ms) of each task longer than `minMs` while `during` runs, from
 * Chromium's trace: a task's wall-clock time also holds the time the thread waited for a core.
 */
export async function mainThreadTaskCpu(
  browser: Browser,
  page: Page,
  minMs: number,
  during: () => Promise<void>,
): Promise<{ wall: number; cpu: number }[]> {
  await browser.startTracing(page, {
    categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'],
  });
  let trace: Buffer;
  try {
    await during();
  } finally {
    trace = await browser.stopTracing();
  }
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = (e: TraceEvent) => main.some((m) => m.pid === e.pid && m.tid === e.tid);
  return events
    .filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > minMs * 1000 && onMain(e))
    .map((e) => ({ wall: e.dur! / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

// Measurements through the real app (production build, ?packs=fixture on WASM): the intake of a
// large photo against createImageBitmap alone, and main-thread blocking while photos are analysed.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { AesLensTestHooks, PhotoResultForTests } from '../../app/testing/testHooks.ts';
import type { BenchResult } from '../types.ts';
import { addPhotos, longTasksBetween, numberedPhotoCopies, prepareContext } from './appPage.ts';
import { ROOT } from './preview.ts';
import { median } from '../stats.ts';

const LARGE = join(ROOT, '../shared/photos/large/Elephants_5640x3172.jpg');
const APP_QUERY = '/?packs=fixture&backend=wasm&testhooks';
const LARGE_REPEATS = 3;
const BATCH = 20;
/** A long task blocks input for what it lasts beyond this (the Long Tasks API's own threshold). */
const LONG_TASK_MS = 50;

const hooks = (page: Page) =>
  page.evaluate(() => (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest!.results());

/** Opens the app and waits until both workers have loaded their (fixture) models. */
async function openApp(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(origin + APP_QUERY);
  await page.waitForFunction(
    () => {
      const h = (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest;
      const b = h?.backends();
      return b?.iasm !== undefined && b.critic !== undefined;
    },
    null,
    { timeout: 120_000 },
  );
  return page;
}

async function waitSettled(page: Page, count: number, timeoutMs: number): Promise<PhotoResultForTests[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await hooks(page);
    const busy = r.filter(
      (p) =>
        p.status === 'queued' ||
        p.status === 'analysing' ||
        p.status === 'critiquing' ||
        p.critiqueStatus === 'queued' ||
        p.critiqueStatus === 'streaming',
    );
    if (r.length === count && busy.length === 0) {
      const failed = r.filter((p) => p.status !== 'done');
      if (failed.length) throw new Error(`photos failed: ${failed.map((p) => `${p.fileName}: ${p.error}`).join('; ')}`);
      return r;
    }
    if (Date.now() > deadline)
      throw new Error(`${count - busy.length} of ${count} photos settled in ${timeoutMs / 1000} s`);
    await page.waitForTimeout(250);
  }
}

/** (a) The app's intake (sniff + decode at display size + thumbnail) of the large photo vs createImageBitmap(file). */
export async function intakeRatio(context: BrowserContext, origin: string): Promise<BenchResult[]> {
  await prepareContext(context);
  await context.route(`${origin}/__bench/large.jpg`, (route) => route.fulfill({ path: LARGE }));
  const page = await openApp(context, origin);
  try {
    const intake: number[] = [];
    const bare: number[] = [];
    // Interleaved: the app's intake of one copy, then createImageBitmap of the same bytes alone.
    for (let i = 0; i < LARGE_REPEATS; i++) {
      await addPhotos(page, [LARGE]);
      const r = await waitSettled(page, i + 1, 120_000);
      const ms = r[i]!.timings.decodeMs;
      if (ms === undefined) throw new Error('the app reported no decode time');
      intake.push(ms);
      bare.push(
        await page.evaluate(async () => {
          const blob = await (await fetch('/__bench/large.jpg')).blob();
          const t = performance.now();
          const bitmap = await createImageBitmap(blob);
          const ms = performance.now() - t;
          bitmap.close();
          return ms;
        }),
      );
    }
    const [a, b] = [Math.min(...intake), Math.min(...bare)];
    const note =
      `Elephants 5640×3172, fastest of ${LARGE_REPEATS}: app intake (sniff, decode at ≤2048 px, thumbnail) ` +
      `${a.toFixed(0)} ms vs createImageBitmap ${b.toFixed(0)} ms (medians ${median(intake).toFixed(0)} vs ${median(bare).toFixed(0)} ms)`;
    return [
      {
        name: 'large photo: decode+resize (app intake) / createImageBitmap',
        value: a / b,
        unit: '×',
        note,
      },
    ];
  } finally {
    await page.close();
  }
}

/** (b) Sum of long-task time beyond 50 ms on the main thread while BATCH photos are analysed and critiqued. */
export async function mainThreadBlocking(context: BrowserContext, origin: string): Promise<BenchResult[]> {
  // BATCH distinct files: the shared photos, repeated under numbered names.
  const files = await numberedPhotoCopies(BATCH, join(tmpdir(), 'aeslens-bench-photos'));
  const page = await openApp(context, origin);
  try {
    const t0 = await page.evaluate(() => performance.now());
    await addPhotos(page, files);
    await waitSettled(page, BATCH, 240_000);
    const t1 = await page.evaluate(() => performance.now());
    const during = await longTasksBetween(page, t0, t1);
    const blocking = during.reduce((s, [, d]) => s + Math.max(0, d - LONG_TASK_MS), 0);
    const wall = t1 - t0;
    const longest = during.map(([, d]) => d).sort((a, b) => b - a);
    const note =
      `${BATCH} photos (fixture packs, WASM, 8-token critiques) in ${(wall / 1000).toFixed(1)} s; ` +
      `${during.length} long tasks, longest ${longest
        .slice(0, 3)
        .map((d) => d.toFixed(0))
        .join(', ')} ms`;
    if (process.env.BENCH_DEBUG)
      console.error(during.map(([s, d]) => `${(s - t0).toFixed(0)}+${d.toFixed(0)}`).join(' '));
    return [
      { name: `main-thread blocking while ${BATCH} photos are analysed`, value: blocking, unit: 'ms', note },
      { name: 'main-thread blocking / wall time', value: blocking / wall, unit: '', note },
    ];
  } finally {
    await page.close();
  }
}

// N inputs in one batched run of a score graph against N runs of one, in Chromium through
// onnxruntime-web WASM on one thread (the entry and wasm file the app's worker uses), on a page
// served by request routing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import type { IasmInputSpec } from '../../models/packs/iasm.ts';
import { ROOT } from './preview.ts';

const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
const ORIGIN = 'http://aeslens-bench.localhost';

export async function batchInChromium(
  browser: Browser,
  model: Uint8Array,
  input: IasmInputSpec,
  batch: Float32Array,
  n: number,
  runs: number,
): Promise<{ ratio: number; batched: number; singles: number }> {
  const context = await browser.newContext();
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  await context.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(1);
    if (path === 'page.html')
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>crops</title>' });
    if (path === 'model.onnx') return route.fulfill({ body: Buffer.from(model) });
    if (path === 'input.bin')
      return route.fulfill({ body: Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength) });
    if (path.startsWith('ort/')) {
      const name = path.slice(4);
      const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      return route.fulfill({ contentType: type, body: await readFile(join(ORT_DIST, name)) });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  const page = await context.newPage();
  try {
    await page.goto(`${ORIGIN}/page.html`);
    return await page.evaluate(
      async ({ name, width, height, n, runs }) => {
        type Ort = typeof import('onnxruntime-web');
        const ort = (await import('/ort/ort.webgpu.bundle.min.mjs' as string)) as Ort;
        ort.env.wasm.wasmPaths = { wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm' };
        ort.env.wasm.numThreads = 1;
        const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const bytes = async (file: string) => new Uint8Array(await (await fetch(`/${file}`)).arrayBuffer());
        const data = new Float32Array((await bytes('input.bin')).buffer);
        const session = await ort.InferenceSession.create(await bytes('model.onnx'), { executionProviders: ['wasm'] });
        const plane = 3 * width * height;
        const run = (from: number, count: number) =>
          session.run({
            [name]: new ort.Tensor('float32', data.slice(from * plane, (from + count) * plane), [
              count,
              3,
              height,
              width,
            ]),
          });
        const timed = async (f: () => Promise<unknown>) => {
          const t = performance.now();
          await f();
          return performance.now() - t;
        };
        const all = () => run(0, n);
        const oneByOne = async () => {
          for (let j = 0; j < n; j++) await run(j, 1);
        };
        // Both sides warm; the order within a pair alternates so load drift falls on both alike.
        for (let i = 0; i < 2; i++) {
          await all();
          await oneByOne();
        }
        const ratios: number[] = [];
        const batched: number[] = [];
        const singles: number[] = [];
        for (let i = 0; i < runs; i++) {
          let b: number;
          let s: number;
          if (i % 2 === 0) {
            b = await timed(all);
            s = await timed(oneByOne);
          } else {
            s = await timed(oneByOne);
            b = await timed(all);
          }
          ratios.push(b / s);
          batched.push(b);
          singles.push(s);
        }
        await session.release();
        return { ratio: median(ratios), batched: median(batched), singles: median(singles) };
      },
      { name: input.name, width: input.width, height: input.height, n, runs },
    );
  } finally {
    await context.close();
  }
}

// The IAS-ViT graph in Chromium: onnxruntime-web's WebGPU (SwiftShader here) and WASM backends
// agree with each other and with onnxruntime-node to 1e-4, fp32 and 4-bit.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel } from '../onnx/index.ts';
import { addSaliencyCrossAttention } from './saliencyCrossAttention.ts';
import { buildIdefics3VisionEncoder } from './idefics3.ts';
import { quantizeMatMulWeights } from './quantize.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { randomFusion, randomIdefics3Weights } from './random.ts';
import { testSiglipTower } from '../testing/siglipTower.ts';
import { chromiumLaunchOptions } from '../../e2e/support/chromium.ts';

const ORT_DIST = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));
const c = testSiglipTower({ hidden: 32, heads: 2, layers: 2, mlp: 64 });
const S = c.grid * c.patch;

const PAGE = `<!doctype html><script type="module">
import * as ort from '/ort/ort.webgpu.bundle.min.mjs';
ort.env.wasm.wasmPaths = '/ort/';
ort.env.wasm.numThreads = 1;
window.runModel = async (url, ep, feeds) => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
  const inputs = {};
  for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor(f.type, f.type === 'bool' ? Uint8Array.from(f.data) : Float32Array.from(f.data), f.dims);
  const out = await session.run(inputs);
  const result = Array.from(out.image_features.data);
  await session.release();
  return result;
};
window.ready = true;
</script>`;

const models: Record<string, Uint8Array> = {};
let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const base = buildIdefics3VisionEncoder(randomIdefics3Weights(c, 2, 16, 61), c, { scaleFactor: 2 });
  const fp32 = encodeModel(addSaliencyCrossAttention(base, randomFusion(c.hidden, c.grid, false, [0, 1], 62, 2)));
  models['/fp32.onnx'] = fp32;
  models['/q4.onnx'] = encodeModel(quantizeMatMulWeights(decodeModel(fp32), 'q4', { blockSize: 16 }).model);
  server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url!, 'http://x').pathname);
    const body =
      path === '/'
        ? PAGE
        : (models[path] ??
          (path.startsWith('/ort/') ? await readFile(join(ORT_DIST, path.slice(5))).catch(() => null) : null));
    if (body === null) return void res.writeHead(404).end();
    const type =
      path === '/'
        ? 'text/html'
        : path.endsWith('.mjs')
          ? 'text/javascript'
          : path.endsWith('.wasm')
            ? 'application/wasm'
            : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch(chromiumLaunchOptions());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('IAS-ViT in Chromium', () => {
  const r = mulberry32(63);
  const feeds = {
    pixel_values: {
      type: 'float32',
      data: Array.from({ length: 3 * S * S }, () => 2 * r() - 1),
      dims: [1, 1, 3, S, S],
    },
    pixel_attention_mask: { type: 'bool', data: Array.from({ length: S * S }, () => 1), dims: [1, 1, S, S] },
    saliency: { type: 'float32', data: Array.from({ length: c.grid * c.grid }, r), dims: [1, c.grid, c.grid] },
  } as const;

  for (const name of ['fp32', 'q4']) {
    it(`${name}: WebGPU and WASM agree with each other and with onnxruntime-node to 1e-4`, async () => {
      const session = await ort.InferenceSession.create(models[`/${name}.onnx`]!);
      const nodeOut = (
        await session.run({
          pixel_values: new ort.Tensor('float32', Float32Array.from(feeds.pixel_values.data), feeds.pixel_values.dims),
          pixel_attention_mask: new ort.Tensor(
            'bool',
            Uint8Array.from(feeds.pixel_attention_mask.data),
            feeds.pixel_attention_mask.dims,
          ),
          saliency: new ort.Tensor('float32', Float32Array.from(feeds.saliency.data), feeds.saliency.dims),
        })
      ).image_features!.data as Float32Array;
      const page = await browser.newPage();
      try {
        await page.goto(origin);
        await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
        // a real WebGPU adapter (SwiftShader here), so the 'webgpu' run is not a silent WASM run
        expect(
          await page.evaluate(
            async () =>
              (await (
                navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }
              ).gpu?.requestAdapter()) != null,
          ),
        ).toBe(true);
        const run = (ep: string) =>
          page.evaluate(
            ([url, provider, f]) =>
              (window as unknown as { runModel: (u: string, e: string, x: unknown) => Promise<number[]> }).runModel(
                url,
                provider,
                f,
              ),
            [`/${name}.onnx`, ep, feeds] as const,
          );
        const wasm = await run('wasm');
        const webgpu = await run('webgpu');
        const diff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
          Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
        expect(wasm.length).toBe(nodeOut.length);
        expect(diff(webgpu, wasm)).toBeLessThan(1e-4);
        expect(diff(wasm, nodeOut)).toBeLessThan(1e-4);
      } finally {
        await page.close();
      }
    }, 120_000);
  }
});

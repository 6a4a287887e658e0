// Crop suggestions, in one run: (a) N crops scored in one batched run of the forward-only score
// graph against the same N scored one run each (onnxruntime-node and Chromium WASM, one thread),
// candidates/s; (b) scoring a photo's whole candidate set (cut, resize, score) against one IASM
// run on the photo (preprocessPhoto, score + LayerCAM), in Node.
import * as ort from 'onnxruntime-node';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium.ts';
import { readRgba } from '../models/common/readRgba.node.ts';
import { suggestPhotoCrops } from '../models/crops/photo.node.ts';
import { cropPixels } from '../models/crops/pixels.ts';
import { cropCandidates } from '../models/crops/candidates.ts';
import { FIXTURES } from '../models/fixtures/index.ts';
import { buildIasmModelForPack, createIasmRunner } from '../models/iasm/runner.ts';
import { buildScoreModelForPack } from '../models/iasm/scoreGraph.ts';
import { createScoreRunner } from '../models/iasm/scoreRunner.ts';
import { preprocessPhoto } from '../models/iasm/preprocess.ts';
import { findIasmPack } from '../models/packs/registry.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { batchInChromium } from './browser/cropBatch.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const PHOTO = new URL('../../shared/photos/good/coffee.png', import.meta.url).pathname;
const PACKS = ['fixture-clip', 'fixture-clip-q8'];
/** Crops per batch, as the app and the CLI score them. */
const N = 8;
const RUNS = 15;
const ONE_THREAD = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };

const pack = (id: string): IasmPack => findIasmPack(id)!;
const files = (id: string) => async (path: string) => (await FIXTURES[id]!())[path]!;

async function cropInputs() {
  const pixels = await readRgba(PHOTO);
  const saliency = { data: new Float32Array(16).fill(0.5), width: 4, height: 4 };
  const rects = cropCandidates(pixels.width, pixels.height, saliency).slice(0, N);
  return rects.map((r) => cropPixels(pixels, r));
}

/** Median over interleaved samples of (one batched run of N) / (N single runs), each including preprocessing. */
async function nodeBatchRatio(id: string): Promise<{ ratio: number; batched: number; singles: number }> {
  const p = pack(id);
  const bytes = await buildScoreModelForPack(p, files(id));
  // One thread, as the app's worker runs onnxruntime.
  const session = await ort.InferenceSession.create(bytes, ONE_THREAD);
  const images = await cropInputs();
  const plane = 3 * p.input.width * p.input.height;
  const run = async (batch: typeof images) => {
    const data = new Float32Array(batch.length * plane);
    batch.forEach((img, i) => data.set(preprocessPhoto(img, p.input).score, i * plane));
    const t = new ort.Tensor('float32', data, [batch.length, 3, p.input.height, p.input.width]);
    await session.run({ [p.input.name]: t });
  };
  for (let i = 0; i < 2; i++) await run(images);
  const ratios: number[] = [];
  const batchedTimes: number[] = [];
  const singleTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await run(images);
    const batched = performance.now() - t;
    t = performance.now();
    for (const img of images) await run([img]);
    const singles = performance.now() - t;
    ratios.push(batched / singles);
    batchedTimes.push(batched);
    singleTimes.push(singles);
  }
  await session.release();
  return { ratio: median(ratios), batched: median(batchedTimes), singles: median(singleTimes) };
}

/** The whole candidate set of the photo (cut, resize, batched scores) against one IASM run on it. */
async function setOverIasm(id: string) {
  const p = pack(id);
  const iasm = await createIasmRunner(ort, await buildIasmModelForPack(p, files(id)), p, {
    executionProviders: ['cpu'],
  });
  const scorer = await createScoreRunner(ort, await buildScoreModelForPack(p, files(id)), p, {
    executionProviders: ['cpu'],
  });
  const pixels = await readRgba(PHOTO);
  const one = async () => iasm.analyse(pixels);
  const full = await one();
  const saliency = { data: full.saliency, width: full.width, height: full.height };
  const set = () => suggestPhotoCrops(pixels, saliency, scorer);
  const count = (await set()).crops.length + 5;
  const ratios: number[] = [];
  let setMs = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await one();
    const iasmMs = performance.now() - t;
    t = performance.now();
    await set();
    setMs = performance.now() - t;
    ratios.push(setMs / iasmMs);
  }
  await iasm.dispose();
  await scorer.dispose();
  return { ratio: median(ratios), count, setMs };
}

export default async function cropsBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const id of PACKS) {
    const r = await nodeBatchRatio(id);
    results.push(
      {
        name: `${id}: ${N} crops in one batched run / ${N} forward-only runs one by one, Node`,
        value: r.ratio,
        unit: '×',
        note: `median of ${RUNS} interleaved pairs, preprocessing included; ${r.batched.toFixed(1)} vs ${r.singles.toFixed(1)} ms; goal ≤ 1.1×`,
      },
      { name: `${id}: candidates scored per second, batched, Node`, value: (N * 1000) / r.batched, unit: '/s' },
    );
  }
  const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: false }));
  try {
    for (const id of PACKS) {
      const p = pack(id);
      const images = await cropInputs();
      const plane = 3 * p.input.width * p.input.height;
      const input = new Float32Array(N * plane);
      images.forEach((img, i) => input.set(preprocessPhoto(img, p.input).score, i * plane));
      const r = await batchInChromium(browser, await buildScoreModelForPack(p, files(id)), p.input, input, N, RUNS);
      results.push(
        {
          name: `${id}: ${N} crops in one batched run / ${N} forward-only runs one by one, Chromium WASM`,
          value: r.ratio,
          unit: '×',
          note: `median of ${RUNS} interleaved pairs; ${r.batched.toFixed(1)} vs ${r.singles.toFixed(1)} ms; goal ≤ 1.1×`,
        },
        {
          name: `${id}: candidates scored per second, batched, Chromium WASM`,
          value: (N * 1000) / r.batched,
          unit: '/s',
        },
      );
    }
  } finally {
    await browser.close();
  }
  for (const id of PACKS) {
    const r = await setOverIasm(id);
    results.push({
      name: `${id}: scoring a photo's crop set / one IASM run on the photo, Node`,
      value: r.ratio,
      unit: '×',
      note: `${r.count} crops (candidates + 5 noise probes) cut, resized and scored in ${r.setMs.toFixed(0)} ms; median of 5`,
    });
  }
  return results;
}

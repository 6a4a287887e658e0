// Crop suggestions, in one run: (a) N crops scored in one batched run of the forward-only score
// graph against the same N scored one run each (onnxruntime-node and Chromium WASM, one thread):
// the session runs alone, and in Node also with each crop's preprocessing, candidates/s; (b) scoring a photo's whole candidate set (cut, resize, score) against one IASM
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
import { preprocessScore } from '../models/iasm/preprocess.ts';
import { findIasmPack } from '../models/packs/registry.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { batchInChromium } from './browser/cropBatch.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const PHOTO = new URL('../../shared/photos/good/coffee.png', import.meta.url).pathname;
const PACKS = ['fixture-clip', 'fixture-clip-q8'];
/** Crops per batch, as the app and the CLI score them. */
const N = 8;
const RUNS = 31;
const ONE_THREAD = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };

const pack = (id: string): IasmPack => findIasmPack(id)!;
const files = (id: string) => async (path: string) => (await FIXTURES[id]!())[path]!;

async function cropInputs() {
  const pixels = await readRgba(PHOTO);
  const saliency = { data: new Float32Array(16).fill(0.5), width: 4, height: 4 };
  const rects = cropCandidates(pixels.width, pixels.height, saliency).slice(0, N);
  return rects.map((r) => cropPixels(pixels, r));
}

interface PairTimes {
  /** Median of the pairs' wall-clock ratios. */
  ratio: number;
  batched: number;
  singles: number;
}

interface NodePairTimes extends PairTimes {
  /**
   * This process's CPU time, all batched runs over all one-by-one runs: the cost, without the
   * time spent waiting for other processes on a shared machine.
   */
  cpuRatio: number;
  /** Mean CPU time of one batched side, ms. */
  batchedCpu: number;
}

/**
 * `RUNS` pairs of (one batched run of N) / (N single runs), both sides warmed up, the order within
 * a pair alternating so that drift in the machine's load falls on both alike.
 */
async function interleavedPairs(batched: () => Promise<void>, singles: () => Promise<void>): Promise<NodePairTimes> {
  const timed = async (f: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await f();
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - t, cpu: used.user + used.system };
  };
  for (let i = 0; i < 2; i++) {
    await batched();
    await singles();
  }
  const ratios: number[] = [];
  const cpu = { batched: 0, singles: 0 };
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let bi: { wall: number; cpu: number };
    let si: { wall: number; cpu: number };
    if (i % 2 === 0) {
      bi = await timed(batched);
      si = await timed(singles);
    } else {
      si = await timed(singles);
      bi = await timed(batched);
    }
    ratios.push(bi.wall / si.wall);
    cpu.batched += bi.cpu;
    cpu.singles += si.cpu;
    b.push(bi.wall);
    s.push(si.wall);
  }
  return {
    ratio: median(ratios),
    cpuRatio: cpu.batched / cpu.singles,
    batchedCpu: cpu.batched / 1000 / RUNS,
    batched: median(b),
    singles: median(s),
  };
}

/**
 * Node, one thread: the session runs alone (inputs preprocessed once, the same values on both
 * sides), and the whole scoring of the crops (each crop's preprocessScore, then the runs).
 */
async function nodeBatchRatio(id: string): Promise<{ runs: NodePairTimes; scoring: NodePairTimes }> {
  const p = pack(id);
  const bytes = await buildScoreModelForPack(p, files(id));
  // One thread, as the app's worker runs onnxruntime.
  const session = await ort.InferenceSession.create(bytes, ONE_THREAD);
  const images = await cropInputs();
  const plane = 3 * p.input.width * p.input.height;
  const runOn = async (inputs: readonly Float32Array[]) => {
    const data = new Float32Array(inputs.length * plane);
    inputs.forEach((input, i) => data.set(input, i * plane));
    const t = new ort.Tensor('float32', data, [inputs.length, 3, p.input.height, p.input.width]);
    await session.run({ [p.input.name]: t });
  };
  const prepared = images.map((img) => preprocessScore(img, p.input).score);
  const runs = await interleavedPairs(
    () => runOn(prepared),
    async () => {
      for (const input of prepared) await runOn([input]);
    },
  );
  const scoreOf = (img: (typeof images)[number]) => preprocessScore(img, p.input).score;
  const scoring = await interleavedPairs(
    () => runOn(images.map(scoreOf)),
    async () => {
      for (const img of images) await runOn([scoreOf(img)]);
    },
  );
  await session.release();
  return { runs, scoring };
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

const pairNote = (r: PairTimes) =>
  `median of ${RUNS} interleaved pairs, both warm; ${r.batched.toFixed(1)} vs ${r.singles.toFixed(1)} ms; goal ≤ 1.1×`;

/** Node's ratios are of CPU time (immune to other processes' load); the wall-clock median is in the note. */
const nodePairNote = (r: NodePairTimes) =>
  `CPU time over ${RUNS} interleaved pairs, both warm; wall-clock median ratio ${r.ratio.toFixed(3)}× ` +
  `(${r.batched.toFixed(1)} vs ${r.singles.toFixed(1)} ms); goal ≤ 1.1×`;

export default async function cropsBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const id of PACKS) {
    const { runs, scoring } = await nodeBatchRatio(id);
    results.push(
      {
        name: `${id}: ${N} crops in one batched run / ${N} forward-only runs one by one, Node`,
        value: runs.cpuRatio,
        unit: '×',
        note: `session runs only, same inputs; ${nodePairNote(runs)}`,
      },
      {
        name: `${id}: ${N} crops preprocessed and scored batched / one by one, Node`,
        value: scoring.cpuRatio,
        unit: '×',
        note: `each crop's preprocessScore included; ${nodePairNote(scoring)}`,
      },
      {
        name: `${id}: candidates preprocessed and scored per CPU second, batched, Node`,
        value: (N * 1000) / scoring.batchedCpu,
        unit: '/s',
        note: `${((N * 1000) / scoring.batched).toFixed(1)} per wall-clock second on this (shared) machine`,
      },
    );
  }
  const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: false }));
  try {
    for (const id of PACKS) {
      const p = pack(id);
      const images = await cropInputs();
      const plane = 3 * p.input.width * p.input.height;
      const input = new Float32Array(N * plane);
      images.forEach((img, i) => input.set(preprocessScore(img, p.input).score, i * plane));
      const r = await batchInChromium(browser, await buildScoreModelForPack(p, files(id)), p.input, input, N, RUNS);
      results.push(
        {
          name: `${id}: ${N} crops in one batched run / ${N} forward-only runs one by one, Chromium WASM`,
          value: r.ratio,
          unit: '×',
          note: `session runs only, same inputs; ${pairNote(r)}`,
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

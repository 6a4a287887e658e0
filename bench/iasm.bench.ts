// IASM in Node: (forward + LayerCAM) / forward time for both fixtures, the graph build time and
// memory for a ViT-B/16-sized CLIP tower with random weights, and what weight-only int8 / 4-bit
// quantisation does to the score and the saliency map on the shared photos.
import { readdir } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { readRgba } from '../models/common/readRgba.node.ts';
import { buildClipTower, VIT_B16_CONFIG } from '../models/fixtures/clipTower.ts';
import { FIXTURES } from '../models/fixtures/index.ts';
import { buildIasmGraph } from '../models/iasm/build.ts';
import { rgbaToNchw } from '../models/iasm/preprocess.ts';
import { BACKBONE_DATA, iasmOptionsForPack } from '../models/iasm/runner.ts';
import { decodeModel, encodeModel, encodeModelSharingData, type ModelProto } from '../models/onnx/index.ts';
import type { IasmPack } from '../models/packs/iasm.ts';
import { findIasmPack } from '../models/packs/registry.ts';
import { quantizeMatMulWeights, type WeightQuantization } from '../models/vit/quantize.ts';
import type { BenchResult } from './types.ts';
import { median } from './stats.ts';
import { messageOf } from '../models/common/errors.ts';

const PHOTOS = new URL('../../shared/photos/good/', import.meta.url).pathname;
const RUNS = 30;

function pack(id: string): IasmPack {
  const p = findIasmPack(id);
  if (!p) throw new Error(`No pack ${id}`);
  return p;
}

async function sourceModel(p: IasmPack): Promise<ModelProto> {
  const files = await FIXTURES[p.id]!();
  return decodeModel(files[p.backbone]!);
}

async function photoTensors(p: IasmPack): Promise<ort.Tensor[]> {
  const names = (await readdir(PHOTOS)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const { width, height } = p.input;
  return Promise.all(
    names.map(async (name) => {
      const rgba = await readRgba(PHOTOS + name, p.input, 'fill');
      return new ort.Tensor('float32', rgbaToNchw(rgba, p.input), [1, 3, height, width]);
    }),
  );
}

/**
 * Each timed sample repeats the run for about this long: a fixture run (40–300 µs) is close to the
 * timer's resolution and to the scheduler's noise on a shared machine.
 */
const SAMPLE_MS = 5;

/**
 * Median time per run of forward alone and of the IASM graph, samples interleaved so that noise
 * hits both alike; each sample times a batch of runs (one run for large models).
 */
async function ratio(
  p: IasmPack,
  image: ort.Tensor,
  source: ModelProto,
  runs = RUNS,
): Promise<{ forward: number; iasm: number; batch: number }> {
  // One thread, as the app's workers run ONNX Runtime (and no thread-pool spinning in the timings).
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const forward = await ort.InferenceSession.create(encodeModel(source), options);
  const iasm = await ort.InferenceSession.create(encodeModel(buildIasmGraph(source, iasmOptionsForPack(p))), options);
  const feeds = { [p.input.name]: image };
  const sessions = { forward, iasm };
  const timeBatch = async (key: keyof typeof sessions, batch: number): Promise<number> => {
    const t = performance.now();
    for (let j = 0; j < batch; j++) await sessions[key].run(feeds);
    return (performance.now() - t) / batch;
  };
  const warmup = Math.min(3, runs);
  let fastest = Infinity;
  for (let i = 0; i < warmup; i++) {
    fastest = Math.min(fastest, await timeBatch('forward', 1));
    await timeBatch('iasm', 1);
  }
  const batch = Math.max(1, Math.ceil(SAMPLE_MS / fastest));
  const times = { forward: [] as number[], iasm: [] as number[] };
  for (let i = 0; i < runs; i++)
    for (const key of ['forward', 'iasm'] as const) times[key].push(await timeBatch(key, batch));
  await Promise.all([forward.release(), iasm.release()]);
  return { forward: median(times.forward), iasm: median(times.iasm), batch };
}

function pearson(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

async function runAll(model: ModelProto, p: IasmPack, images: ort.Tensor[]) {
  const session = await ort.InferenceSession.create(encodeModel(model));
  const results = [];
  for (const image of images) {
    const out = await session.run({ [p.input.name]: image });
    results.push({ score: (out.score!.data as Float32Array)[0]!, saliency: out.saliency!.data as Float32Array });
  }
  await session.release();
  return results;
}

/** Score change and saliency correlation of quantised variants against float32, over the photos. */
async function quantisation(p: IasmPack, images: ort.Tensor[]): Promise<BenchResult[]> {
  const options = iasmOptionsForPack(p);
  const reference = await runAll(buildIasmGraph(await sourceModel(p), options), p, images);
  const rows: BenchResult[] = [];
  for (const mode of ['int8', 'q4'] as WeightQuantization[]) {
    const { model, quantized } = quantizeMatMulWeights(await sourceModel(p), mode, { blockSize: 16, minElements: 512 });
    let got: Awaited<ReturnType<typeof runAll>>;
    try {
      got = await runAll(buildIasmGraph(model, options), p, images);
    } catch (err) {
      const why = messageOf(err);
      rows.push({ name: `${p.id} ${mode}: IASM graph`, value: NaN, unit: '', note: `failed: ${why}` });
      continue;
    }
    const dScore = Math.max(...got.map((r, i) => Math.abs(r.score - reference[i]!.score)));
    const r = median(got.map((g, i) => pearson(g.saliency, reference[i]!.saliency)));
    const note = `${p.id}, ${quantized} MatMul weights, ${images.length} photos`;
    rows.push({ name: `${p.id} ${mode}: max |Δscore|`, value: dScore, unit: 'score', note });
    rows.push({ name: `${p.id} ${mode}: 1 − median saliency Pearson r vs fp32`, value: 1 - r, unit: '', note });
  }
  return rows;
}

/** Build time and memory of the IASM graph for a ViT-B/16-sized tower (86M random weights). */
function vitB16Build(): BenchResult[] {
  const bytes = encodeModel(buildClipTower(VIT_B16_CONFIG));
  const source = decodeModel(bytes);
  const p = pack('laion-clip-b16');
  const options = { ...iasmOptionsForPack(p), targets: [`/vision_model/encoder/layers.10/Add_1_output_0`] };
  global.gc?.();
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const t = performance.now();
  const built = encodeModel(buildIasmGraph(source, options));
  const ms = performance.now() - t;
  const after = process.memoryUsage();
  const peakGrowth = Math.max(0, process.resourceUsage().maxRSS * 1024 - maxRssBefore);
  const size = bytes.length;
  // As the worker builds it: the backbone's weights stay in the backbone file (external data).
  const t2 = performance.now();
  const shared = encodeModelSharingData(buildIasmGraph(source, options), bytes, BACKBONE_DATA);
  const sharedMs = performance.now() - t2;
  return [
    { name: 'ViT-B/16 IASM graph build + encode', value: ms, unit: 'ms', note: `model ${(size / 1e6).toFixed(0)} MB` },
    {
      name: 'ViT-B/16 IASM graph build + encode, sharing the backbone file (as the worker does)',
      value: sharedMs,
      unit: 'ms',
      note: `${(shared.length / 1e6).toFixed(2)} MB to cache beside the ${(size / 1e6).toFixed(0)} MB backbone`,
    },
    {
      name: 'ViT-B/16 build: extra memory held / model size',
      value: (after.arrayBuffers + after.heapUsed - before.arrayBuffers - before.heapUsed) / size,
      unit: '×',
      note: `includes the ${(built.length / 1e6).toFixed(0)} MB encoded output`,
    },
    {
      name: 'ViT-B/16 build: peak RSS growth / model size',
      value: peakGrowth / size,
      unit: '×',
      note: 'process max RSS during build over max RSS before; 0 = no new peak',
    },
  ];
}

export default async function (): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const id of ['fixture-clip', 'fixture-cnn']) {
    const p = pack(id);
    const images = await photoTensors(p);
    const { forward, iasm, batch } = await ratio(p, images[0]!, await sourceModel(p));
    results.push({
      name: `${id}: (forward + LayerCAM) / forward, Node CPU`,
      value: iasm / forward,
      unit: '×',
      note: `median of ${RUNS} samples of ${batch} runs: ${iasm.toFixed(3)} ms vs ${forward.toFixed(3)} ms per run; goal ≤ 1.6×`,
    });
    // The CNN's layers are Conv and Gemm: it has no MatMul weights for weight-only quantisation.
    if (id === 'fixture-clip') results.push(...(await quantisation(p, images)));
  }
  results.push(...vitB16Build());
  // The same ratio at real size: the backward pass only spans the blocks after the target.
  const real = pack('laion-clip-b16');
  const [photo] = await photoTensors(real);
  const vit = await ratio(real, photo!, buildClipTower(VIT_B16_CONFIG), 5);
  results.push({
    name: 'ViT-B/16 random weights + LAION head: (forward + LayerCAM) / forward, Node CPU',
    value: vit.iasm / vit.forward,
    unit: '×',
    note: `median of 5: ${vit.iasm.toFixed(0)} ms vs ${vit.forward.toFixed(0)} ms; target block 11 of 12`,
  });
  return results;
}

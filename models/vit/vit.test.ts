import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import {
  addSaliencyCrossAttention,
  FUSION_METADATA_KEY,
  SALIENCY_INPUT,
  zeroFusion,
} from './saliencyCrossAttention.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { randomFusion, randomVitWeights } from './random.ts';
import { erf, referenceForward } from '../testing/vitReference.ts';
import { buildVit, inferVitConfig, vitTokens, type VitConfig } from './vit.ts';
import { Weights, type Weight } from './weights.ts';

const siglipLike: VitConfig = {
  prefix: 'model.vision_model.',
  hidden: 16,
  heads: 2,
  layers: 3,
  mlp: 24,
  patch: 4,
  channels: 3,
  grid: 3,
  cls: false,
  activation: 'gelu_tanh',
  lnEps: 1e-6,
  preNorm: false,
  postNorm: 'tokens',
};
const clipLike: VitConfig = {
  ...siglipLike,
  prefix: 'vision_model.',
  cls: true,
  activation: 'quick_gelu',
  lnEps: 1e-5,
  preNorm: true,
  postNorm: 'cls',
};

function randomArray(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

async function run(model: ModelProto, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(model));
  const out = await session.run(feeds);
  return out.last_hidden_state!.data as Float32Array;
}

function pixelsTensor(c: VitConfig, batch: number, seed: number): ort.Tensor {
  const side = c.grid * c.patch;
  return new ort.Tensor('float32', randomArray(batch * c.channels * side * side, seed), [
    batch,
    c.channels,
    side,
    side,
  ]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A copy of `fusion` with every cross-attention output projection set to zero. */
function withZeroOutput(fusion: Weights): Weights {
  const map = new Map<string, Weight>();
  for (const name of fusion.names()) {
    const w = fusion.get(name);
    map.set(name, /cross_attn\.out_proj\./.test(name) ? { data: new Float32Array(w.data.length), dims: w.dims } : w);
  }
  return new Weights(map, fusion.metadata);
}

describe('reference erf', () => {
  it('matches tabulated values', () => {
    // Abramowitz & Stegun table 7.1
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 9);
    expect(erf(1)).toBeCloseTo(0.8427007929, 9);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 9);
    expect(erf(3)).toBeCloseTo(0.9999779095, 9);
  });
});

describe('ViT graph', () => {
  for (const [label, c] of [
    ['CLIP-like', clipLike],
    ['SigLIP-like', siglipLike],
  ] as const) {
    it(`${label}: equals the float64 reference forward`, async () => {
      const w = randomVitWeights(c, 1);
      const pixels = pixelsTensor(c, 1, 2);
      const got = await run(buildVit(w, c), { pixel_values: pixels });
      const want = referenceForward(w, c, Float64Array.from(pixels.data as Float32Array)).flatMap((r) => Array.from(r));
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    });
  }

  it('infers the architecture from weight names and shapes', () => {
    const inferred = inferVitConfig(randomVitWeights(clipLike, 1), { heads: 2, activation: 'quick_gelu' });
    expect(inferred).toEqual({ ...clipLike, projection: undefined });
    const sig = inferVitConfig(randomVitWeights(siglipLike, 1), { heads: 2, activation: 'gelu_tanh' });
    expect(sig).toEqual({ ...siglipLike, projection: undefined });
  });
});

describe('IAS-ViT graph', () => {
  for (const [label, c] of [
    ['CLIP-like', clipLike],
    ['SigLIP-like', siglipLike],
  ] as const) {
    it(`${label}: random fusion on blocks 0 and 2 equals the float64 reference`, async () => {
      const w = randomVitWeights(c, 3);
      const fusion = randomFusion(c.hidden, c.grid, c.cls, [0, 2], 4, 4);
      const model = addSaliencyCrossAttention(buildVit(w, c), fusion);
      expect(model.graph.input.map((i) => i.name)).toEqual(['pixel_values', SALIENCY_INPUT]);
      expect(model.metadataProps.find((e) => e.key === FUSION_METADATA_KEY)?.value).toBe('trained');
      const pixels = pixelsTensor(c, 1, 5);
      const saliency = Float32Array.from(randomArray(c.grid * c.grid, 6), Math.abs);
      const got = await run(model, {
        pixel_values: pixels,
        [SALIENCY_INPUT]: new ort.Tensor('float32', saliency, [1, c.grid, c.grid]),
      });
      const want = referenceForward(w, c, Float64Array.from(pixels.data as Float32Array), {
        weights: fusion,
        blocks: [0, 2],
        heads: 4,
        lnEps: 1e-6,
        saliency: Float64Array.from(saliency),
      }).flatMap((r) => Array.from(r));
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
      // the saliency really changes the output
      const flat = await run(model, {
        pixel_values: pixels,
        [SALIENCY_INPUT]: new ort.Tensor('float32', new Float32Array(c.grid * c.grid), [1, c.grid, c.grid]),
      });
      expect(maxAbsDiff(got, flat)).toBeGreaterThan(1e-3);
    });

    it(`${label}: with every cross-attention output projection at zero it equals the base encoder`, async () => {
      const w = randomVitWeights(c, 7);
      const base = encodeModel(buildVit(w, c));
      const blocks = [0, 1, 2];
      const fusion = withZeroOutput(randomFusion(c.hidden, c.grid, c.cls, blocks, 8, 2));
      const ias = addSaliencyCrossAttention(decodeModel(base), fusion);
      expect(ias.metadataProps.find((e) => e.key === FUSION_METADATA_KEY)?.value).toBe('zero');
      for (const seed of [9, 10]) {
        const pixels = pixelsTensor(c, 2, seed);
        const saliency = new ort.Tensor('float32', randomArray(2 * c.grid * c.grid, seed + 1), [2, c.grid, c.grid]);
        const want = await run(decodeModel(base), { pixel_values: pixels });
        const got = await run(ias, { pixel_values: pixels, [SALIENCY_INPUT]: saliency });
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      }
    });
  }

  it('zero fusion builds an identity encoder and is marked as not trained', async () => {
    const c = siglipLike;
    const w = randomVitWeights(c, 11);
    const ias = addSaliencyCrossAttention(buildVit(w, c), zeroFusion(c.hidden, vitTokens(c), [1], c.cls), { heads: 2 });
    expect(ias.metadataProps.find((e) => e.key === FUSION_METADATA_KEY)?.value).toBe('zero');
    const pixels = pixelsTensor(c, 1, 12);
    const want = await run(buildVit(w, c), { pixel_values: pixels });
    const got = await run(ias, {
      pixel_values: pixels,
      [SALIENCY_INPUT]: new ort.Tensor('float32', randomArray(9, 13), [1, 3, 3]),
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('broadcasts one saliency map over a batch of frames', async () => {
    const c = siglipLike;
    const w = randomVitWeights(c, 14);
    const model = addSaliencyCrossAttention(buildVit(w, c), randomFusion(c.hidden, c.grid, c.cls, [1], 15, 2));
    const pixels = pixelsTensor(c, 2, 16);
    const one = new ort.Tensor('float32', randomArray(9, 17), [1, 3, 3]);
    const two = new ort.Tensor(
      'float32',
      Float32Array.from([...(one.data as Float32Array), ...(one.data as Float32Array)]),
      [2, 3, 3],
    );
    const a = await run(model, { pixel_values: pixels, [SALIENCY_INPUT]: one });
    const b = await run(model, { pixel_values: pixels, [SALIENCY_INPUT]: two });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
  });

  it('refuses fusion blocks the base does not have, and unknown graphs', () => {
    const c = siglipLike;
    const base = buildVit(randomVitWeights(c, 1), c);
    expect(() => addSaliencyCrossAttention(base, randomFusion(c.hidden, c.grid, false, [5], 1, 2))).toThrow(
      /Block 5 is not in the base/,
    );
  });
});

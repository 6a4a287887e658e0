import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import { addSaliencyCrossAttention, SALIENCY_INPUT, zeroFusion } from './saliencyCrossAttention.ts';
import { buildIdefics3VisionEncoder, IDEFICS3_CONNECTOR } from './idefics3.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { randomFusion, randomIdefics3Weights } from './random.ts';
import { referenceForward } from '../testing/vitReference.ts';
import { testSiglipTower } from '../testing/siglipTower.ts';

const c = testSiglipTower({ hidden: 16, heads: 2, layers: 2, mlp: 32 });
const R = 2;
const TEXT = 12;
const S = c.grid * c.patch;

function random(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

async function features(
  model: ModelProto,
  pixels: Float32Array,
  mask: Uint8Array,
  frames: number,
  saliency?: Float32Array,
) {
  const session = await ort.InferenceSession.create(encodeModel(model));
  const feeds: Record<string, ort.Tensor> = {
    pixel_values: new ort.Tensor('float32', pixels, [1, frames, 3, S, S]),
    pixel_attention_mask: new ort.Tensor('bool', mask, [1, frames, S, S]),
  };
  if (saliency) feeds[SALIENCY_INPUT] = new ort.Tensor('float32', saliency, [1, c.grid, c.grid]);
  const out = await session.run(feeds);
  expect(out.image_features!.dims).toEqual([frames, (c.grid / R) ** 2, TEXT]);
  return out.image_features!.data as Float32Array;
}

describe('Idefics3 / SmolVLM vision_encoder', () => {
  const w = randomIdefics3Weights(c, R, TEXT, 21);
  const pixels = random(2 * 3 * S * S, 22);
  const allValid = new Uint8Array(2 * S * S).fill(1);

  it('equals the reference tower followed by a plain pixel shuffle and projection', async () => {
    const got = await features(buildIdefics3VisionEncoder(w, c, { scaleFactor: R }), pixels, allValid, 2);
    const proj = w.get(IDEFICS3_CONNECTOR).data;
    const g = c.grid;
    const D = c.hidden;
    const width = D * R * R;
    let worst = 0;
    for (let f = 0; f < 2; f++) {
      const frame = Float64Array.from(pixels.subarray(f * 3 * S * S, (f + 1) * 3 * S * S));
      const x = referenceForward(w, c, frame);
      for (let i2 = 0; i2 < g / R; i2++)
        for (let j2 = 0; j2 < g / R; j2++) {
          const shuffled = new Float64Array(width);
          for (let a = 0; a < R; a++)
            for (let bb = 0; bb < R; bb++)
              for (let d = 0; d < D; d++) shuffled[(a * R + bb) * D + d] = x[(i2 * R + a) * g + (j2 * R + bb)]![d]!;
          const token = i2 * (g / R) + j2;
          for (let o = 0; o < TEXT; o++) {
            let acc = 0;
            for (let k = 0; k < width; k++) acc += shuffled[k]! * proj[o * width + k]!;
            worst = Math.max(worst, Math.abs(acc - got[(f * (g / R) ** 2 + token) * TEXT + o]!));
          }
        }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('ignores the content of masked patches in unmasked tokens', async () => {
    const model = buildIdefics3VisionEncoder(w, c, { scaleFactor: R });
    const mask = new Uint8Array(S * S);
    for (let y = 0; y < S; y++) for (let x = 0; x < S / 2; x++) mask[y * S + x] = 1; // left half valid
    const one = pixels.slice(0, 3 * S * S);
    const changed = one.map((v, i) => (i % S >= S / 2 ? v * -3 + 1 : v));
    const a = await features(model, one, mask, 1);
    const b = await features(model, changed, mask, 1);
    // output token (i', 0) gathers grid columns 0..1, all in the valid half
    for (let i2 = 0; i2 < c.grid / R; i2++)
      for (let o = 0; o < TEXT; o++) expect(Math.abs(a[i2 * 2 * TEXT + o]! - b[i2 * 2 * TEXT + o]!)).toBeLessThan(1e-5);
    expect(Math.abs(a[TEXT]! - b[TEXT]!)).toBeGreaterThan(1e-4);
  });

  it('keeps its inputs and output with IAS-ViT, and equals the base with zero output projections', async () => {
    const base = encodeModel(buildIdefics3VisionEncoder(w, c, { scaleFactor: R }));
    const fusion = randomFusion(c.hidden, c.grid, false, [0, 1], 23, 2);
    const trained = addSaliencyCrossAttention(decodeModel(base), fusion);
    expect(trained.graph.input.map((i) => i.name)).toEqual(['pixel_values', 'pixel_attention_mask', SALIENCY_INPUT]);
    expect(trained.graph.output.map((o) => o.name)).toEqual(['image_features']);
    const saliency = random(c.grid * c.grid, 24).map(Math.abs);
    const want = await features(decodeModel(base), pixels, allValid, 2);
    const withSaliency = await features(trained, pixels, allValid, 2, saliency);
    expect(Math.max(...withSaliency.map((v, i) => Math.abs(v - want[i]!)))).toBeGreaterThan(1e-3);
    const zero = addSaliencyCrossAttention(decodeModel(base), zeroFusion(c.hidden, c.grid * c.grid, [0, 1], false), {
      heads: 2,
    });
    const same = await features(zero, pixels, allValid, 2, saliency);
    expect(Math.max(...same.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-5);
  });
});

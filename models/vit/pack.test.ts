import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../onnx/index.ts';
import { FUSION_METADATA_KEY } from './saliencyCrossAttention.ts';
import { buildIdefics3VisionEncoder } from './idefics3.ts';
import { buildPackIasVisionEncoder, saliencyFrames, UntrainedFusionError, WHOLE_FRAME } from './pack.ts';
import { randomFusion, randomIdefics3Weights } from './random.ts';
import { Weights, weightsToSafetensors } from './weights.ts';
import { decodeModel } from '../onnx/decodeModel.ts';
import { testSiglipTower } from '../testing/siglipTower.ts';

const c = testSiglipTower({ hidden: 32, heads: 2, layers: 2, mlp: 64 });
const S = c.grid * c.patch;

describe('saliencyFrames', () => {
  // 4×4 map, values 0..15 row-major: min-max normalised they are v / 15.
  const map = { data: Float32Array.from({ length: 16 }, (_, i) => i), width: 4, height: 4 };

  it('area-averages the whole photo onto the grid', () => {
    const { data, dims } = saliencyFrames(map, [WHOLE_FRAME], [2, 2]);
    expect(dims).toEqual([1, 2, 2]);
    // top-left block {0, 1, 4, 5} → mean 2.5; top-right {2, 3, 6, 7} → 4.5; …
    expect(Array.from(data).map((v) => v * 15)).toEqual([2.5, 4.5, 10.5, 12.5].map((v) => expect.closeTo(v, 5)));
  });

  it('lays out crops after the whole photo, normalised over the whole photo', () => {
    const { data, dims } = saliencyFrames(map, [WHOLE_FRAME, { x: 0.5, y: 0.5, width: 0.5, height: 0.5 }], [2, 2]);
    expect(dims).toEqual([2, 2, 2]);
    expect(Array.from(data.subarray(4)).map((v) => v * 15)).toEqual([10, 11, 14, 15].map((v) => expect.closeTo(v, 5)));
  });

  it("gives a letterboxed frame's padding the lowest saliency, not the photo's edge", () => {
    // The photo fills the middle half of the frame's width: the outer cells are padding.
    const { data } = saliencyFrames(map, [{ x: -0.5, y: 0, width: 2, height: 1 }], [1, 4]);
    // Cell 1 covers columns 0 and 1 ({0,1,4,5,8,9,12,13}, mean 6.5), cell 2 columns 2 and 3 (mean 8.5).
    expect(Array.from(data).map((v) => v * 15)).toEqual([0, 6.5, 8.5, 0].map((v) => expect.closeTo(v, 5)));
    // A cell straddling the edge averages the photo's part with padding at the lowest value.
    const half = saliencyFrames(map, [{ x: -0.25, y: 0, width: 1.5, height: 1 }], [1, 2]);
    // Cell 0 spans map x ∈ [−1, 2): a padding column (4 pixels at 0) and columns 0 and 1 (8 pixels), over 12.
    expect(half.data[0]! * 15).toBeCloseTo((0 + 1 + 4 + 5 + 8 + 9 + 12 + 13) / 12, 5);
  });

  it('upsamples a map smaller than the grid by nearest pixel', () => {
    const { data } = saliencyFrames({ data: Float32Array.of(0, 1), width: 2, height: 1 }, [WHOLE_FRAME], [1, 4]);
    expect(Array.from(data)).toEqual([0, 0, 1, 1]);
  });
});

describe('buildPackIasVisionEncoder', () => {
  const base = encodeModel(buildIdefics3VisionEncoder(randomIdefics3Weights(c, 2, 8, 41), c, { scaleFactor: 2 }));

  it('refuses untrained (zero) fusion weights', () => {
    // as a PyTorch model would be saved straight after zero-initialising its output projections
    const random = randomFusion(c.hidden, c.grid, false, [0, 1], 43, 2);
    const map = new Map(random.names().map((n) => [n, random.get(n)]));
    for (const [n, w] of map)
      if (n.includes('.out_proj.')) map.set(n, { data: new Float32Array(w.data.length), dims: w.dims });
    const zero = weightsToSafetensors(new Weights(map, random.metadata));
    expect(() => buildPackIasVisionEncoder(base, zero)).toThrow(UntrainedFusionError);
  });

  it('builds a trained, optionally quantised encoder fed by saliencyFrames', async () => {
    const fusion = weightsToSafetensors(randomFusion(c.hidden, c.grid, false, [0, 1], 42, 2));
    for (const quantize of [undefined, 'int8', 'q4'] as const) {
      const enc = buildPackIasVisionEncoder(base, fusion, { quantize });
      expect(enc.grid).toEqual([c.grid, c.grid]);
      expect(decodeModel(enc.bytes).metadataProps.find((e) => e.key === FUSION_METADATA_KEY)?.value).toBe('trained');
      const session = await ort.InferenceSession.create(enc.bytes);
      expect(session.inputNames).toEqual(['pixel_values', 'pixel_attention_mask', 'saliency']);
      const map = { data: Float32Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i)), width: 64, height: 48 };
      const sal = saliencyFrames(map, [WHOLE_FRAME, { x: 0.25, y: 0.25, width: 0.5, height: 0.5 }], enc.grid);
      const out = await session.run({
        pixel_values: new ort.Tensor('float32', new Float32Array(2 * 3 * S * S).fill(0.2), [1, 2, 3, S, S]),
        pixel_attention_mask: new ort.Tensor('bool', new Uint8Array(2 * S * S).fill(1), [1, 2, S, S]),
        saliency: new ort.Tensor('float32', sal.data, sal.dims),
      });
      expect(out.image_features!.dims).toEqual([2, 4, 8]);
      // identical pixels in both frames, different saliency → different features
      const f = out.image_features!.data as Float32Array;
      expect(Math.max(...f.subarray(0, 32).map((v, i) => Math.abs(v - f[32 + i]!)))).toBeGreaterThan(1e-4);
    }
  });
});

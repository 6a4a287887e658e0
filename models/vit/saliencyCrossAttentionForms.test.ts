// IAS-ViT on an export whose layer norms are spelled out (opset 14, as Xenova's CLIP towers).
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import { upgradeOpset } from '../onnx/opset.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { addSaliencyCrossAttention, locateBlocks, SALIENCY_INPUT, zeroFusion } from './saliencyCrossAttention.ts';
import { Weights } from './weights.ts';

async function embeds(model: ModelProto, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  const out = (await s.run(feeds)).image_embeds!.data as Float32Array;
  await s.release();
  return out;
}

describe('IAS-ViT on a spelled-out LayerNorm export', () => {
  it('finds the blocks and inserts the cross-attention in front of layer_norm2', async () => {
    const bytes = (await FIXTURES['fixture-clip-opset14']!())['onnx/vision_model.onnx']!;
    const base = upgradeOpset(decodeModel(bytes));
    const blocks = locateBlocks(base);
    expect(blocks.map((b) => [b.index, b.hidden, b.norm2.name, b.width])).toEqual(
      [0, 1, 2].map((i) => [
        i,
        `/vision_model/encoder/layers.${i}/Add_output_0`,
        `/vision_model/encoder/layers.${i}/layer_norm2/ReduceMean`,
        32,
      ]),
    );
    const r = mulberry32(3);
    const pixels = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 224 * 224 }, () => r() - 0.5),
      [1, 3, 224, 224],
    );
    const saliency = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 196 }, () => r()),
      [1, 14, 14],
    );
    const want = await embeds(base, { pixel_values: pixels });

    const zero = addSaliencyCrossAttention(upgradeOpset(decodeModel(bytes)), zeroFusion(32, 197, [0, 1, 2], true), {
      heads: 2,
    });
    const same = await embeds(zero, { pixel_values: pixels, [SALIENCY_INPUT]: saliency });
    same.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));

    // Non-zero fusion weights change the output: the sub-layer really sits on the residual stream.
    const fusion = zeroFusion(32, 197, [1], true);
    const trained = new Weights(
      new Map(
        fusion.names().map((n) => {
          const w = fusion.get(n);
          const data = n.includes('cross_attn') ? Float32Array.from(w.data, () => r() - 0.5) : w.data;
          return [n, { data, dims: w.dims }];
        }),
      ),
    );
    const fused = addSaliencyCrossAttention(upgradeOpset(decodeModel(bytes)), trained, { heads: 2 });
    const changed = await embeds(fused, { pixel_values: pixels, [SALIENCY_INPUT]: saliency });
    expect(Math.max(...changed.map((v, i) => Math.abs(v - want[i]!)))).toBeGreaterThan(1e-3);
  });
});

import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { hasIntegerOps, integerOpsToFloat } from './integerToFloat.ts';
import type { ModelProto } from './modelProto.ts';
import { decodeModel } from './decodeModel.ts';
import { encodeModel } from './encodeModel.ts';
import { upgradeOpset } from './opset.ts';
import { webGpuFallbackNodes } from './webgpuKernels.ts';

async function embeds(model: ModelProto, pixels: Float32Array): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'disabled' });
  const out = await s.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) });
  await s.release();
  return out.image_embeds!.data as Float32Array;
}

describe('integerOpsToFloat', () => {
  it('turns the 8-bit CLIP export into WebGPU ops that compute what its integer kernels compute', async () => {
    const bytes = (await FIXTURES['fixture-clip-q8']!())['onnx/vision_model_quantized.onnx']!;
    const quantized = decodeModel(bytes);
    const fallbacks = webGpuFallbackNodes(quantized).map((n) => n.opType);
    expect(new Set(fallbacks)).toEqual(new Set(['DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger']));
    const rewritten = upgradeOpset(decodeModel(bytes));
    expect(integerOpsToFloat(rewritten)).toBe(fallbacks.length);
    expect(hasIntegerOps(rewritten)).toBe(false);
    expect(webGpuFallbackNodes(rewritten)).toEqual([]);
    const r = mulberry32(5);
    const pixels = Float32Array.from({ length: 3 * 224 * 224 }, () => r() * 4 - 2);
    const [want, got] = [await embeds(quantized, pixels), await embeds(rewritten, pixels)];
    const scale = Math.max(...Array.from(want, Math.abs));
    let worst = 0;
    want.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got[i]!))));
    expect(worst / scale).toBeLessThan(1e-4);
  });
});

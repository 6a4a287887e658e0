import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DataType, decodeModel, encodeModel, GraphBuilder, type ModelProto } from '../onnx/index.ts';
import { addSaliencyCrossAttention } from './saliencyCrossAttention.ts';
import { quantizeMatMulWeights } from './quantize.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { randomFusion, randomVitWeights } from './random.ts';
import { buildVit } from './vit.ts';
import { testSiglipTower } from '../testing/siglipTower.ts';

function random(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

/**
 * `optimize: false` keeps ORT from fusing DequantizeLinear → MatMul into MatMulIntegerToFloat,
 * which also quantises the activations to 8 bits (the graph's own semantics are weight-only).
 */
async function runOne(
  model: ModelProto,
  feeds: Record<string, ort.Tensor>,
  output: string,
  optimize = true,
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(
    encodeModel(model),
    optimize ? {} : { graphOptimizationLevel: 'disabled' },
  );
  return (await session.run(feeds))[output]!.data as Float32Array;
}

describe('weight-only quantisation', () => {
  // One MatMul; the oracle is x·Ŵ in float64 with Ŵ dequantised by hand from the format's definition.
  const K = 40; // not a multiple of the block size: exercises K padding
  const N = 24;
  const w = random(K * N, 1);
  const x = random(3 * K, 2);
  function single(): ModelProto {
    const b = new GraphBuilder();
    const inp = b.input('x', DataType.FLOAT, [3, K]);
    b.op('MatMul', [inp, b.constant(w, [K, N], { name: 'w' })], {}, { output: 'y' });
    b.output('y');
    return b.toModel();
  }
  const matmul = (wq: (k: number, n: number) => number) =>
    Array.from({ length: 3 * N }, (_, i) => {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += x[Math.floor(i / N) * K + k]! * wq(k, i % N);
      return acc;
    });

  it('int8: ORT computes x · (q · column scale)', async () => {
    const { model, quantized } = quantizeMatMulWeights(single(), 'int8', { minElements: 1 });
    expect(quantized).toBe(1);
    const q = model.graph.initializer.find((t) => t.dataType === DataType.INT8 && t.dims.length === 2)!;
    const scales = model.graph.initializer.find((t) => t.dims[0] === N && t.dataType === DataType.FLOAT)!;
    const qv = new Int8Array(q.rawData!.slice().buffer);
    const sv = new Float32Array(scales.rawData!.slice().buffer);
    const got = await runOne(model, { x: new ort.Tensor('float32', x, [3, K]) }, 'y', false);
    const want = matmul((k, n) => qv[k * N + n]! * sv[n]!);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4));
    // and the quantised weights are close to the originals: |error| ≤ scale / 2
    for (let k = 0; k < K; k++)
      for (let n = 0; n < N; n++)
        expect(Math.abs(qv[k * N + n]! * sv[n]! - w[k * N + n]!)).toBeLessThanOrEqual(sv[n]! / 2 + 1e-7);
  });

  it('q4: ORT MatMulNBits reads the packing as (nibble − 8) · block scale', async () => {
    const bs = 16;
    const { model } = quantizeMatMulWeights(single(), 'q4', { minElements: 1, blockSize: bs });
    const node = model.graph.node.find((n) => n.opType === 'MatMulNBits')!;
    const packed = model.graph.initializer.find((t) => t.name === node.input[1])!.rawData!;
    const scales = new Float32Array(
      model.graph.initializer.find((t) => t.name === node.input[2])!.rawData!.slice().buffer,
    );
    const kBlocks = Math.ceil(K / bs);
    const nibble = (k: number, n: number) => {
      const byte = packed[(n * kBlocks + Math.floor(k / bs)) * (bs / 2) + ((k % bs) >> 1)]!;
      return (k % 2 === 0 ? byte & 15 : byte >> 4) - 8;
    };
    const got = await runOne(model, { x: new ort.Tensor('float32', x, [3, K]) }, 'y');
    const want = matmul((k, n) => nibble(k, n) * scales[n * kBlocks + Math.floor(k / bs)]!);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4));
    for (let k = 0; k < K; k++)
      for (let n = 0; n < N; n++) {
        const scale = scales[n * kBlocks + Math.floor(k / bs)]!;
        expect(Math.abs(nibble(k, n) * scale - w[k * N + n]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
  });

  it('quantised IAS-ViT stays close to fp32 (deltas printed)', async () => {
    const c = testSiglipTower({ hidden: 64, heads: 4, layers: 4, mlp: 256 });
    const base = encodeModel(
      addSaliencyCrossAttention(buildVit(randomVitWeights(c, 3), c), randomFusion(64, 4, false, [0, 1, 2, 3], 4, 4)),
    );
    const S = c.grid * c.patch;
    const feeds = {
      pixel_values: new ort.Tensor('float32', random(3 * S * S, 5), [1, 3, S, S]),
      saliency: new ort.Tensor('float32', random(16, 6).map(Math.abs), [1, 4, 4]),
    };
    const ref = await runOne(decodeModel(base), feeds, 'last_hidden_state');
    const rms = Math.sqrt(ref.reduce((a, v) => a + v * v, 0) / ref.length);
    const report: Record<string, number> = {};
    for (const [label, mode, optimize] of [
      ['int8', 'int8', false],
      ['int8 (ORT-fused)', 'int8', true],
      ['q4', 'q4', true],
    ] as const) {
      const { model, quantized } = quantizeMatMulWeights(decodeModel(base), mode);
      // per block: self qkv, out, fc1, fc2; cross kv, out, and the q_proj weight of the closed-form queries
      expect(quantized).toBe(7 * 4);
      const got = await runOne(model, feeds, 'last_hidden_state', optimize);
      report[label] = Math.sqrt(got.reduce((a, v, i) => a + (v - ref[i]!) ** 2, 0) / got.length) / rms;
    }
    console.log(
      `IAS-ViT (D=64, 4 blocks) relative RMS error vs fp32: ${Object.entries(report)
        .map(([k, v]) => `${k} ${v.toExponential(2)}`)
        .join(', ')}`,
    );
    expect(report.int8!).toBeLessThan(0.01);
    expect(report['int8 (ORT-fused)']!).toBeLessThan(0.03);
    expect(report.q4!).toBeLessThan(0.2);
    expect(report.q4!).toBeGreaterThan(report.int8!);
  });
});

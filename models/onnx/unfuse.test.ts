import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { appendGradients } from './autodiff.ts';
import { GraphBuilder, float } from './builder.ts';
import { decodeModel } from './decodeModel.ts';
import { encodeModel } from './encodeModel.ts';
import { setOutputs } from './graph.ts';
import { DataType, type ModelProto } from './modelProto.ts';
import { unfuseTransformerOps } from './unfuse.ts';

interface Case {
  name: string;
  /** Float inputs (differentiated) and their shapes. */
  inputs: Record<string, number[]>;
  /** Integer inputs (int64 unless int32), fixed. */
  ints?: Record<string, { data: number[]; dims: number[]; int32?: boolean }>;
  build(b: GraphBuilder): string[];
}

const r = mulberry32(17);
const rand = (dims: number[]) => Float32Array.from({ length: dims.reduce((a, c) => a * c, 1) }, () => 2 * r() - 1);

/** The fused graph; its outputs are combined into y = Σ rᵢ ⊙ outᵢ for the gradient check. */
function fusedModel(c: Case): { model: ModelProto; outputs: string[] } {
  const b = new GraphBuilder(undefined, { opset: 17 });
  b.opsetImport.push({ domain: 'com.microsoft', version: 1 });
  for (const [name, dims] of Object.entries(c.inputs)) b.input(name, DataType.FLOAT, dims);
  for (const [name, t] of Object.entries(c.ints ?? {}))
    b.input(name, t.int32 ? DataType.INT32 : DataType.INT64, t.dims);
  const outputs = c.build(b);
  for (const o of outputs) b.output(o);
  return { model: b.toModel(), outputs };
}

function feeds(c: Case, values: Record<string, Float32Array>): Record<string, ort.Tensor> {
  const f: Record<string, ort.Tensor> = {};
  for (const [name, dims] of Object.entries(c.inputs)) f[name] = new ort.Tensor('float32', values[name]!, dims);
  for (const [name, t] of Object.entries(c.ints ?? {}))
    f[name] = t.int32
      ? new ort.Tensor('int32', Int32Array.from(t.data), t.dims)
      : new ort.Tensor('int64', BigInt64Array.from(t.data, BigInt), t.dims);
  return f;
}

const run = async (m: ModelProto, f: Record<string, ort.Tensor>) => {
  const s = await ort.InferenceSession.create(encodeModel(m), { graphOptimizationLevel: 'disabled' });
  const out = await s.run(f);
  await s.release();
  return out;
};

async function check(c: Case): Promise<void> {
  const { model, outputs } = fusedModel(c);
  const values = Object.fromEntries(Object.entries(c.inputs).map(([n, d]) => [n, rand(d)]));
  const fused = await run(model, feeds(c, values));
  const plain = decodeModel(encodeModel(model));
  expect(unfuseTransformerOps(plain)).toBe(1);
  expect(plain.graph.node.some((n) => n.domain === 'com.microsoft' || n.opType.includes('Simplified'))).toBe(false);
  const unfused = await run(plain, feeds(c, values));
  for (const o of outputs) {
    const a = fused[o]!.data as Float32Array;
    const u = unfused[o]!.data as Float32Array;
    expect([...unfused[o]!.dims], o).toEqual([...fused[o]!.dims]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - u[i]!), `${c.name} ${o}[${i}]`).toBeLessThan(1e-5);
  }

  // Gradient of the unfused graph (our autodiff) against central differences of ORT's fused kernel.
  const weights = outputs.map((o) => rand([...fused[o]!.dims]));
  // The weights are inputs of free shape: ORT's shape inference gives GQA's present outputs the
  // cache's static length, which a constant of the run's shape would contradict.
  const withY = (m: ModelProto) => {
    const b = new GraphBuilder(m);
    const terms = outputs.map((o, k) => {
      const w = b.input(
        `weight_${k}`,
        DataType.FLOAT,
        fused[o]!.dims.map((_, d) => `w${k}_${d}`),
      );
      return b.op('ReduceSum', [b.op('Mul', [o, w])], { keepdims: 0 });
    });
    const y = terms.reduce((acc, t) => b.op('Add', [acc, t]));
    setOutputs(m.graph, [y]);
    return y;
  };
  const weightFeeds = Object.fromEntries(
    outputs.map((o, k) => [`weight_${k}`, new ort.Tensor('float32', weights[k]!, [...fused[o]!.dims])]),
  );
  const y = withY(plain);
  const wrt = Object.keys(c.inputs);
  const grads = appendGradients(plain, { y, wrt });
  setOutputs(plain.graph, [y, ...wrt.map((x) => grads[x]!)]);
  const analytic = await run(plain, { ...feeds(c, values), ...weightFeeds });
  const probe = decodeModel(encodeModel(model));
  const yFused = withY(probe);
  const h = 1e-2;
  for (const x of wrt) {
    const dir = rand(c.inputs[x]!);
    const at = async (sign: number) => {
      const moved = { ...values, [x]: values[x]!.map((v, i) => v + sign * h * dir[i]!) };
      return ((await run(probe, { ...feeds(c, moved), ...weightFeeds }))[yFused]!.data as Float32Array)[0]!;
    };
    const fd = ((await at(1)) - (await at(-1))) / (2 * h);
    const g = analytic[grads[x]!]!.data as Float32Array;
    const dot = g.reduce((a, v, i) => a + v * dir[i]!, 0);
    expect(Math.abs(dot - fd), `${c.name} d/d${x}: autodiff ${dot}, finite differences ${fd}`).toBeLessThan(
      2e-3 + 1e-2 * Math.abs(fd),
    );
  }
}

describe('unfuseTransformerOps: fused ops as plain ops, equal to ORT kernels, differentiable', () => {
  it('SimplifiedLayerNormalization (RMSNorm)', () =>
    check({
      name: 'SimplifiedLayerNormalization',
      inputs: { x: [2, 3, 8], scale: [8] },
      build: (b) => [
        b.op('SimplifiedLayerNormalization', ['x', 'scale'], { axis: -1, epsilon: float(1e-5), stash_type: 1 }),
      ],
    }));

  it('SkipSimplifiedLayerNormalization (residual sum + RMSNorm, both outputs)', () =>
    check({
      name: 'SkipSimplifiedLayerNormalization',
      inputs: { x: [2, 3, 8], skip: [2, 3, 8], gamma: [8] },
      build: (b) => {
        const [out, , , sum] = b.node(
          'SkipSimplifiedLayerNormalization',
          ['x', 'skip', 'gamma'],
          { epsilon: float(1e-5) },
          {
            domain: 'com.microsoft',
            outputs: ['out', '', '', 'sum'],
          },
        );
        return [out!, sum!];
      },
    }));

  it('RotaryEmbedding (rotate-half, 3-D input, cos/sin caches gathered by position_ids)', () =>
    check({
      name: 'RotaryEmbedding',
      inputs: { x: [1, 4, 2 * 8] },
      ints: { position_ids: { data: [3, 0, 5, 1], dims: [1, 4] } },
      build: (b) => {
        const cos = new Float32Array(8 * 4);
        const sin = new Float32Array(8 * 4);
        for (let p = 0; p < 8; p++)
          for (let i = 0; i < 4; i++) {
            cos[p * 4 + i] = Math.cos(p / 10000 ** (i / 4));
            sin[p * 4 + i] = Math.sin(p / 10000 ** (i / 4));
          }
        return [
          b.op(
            'RotaryEmbedding',
            ['x', 'position_ids', b.constant(cos, [8, 4]), b.constant(sin, [8, 4])],
            { interleaved: 0, num_heads: 2 },
            {
              domain: 'com.microsoft',
            },
          ),
        ];
      },
    }));

  for (const past of [0, 2])
    it(`GroupQueryAttention (4 query heads on 2 key/value heads, cache of ${past})`, () =>
      check({
        name: `GroupQueryAttention past ${past}`,
        inputs: {
          q: [1, 3, 4 * 8],
          k: [1, 3, 2 * 8],
          v: [1, 3, 2 * 8],
          past_key: [1, 2, past, 8],
          past_value: [1, 2, past, 8],
        },
        ints: {
          seqlens_k: { data: [past + 3 - 1], dims: [1], int32: true },
          total_sequence_length: { data: [past + 3], dims: [], int32: true },
        },
        build: (b) =>
          b.node(
            'GroupQueryAttention',
            ['q', 'k', 'v', 'past_key', 'past_value', 'seqlens_k', 'total_sequence_length'],
            { num_heads: 4, kv_num_heads: 2 },
            {
              domain: 'com.microsoft',
              outputs: ['attn', 'present_key', 'present_value'],
            },
          ),
      }));
});

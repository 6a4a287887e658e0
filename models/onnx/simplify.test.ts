import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { DataType, decodeModel, encodeModel, GraphBuilder, type ModelProto } from './index.ts';
import { simplifyEmitted } from './simplify.ts';

const random = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
};

async function run(model: ModelProto, feeds: Record<string, Float32Array>, dims: Record<string, number[]>) {
  const session = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'disabled' });
  const tensors = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v, dims[k])]));
  const out = await session.run(tensors);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
}

/**
 * What a backward pass emits for a spatial mean followed by LayerCAM-style weighting:
 * Gemm → Unsqueeze → ×¼ → Expand → Relu → ⊙ A, then two reshapes in a row and one that changes nothing.
 */
function backwardLike(): { model: ModelProto; frozen: Set<ModelProto['graph']['node'][number]> } {
  const b = new GraphBuilder(undefined, { opset: 17 });
  const x = b.input('x', DataType.FLOAT, [1, 8]);
  const a = b.input('a', DataType.FLOAT, [1, 6, 3, 3]);
  const forward = b.op('Relu', [a]);
  const frozen = new Set(b.graph.node);
  const g = b.op('Gemm', [x, b.constant(random(48, 1), [6, 8])], { transB: 1 });
  const scaled = b.op('Mul', [b.op('Unsqueeze', [g, b.ints([2, 3])]), b.scalar(0.25)]);
  const weights = b.op('Relu', [b.op('Expand', [scaled, b.ints([1, 6, 3, 3])])]);
  const weighted = b.op('Mul', [weights, forward]);
  const flat = b.op('Reshape', [b.op('Reshape', [weighted, b.ints([1, 54])]), b.ints([6, 9])]);
  b.op('Reshape', [flat, b.ints([6, 9])], {}, { output: 'out' });
  b.output('out', DataType.FLOAT, [6, 9]);
  return { model: b.toModel(), frozen };
}

describe('simplifyEmitted', () => {
  it('drops Expand, folds the scale into Gemm and shortens reshapes, with the same outputs', async () => {
    const { model, frozen } = backwardLike();
    const original = decodeModel(encodeModel(model));
    expect(simplifyEmitted(model, frozen)).toBeGreaterThan(0);
    const ops = model.graph.node.map((n) => n.opType);
    expect(ops).toEqual(['Relu', 'Gemm', 'Unsqueeze', 'Relu', 'Mul', 'Reshape']);
    const feeds = { x: random(8, 2), a: random(54, 3) };
    const dims = { x: [1, 8], a: [1, 6, 3, 3] };
    const [want, got] = [await run(original, feeds, dims), await run(model, feeds, dims)];
    expect(got.out!.length).toBe(54);
    got.out!.forEach((v, i) => expect(v).toBeCloseTo(want.out![i]!, 6));
  });

  it('keeps an Expand whose consumer would not broadcast to its shape, and never touches frozen nodes', () => {
    const b = new GraphBuilder(undefined, { opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 6, 1, 1]);
    const frozenExpand = b.op('Expand', [x, b.ints([1, 6, 2, 2])]);
    const frozen = new Set(b.graph.node);
    const grown = b.op('Expand', [x, b.ints([1, 6, 2, 2])]);
    b.op('Add', [b.op('Mul', [grown, b.scalar(2)]), frozenExpand], {}, { output: 'out' });
    b.output('out', DataType.FLOAT, [1, 6, 2, 2]);
    const model = b.toModel();
    simplifyEmitted(model, frozen);
    // Mul by a scalar would be [1, 6, 1, 1] without the Expand: it stays; so does the frozen one.
    expect(model.graph.node.map((n) => n.opType)).toEqual(['Expand', 'Expand', 'Mul', 'Add']);
  });
});

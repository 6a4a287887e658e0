import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DataType, encodeModel, GraphBuilder, type Dim, type ModelProto } from './index.ts';
import { annotateShapes, foldShapeArithmetic, inferShapes } from './shapes.ts';
import { removeDeadNodes } from './graph.ts';
import { divDims, mulDims } from './dims.ts';

/** An attention-style reshape fed by dynamic shape arithmetic, as HF optimum exports it. */
function attentionReshape(): ModelProto {
  const b = new GraphBuilder(undefined, { opset: 17 });
  const x = b.input('x', DataType.FLOAT, ['batch', 5, 8]);
  const shape = b.op('Shape', [x]);
  const batch = b.op('Gather', [shape, b.constant(BigInt64Array.of(0n), [])], { axis: 0 });
  const batchVec = b.op('Unsqueeze', [batch, b.ints([0])]);
  const target = b.op('Concat', [batchVec, b.ints([-1]), b.ints([2]), b.ints([4])], { axis: 0 });
  const heads = b.op('Reshape', [x, target], {}, { output: 'heads' });
  const t = b.op('Transpose', [heads], { perm: [0, 2, 1, 3] }, { output: 'transposed' });
  const scores = b.op('MatMul', [t, b.op('Transpose', [t], { perm: [0, 1, 3, 2] })], {}, { output: 'scores' });
  const cls = b.op('Slice', [x, b.ints([0]), b.ints([1]), b.ints([1])], {}, { output: 'cls' });
  const flat = b.op('Flatten', [cls], { axis: 1 }, { output: 'flat' });
  const sum = b.op('ReduceSum', [scores, b.ints([-1])], { keepdims: 0 }, { output: 'sum' });
  b.output(sum);
  b.output(flat);
  b.output('transposed');
  return b.toModel();
}

function smallCnn(): ModelProto {
  const b = new GraphBuilder(undefined, { opset: 17 });
  const x = b.input('x', DataType.FLOAT, ['n', 3, 11, 9]);
  const w = b.constant(new Float32Array(6 * 3 * 3 * 3), [6, 3, 3, 3]);
  const c = b.op('Conv', [x, w], { strides: [2, 2], pads: [1, 0, 1, 0] }, { output: 'conv' });
  const dw = b.constant(new Float32Array(6 * 1 * 3 * 3), [6, 1, 3, 3]);
  const d = b.op('Conv', [c, dw], { group: 6, strides: [1, 2], auto_pad: 'SAME_UPPER' }, { output: 'depthwise' });
  const p = b.op('MaxPool', [d], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, { output: 'pool' });
  const a = b.op('AveragePool', [d], { kernel_shape: [3, 2], pads: [1, 1, 1, 1] }, { output: 'avg' });
  const gap = b.op('GlobalAveragePool', [p], {}, { output: 'gap' });
  const split = b.node('Split', [a, b.ints([2, 4])], { axis: 1 }, { outputs: ['s0', 's1'] });
  b.output(gap);
  b.output(split[1]!);
  b.output('conv');
  b.output('pool');
  b.output('avg');
  return b.toModel();
}

function concrete(shape: Dim[] | undefined, symbols: Record<string, number>): number[] {
  if (!shape) throw new Error('shape not inferred');
  return shape.map((d) => {
    if (typeof d === 'number') return d;
    // products of symbols and integers, e.g. "batch*5"
    return d.split('*').reduce((p, f) => p * (/^\d+$/.test(f) ? Number(f) : symbols[f]!), 1);
  });
}

async function runShapes(model: ModelProto, feeds: Record<string, ort.Tensor>): Promise<Record<string, number[]>> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  const out = await s.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v.dims]]));
}

describe('shape inference', () => {
  it('keeps symbolic dims and folds shape arithmetic (matches onnxruntime)', async () => {
    const m = attentionReshape();
    const info = inferShapes(m);
    expect(info.get('heads')!.shape).toEqual(['batch', 5, 2, 4]);
    expect(info.get('scores')!.shape).toEqual(['batch', 2, 5, 5]);
    expect(info.get('flat')!.shape).toEqual(['batch', 8]);
    const actual = await runShapes(m, { x: new ort.Tensor('float32', new Float32Array(3 * 40), [3, 5, 8]) });
    for (const name of ['sum', 'flat', 'transposed'])
      expect(concrete(info.get(name)!.shape, { batch: 3 })).toEqual(actual[name]);
  });

  it('infers conv and pooling geometry (strides, pads, SAME, ceil mode, split)', async () => {
    const m = smallCnn();
    const info = inferShapes(m);
    const actual = await runShapes(m, {
      x: new ort.Tensor('float32', new Float32Array(2 * 3 * 11 * 9), [2, 3, 11, 9]),
    });
    for (const name of ['gap', 's1', 'conv', 'pool', 'avg'])
      expect(concrete(info.get(name)!.shape, { n: 2 }), name).toEqual(actual[name]);
  });

  it('folds static shape arithmetic into initializers and the model still runs', async () => {
    const b = new GraphBuilder(undefined, { opset: 17 });
    const x = b.input('x', DataType.FLOAT, [2, 6]);
    const shape = b.op('Shape', [x]);
    const last = b.op('Gather', [shape, b.ints([1])], { axis: 0 });
    const half = b.op('Div', [last, b.ints([2])]);
    const target = b.op('Concat', [b.ints([-1]), half], { axis: 0 });
    const y = b.op('Reshape', [x, target], {}, { output: 'y' });
    b.output(y);
    const m = b.toModel();
    expect(foldShapeArithmetic(m)).toBe(4);
    removeDeadNodes(m.graph);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Reshape']);
    annotateShapes(m);
    const actual = await runShapes(m, { x: new ort.Tensor('float32', new Float32Array(12), [2, 6]) });
    expect(actual.y).toEqual([4, 3]);
    expect(inferShapes(m).get('y')!.shape).toEqual([4, 3]);
  });

  it('infers the integer forms of an 8-bit export (ConvInteger, MatMulInteger) as onnxruntime runs them', async () => {
    const b = new GraphBuilder(undefined, { opset: 11 });
    const x = b.input('x', DataType.FLOAT, ['n', 3, 32, 32]);
    const [q, , zp] = b.node('DynamicQuantizeLinear', [x], {}, { outputs: ['q', 'qs', 'qz'] });
    const w = b.constant(new Uint8Array(8 * 3 * 16 * 16), [8, 3, 16, 16]);
    const conv = b.op(
      'ConvInteger',
      [q!, w, zp!, b.constant(Uint8Array.of(3), [])],
      { strides: [16, 16] },
      { output: 'conv' },
    );
    const flat = b.op('Reshape', [b.op('Cast', [conv], { to: DataType.FLOAT }), b.ints([0, 8, -1])]);
    const [fq, , fz] = b.node('DynamicQuantizeLinear', [flat], {}, { outputs: ['fq', 'fs', 'fz'] });
    const mm = b.op('MatMulInteger', [fq!, b.constant(new Uint8Array(4 * 5), [4, 5]), fz!], {}, { output: 'mm' });
    b.output(conv, DataType.INT32);
    b.output(mm, DataType.INT32);
    const m = b.toModel();
    const info = inferShapes(m);
    expect(info.get('conv')!.elemType).toBe(DataType.INT32);
    expect(info.get('mm')!.elemType).toBe(DataType.INT32);
    const actual = await runShapes(m, {
      x: new ort.Tensor('float32', new Float32Array(2 * 3 * 32 * 32), [2, 3, 32, 32]),
    });
    for (const name of ['conv', 'mm']) expect(concrete(info.get(name)!.shape, { n: 2 }), name).toEqual(actual[name]);
  });

  it('multiplies and divides symbolic dims', () => {
    expect(mulDims('b', 197)).toBe('197*b');
    expect(divDims(mulDims('b', 197), 197)).toBe('b');
    expect(divDims(mulDims(mulDims('b', 'h'), 12), mulDims('h', 4))).toBe('3*b');
    expect(String(divDims('b', 'h'))).toMatch(/^unk__/);
  });
});

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import {
  DataType,
  decodeModel,
  encodeModel,
  GraphBuilder,
  float,
  tensorToArray,
  tensorToFloat32,
  floatToHalf,
  halfToFloat,
} from './index.ts';

function tinyModel() {
  const b = new GraphBuilder();
  const x = b.input('x', DataType.FLOAT, ['batch', 3]);
  const w = b.constant(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2], { name: 'w' });
  const y = b.op('MatMul', [x, w]);
  const z = b.op('LeakyRelu', [y], { alpha: float(0.5) }, { output: 'z' });
  const ends = b.ints([Infinity]);
  const sliced = b.op('Slice', [z, b.ints([0]), ends, b.ints([1])], {}, { output: 'sliced' });
  b.output(z, DataType.FLOAT, ['batch', 2]);
  b.output(sliced);
  return b.toModel();
}

describe('ONNX model codec', () => {
  it('writes a model onnxruntime runs, with float attributes and clamped int64 ends', async () => {
    const bytes = encodeModel(tinyModel());
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, -1, 0, 0, 0, -1]), [2, 3]) });
    // row0: [1,-1,0]·w = [1-3, 2-4] = [-2,-2] → leaky 0.5 → [-1,-1]; row1: [0,0,-1]·w = [-5,-6] → [-2.5,-3]
    expect(Array.from(out.z!.data as Float32Array)).toEqual([-1, -1, -2.5, -3]);
    expect(Array.from(out.sliced!.data as Float32Array)).toEqual([-1, -1, -2.5, -3]);
  });

  it('round-trips bytes exactly through decode and encode', () => {
    const bytes = encodeModel(tinyModel());
    const again = encodeModel(decodeModel(bytes));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps fields it does not model', () => {
    const model = tinyModel();
    // field 20 (training_info) as an opaque length-delimited blob: tag = 20<<3|2 = 162 → varint [0xa2, 0x01]
    model.unknown = [Uint8Array.from([0xa2, 0x01, 2, 0x0a, 0x00])];
    const decoded = decodeModel(encodeModel(model));
    expect(Array.from(decoded.unknown![0]!)).toEqual([0xa2, 0x01, 2, 0x0a, 0x00]);
  });

  it('reads initializer values back and refuses a non-model', () => {
    const m = decodeModel(encodeModel(tinyModel()));
    const w = m.graph.initializer.find((t) => t.name === 'w')!;
    expect(Array.from(tensorToFloat32(w))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => decodeModel(new TextEncoder().encode('not a model'))).toThrow();
  });

  it('reads int64 initializers from a Node Buffer at any offset (no shared-pool aliasing)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', DataType.FLOAT, [2, 3]);
    b.output(b.op('Reshape', [x, b.constant(BigInt64Array.of(3n, 2n), [2], { name: 'shape' })]));
    // Buffer.from copies into Node's shared pool, so the model bytes start at an odd offset.
    const pooled = Buffer.concat([Buffer.from([1]), Buffer.from(encodeModel(b.toModel()))]).subarray(1);
    const t = decodeModel(pooled).graph.initializer.find((i) => i.name === 'shape')!;
    expect(Array.from(tensorToArray(t) as BigInt64Array)).toEqual([3n, 2n]);
  });

  it('converts half floats both ways', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.1e-5, 3.14159]) {
      // half precision: 11 significant bits, so relative error ≤ 2^-11 after rounding
      expect(Math.abs(halfToFloat(floatToHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11);
    }
  });
});

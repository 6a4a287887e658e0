import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DataType, decodeModel, encodeModel, GraphBuilder, tensorToFloat32 } from './index.ts';
import { encodeModelSharingData, encodeModelWithExternalData, inlineExternalData } from './external.ts';

const dir = mkdtempSync(join(tmpdir(), 'aeslens-extdata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// y = x·W + b with W large enough to go external and b small enough to stay inline.
function linear() {
  const b = new GraphBuilder(undefined, { opset: 17 });
  const x = b.input('x', DataType.FLOAT, [1, 64]);
  const W = Float32Array.from({ length: 64 * 32 }, (_, i) => ((i * 37) % 101) / 101 - 0.5);
  const bias = Float32Array.from({ length: 32 }, (_, i) => i / 32);
  const y = b.op(
    'Add',
    [b.op('MatMul', [x, b.constant(W, [64, 32], { name: 'W' })]), b.constant(bias, [32], { name: 'b' })],
    {},
    { output: 'y' },
  );
  b.output(y);
  return { model: b.toModel(), W, bias };
}

function reference(x: Float32Array, W: Float32Array, bias: Float32Array): number[] {
  return Array.from(bias, (bj, j) => x.reduce((s, xi, i) => s + xi * W[i * 32 + j]!, bj));
}

describe('external data', () => {
  it('writes a model + data file pair that onnxruntime loads from disk', async () => {
    const { model, W, bias } = linear();
    const { model: bytes, data } = encodeModelWithExternalData(model, {
      threshold: 1024,
      location: 'linear.onnx.data',
    });
    expect(data.length).toBe(64 * 32 * 4);
    expect(bytes.length).toBeLessThan(1024);
    writeFileSync(join(dir, 'linear.onnx'), bytes);
    writeFileSync(join(dir, 'linear.onnx.data'), data);
    const session = await ort.InferenceSession.create(join(dir, 'linear.onnx'));
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const out = await session.run({ x: new ort.Tensor('float32', x, [1, 64]) });
    const got = Array.from(out.y!.data as Float32Array);
    reference(x, W, bias).forEach((v, j) => expect(got[j]).toBeCloseTo(v, 4));
  });

  it('reads external tensors back through a resolver and inlines them', () => {
    const { model, W } = linear();
    const { model: bytes, data } = encodeModelWithExternalData(model, { location: 'w.bin' });
    const decoded = decodeModel(bytes);
    const w = decoded.graph.initializer.find((t) => t.name === 'W')!;
    expect(w.externalData?.find((e) => e.key === 'location')?.value).toBe('w.bin');
    expect(() => tensorToFloat32(w)).toThrow(/w\.bin/);
    const resolve = (loc: string) => {
      if (loc !== 'w.bin') throw new Error(loc);
      return data;
    };
    expect(tensorToFloat32(w, resolve)).toEqual(W);
    inlineExternalData(decoded, resolve);
    expect(decoded.graph.initializer.every((t) => !t.externalData)).toBe(true);
    // Round trip through external data again from a model that already refers to it.
    const again = encodeModelWithExternalData(decoded, { threshold: 1 << 20 });
    expect(again.data.length).toBe(0);
    expect(tensorToFloat32(decodeModel(again.model).graph.initializer.find((t) => t.name === 'W')!)).toEqual(W);
  });

  it('refuses locations outside the model folder', () => {
    expect(() => encodeModelWithExternalData(linear().model, { location: '../x.data' })).toThrow(/relative/);
  });

  it('a model derived from a file refers to that file for the weights it took from it', () => {
    const { model } = linear();
    const file = encodeModel(model);
    const derived = decodeModel(file);
    // A derived model: one more (small) initializer of its own, and one of its own above the threshold.
    const own = new GraphBuilder(derived);
    own.constant(Float32Array.of(1, 2), [2], { name: 'small_own' });
    own.constant(new Float32Array(512), [512], { name: 'large_own' });
    const shared = encodeModelSharingData(derived, file, 'source.onnx');
    const stored = decodeModel(shared).graph.initializer;
    const where = (name: string) => stored.find((t) => t.name === name)!.externalData;
    expect(where('W')).toEqual([
      { key: 'location', value: 'source.onnx' },
      { key: 'offset', value: String(derived.graph.initializer[0]!.rawData!.byteOffset - file.byteOffset) },
      { key: 'length', value: String(64 * 32 * 4) },
    ]);
    for (const name of ['b', 'small_own', 'large_own']) expect(where(name)).toBeUndefined();
    expect(shared.length).toBeLessThan(file.length - 64 * 32 * 4 + 4096);
    // With the file's bytes put back, it is the derived model, byte for byte.
    const back = decodeModel(shared);
    inlineExternalData(back, (location) => {
      expect(location).toBe('source.onnx');
      return file;
    });
    expect(encodeModel(back)).toEqual(encodeModel(derived));
  });
});

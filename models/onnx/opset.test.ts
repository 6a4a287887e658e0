import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { appendGradients } from './autodiff.ts';
import { GraphBuilder } from './builder.ts';
import { FD_STEP } from '../testing/gradcheck.node.ts';
import { DataType, type ModelProto } from './modelProto.ts';
import { encodeModel } from './encodeModel.ts';
import { upgradeOpset } from './opset.ts';

const SHAPE = [2, 3, 4];
const OPTIONS: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'disabled' };

/** Every op whose form changed between opsets 11 and 17, in its opset-11 form, reduced to a scalar `y`. */
function opset11Model(): ModelProto {
  const b = new GraphBuilder(undefined, { opset: 11 });
  const x = b.input('x', DataType.FLOAT, SHAPE);
  const sq = b.op('Squeeze', [b.op('Unsqueeze', [x], { axes: [0, 3] })], { axes: [0] }); // [2, 3, 1, 4]
  const [s0, s1] = b.node('Split', [sq], { axis: 3, split: [1, 3] }, { outputs: 2 }) as [string, string];
  const rows = b.op('Softmax', [x], { axis: 1 }); // flattens [2, 12]
  const last = b.op('Softmax', [x], { axis: 2 });
  const logs = b.op('LogSoftmax', [x]); // default axis 1
  const sums = b.op('ReduceSum', [b.op('Mul', [s1, s1])], { axes: [2, 3], keepdims: 0 });
  const mean = b.op('ReduceMean', [s0], { axes: [1], keepdims: 1 });
  const weight = (t: string, k: number) =>
    b.op('ReduceSum', [b.op('Mul', [t, b.scalar(k)])], { keepdims: 0 }, { output: `part_${k}` });
  const parts = [weight(rows, 3), weight(b.op('Mul', [last, x]), 5), weight(b.op('Mul', [logs, x]), 0.5)];
  parts.push(weight(sums, 0.25), weight(mean, 2));
  const y = parts.reduce((acc, p) => b.op('Add', [acc, p]));
  b.node('Identity', [y], {}, { outputs: ['y'] });
  b.output('y', DataType.FLOAT, []);
  for (const p of ['part_3', 'part_5', 'part_0.5']) b.output(p, DataType.FLOAT, []);
  return b.toModel();
}

async function runAll(model: ModelProto, x: Float32Array): Promise<Record<string, number>> {
  const s = await ort.InferenceSession.create(encodeModel(model), OPTIONS);
  const out = await s.run({ x: new ort.Tensor('float32', x, SHAPE) });
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Number(v.data[0])]));
}

describe('upgradeOpset', () => {
  const r = mulberry32(11);
  const x = Float32Array.from({ length: 24 }, () => r() * 2 - 1);

  it('rewrites the opset-11 forms so that onnxruntime computes the same values at opset 17', async () => {
    const source = opset11Model();
    const upgraded = upgradeOpset(source);
    expect(upgraded.opsetImport.find((o) => o.domain === '')?.version).toBe(17);
    expect(source.opsetImport[0]!.version).toBe(11);
    const [want, got] = [await runAll(source, x), await runAll(upgraded, x)];
    for (const name of Object.keys(want)) expect(got[name], name).toBeCloseTo(want[name]!, 5);
  });

  it('differentiates the upgraded graph as finite differences on the opset-11 original say', async () => {
    const source = opset11Model();
    const upgraded = upgradeOpset(source);
    const grad = appendGradients(upgraded, { y: 'y', wrt: ['x'] }).x!;
    upgraded.graph.output.push({ name: grad, elemType: DataType.FLOAT, shape: SHAPE });
    const s = await ort.InferenceSession.create(encodeModel(upgraded), OPTIONS);
    const analytic = (await s.run({ x: new ort.Tensor('float32', x, SHAPE) }))[grad]!.data as Float32Array;
    await s.release();
    const f = await ort.InferenceSession.create(encodeModel(source), OPTIONS);
    for (let i = 0; i < x.length; i++) {
      const at = async (d: number) => {
        const v = Float32Array.from(x);
        v[i]! += d;
        return Number((await f.run({ x: new ort.Tensor('float32', v, SHAPE) })).y!.data[0]);
      };
      const fd = ((await at(FD_STEP)) - (await at(-FD_STEP))) / (2 * FD_STEP);
      expect(Math.abs(analytic[i]! - fd), `x[${i}]`).toBeLessThan(1e-3);
    }
    await f.release();
  });

  it('names op, node and opset for a form it cannot take', () => {
    const b = new GraphBuilder(undefined, { opset: 11 });
    const x = b.input('x', DataType.FLOAT, [1, 2, 4, 4]);
    const up = b.op(
      'Resize',
      [x, b.constant(new Float32Array(0), [0]), b.constant(Float32Array.of(1, 1, 2, 2), [4])],
      {
        mode: 'nearest',
        coordinate_transformation_mode: 'tf_half_pixel_for_nn',
      },
      { name: '/up/Resize' },
    );
    b.output(up);
    expect(() => upgradeOpset(b.toModel())).toThrow(/Resize \(node "\/up\/Resize"\) at ONNX opset 11/);
    const old = new GraphBuilder(undefined, { opset: 9 });
    old.output(old.op('Relu', [old.input('x', DataType.FLOAT, [1])]));
    expect(() => upgradeOpset(old.toModel())).toThrow(/opset 9; opsets 11 and newer/);
  });
});

// The default real pack uses Xenova's dynamically quantised vision_model_quantized.onnx, whose
// MatMuls are DynamicQuantizeLinear → MatMulInteger → Cast → Mul. The fixture tower rewritten that
// way must build, run, and give nearly the float tower's map (the gradient is taken through the
// dequantised form, so the maps differ only by the quantisation error).
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildClipTower, FIXTURE_CLIP_CONFIG } from '../fixtures/clipTower.ts';
import { DataType, encodeModel, GraphBuilder, makeTensor, tensorToFloat32, type ModelProto } from '../onnx/index.ts';
import { findIasmPack } from '../packs/registry.ts';
import { buildIasmGraph } from './build.ts';
import { createIasmRunner, iasmOptionsForPack } from './runner.ts';

const PHOTO = new URL('../../../shared/photos/good/LadyBird.jpg', import.meta.url).pathname;

/** Rewrites every MatMul with an initializer weight the way onnxruntime's quantize_dynamic does. */
function dynamicallyQuantized(model: ModelProto): { model: ModelProto; count: number } {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const b = new GraphBuilder(model);
  const nodes = [];
  let count = 0;
  for (const node of g.node) {
    const w = node.opType === 'MatMul' ? inits.get(node.input[1]!) : undefined;
    if (!w || w.dims.length !== 2) {
      nodes.push(node);
      continue;
    }
    const values = tensorToFloat32(w);
    const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 127;
    const q = Int8Array.from(values, (v) => Math.round(v / scale));
    const at = g.node.length;
    const qName = b.unique(`${w.name}_quantized`);
    g.initializer.push(makeTensor(qName, q, w.dims));
    const [xq, xScale, xZero] = b.node('DynamicQuantizeLinear', [node.input[0]!], {}, { outputs: 3 }) as [
      string,
      string,
      string,
    ];
    const product = b.op('MatMulInteger', [xq, qName, xZero, b.constant(Int8Array.of(0), [])]);
    const scales = b.op('Mul', [xScale, b.scalar(scale)]);
    const asFloat = b.op('Cast', [product], { to: DataType.FLOAT });
    g.node.push({
      name: b.unique('MatMul_quant'),
      opType: 'Mul',
      domain: '',
      input: [asFloat, scales],
      output: node.output,
      attribute: [],
    });
    nodes.push(...g.node.splice(at));
    count++;
  }
  g.node = nodes;
  return { model, count };
}

function pearson(a: Float32Array, b: Float32Array): number {
  const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i]! - mb);
    aa += (v - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe('IASM on a dynamically quantised (MatMulInteger) CLIP tower', () => {
  it('builds, runs, and stays close to the float tower', async () => {
    const pack = findIasmPack('fixture-clip')!;
    const { model: quantized, count } = dynamicallyQuantized(buildClipTower(FIXTURE_CLIP_CONFIG));
    expect(count).toBe(19); // q, k, v, out, fc1, fc2 per block × 3 + the visual projection
    const raw = await sharp(PHOTO).resize(224, 224, { fit: 'fill' }).ensureAlpha().raw().toBuffer();
    const image = { data: new Uint8Array(raw.buffer, raw.byteOffset, raw.length), width: 224, height: 224 };
    const run = async (source: ModelProto) => {
      const runner = await createIasmRunner(ort, encodeModel(buildIasmGraph(source, iasmOptionsForPack(pack))), pack);
      try {
        return await runner.run(image);
      } finally {
        await runner.dispose();
      }
    };
    const [float, quant] = [await run(buildClipTower(FIXTURE_CLIP_CONFIG)), await run(quantized)];
    expect(quantized.graph.node.some((n) => n.opType === 'MatMulInteger')).toBe(true);
    expect(Math.abs(quant.score - float.score)).toBeLessThan(0.01);
    expect(pearson(quant.saliency, float.saliency)).toBeGreaterThan(0.99);
  });
});

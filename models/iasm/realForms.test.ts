// The CLIP tower in the forms Xenova's exports really have (opset 11 / 14, LayerNorm spelled out,
// image_embeds the only output; the 8-bit file with uint8 per-column weights, MatMulInteger and
// ConvInteger), loaded from the generated fixture packs through the same code as the app.
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import { webGpuFallbackNodes } from '../onnx/webgpuKernels.ts';
import { findIasmPack } from '../packs/registry.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { laionScore, layerCamReference, relativeError } from '../testing/iasmReference.node.ts';
import { rgbaToNchw, type RgbaImage } from './preprocess.ts';
import { buildIasmModelForPack, createIasmRunner } from './runner.ts';

const PHOTO = new URL('../../../shared/photos/good/chelsea.png', import.meta.url).pathname;
const SLOW = 240_000;
// Finite differences over every element of A (2 × 197 × 32 downstream runs) on a shared, busy machine.
const FD_SLOW = 480_000;

function pack(id: string): IasmPack {
  const p = findIasmPack(id);
  if (!p) throw new Error(`no pack ${id}`);
  return p;
}

async function backboneOf(p: IasmPack): Promise<ModelProto> {
  return decodeModel((await FIXTURES[p.id]!())[p.backbone]!);
}

async function runPack(p: IasmPack, image: RgbaImage) {
  const files = await FIXTURES[p.id]!();
  const built = await buildIasmModelForPack(p, async (path) => files[path]!);
  const runner = await createIasmRunner(ort, built, p, { executionProviders: ['cpu'] });
  try {
    return await runner.run(image);
  } finally {
    await runner.dispose();
  }
}

describe('IASM on the real export forms of the CLIP tower', () => {
  let image: RgbaImage;
  beforeAll(async () => {
    const { data, info } = await sharp(PHOTO)
      .resize(224, 224, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    image = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  });

  it('reproduce the exports: opset, spelled-out LayerNorm with the exporter names, image_embeds only', async () => {
    for (const [id, opset] of [
      ['fixture-clip-opset11', 11],
      ['fixture-clip-opset14', 14],
      ['fixture-clip-q8', 11],
    ] as const) {
      const m = await backboneOf(pack(id));
      expect(m.opsetImport.find((o) => o.domain === '')?.version, id).toBe(opset);
      expect(m.graph.output.map((o) => o.name)).toEqual(['image_embeds']);
      expect(m.graph.node.some((n) => n.opType === 'LayerNormalization')).toBe(false);
      const ln = m.graph.node.filter((n) =>
        /^\/vision_model\/encoder\/layers\.1\/layer_norm1\/[A-Za-z]+(_\d+)?$/.test(n.name),
      );
      expect(
        ln.filter((n) => n.opType !== 'Constant').map((n) => n.opType),
        ln.map((n) => n.name).join(),
      ).toEqual(['ReduceMean', 'Sub', 'Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add']);
      expect(m.graph.node.some((n) => n.output.includes('/vision_model/encoder/layers.1/Add_1_output_0'))).toBe(true);
    }
    const q8 = await backboneOf(pack('fixture-clip-q8'));
    const ops = new Set(q8.graph.node.map((n) => n.opType));
    for (const op of ['DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger']) expect(ops.has(op), op).toBe(true);
    const zeroPoints = q8.graph.initializer.filter((t) => t.name.endsWith('.weight_t_zero_point'));
    expect(zeroPoints.length).toBe(19);
    for (const t of zeroPoints) expect(t.dims.length).toBe(1);
  });

  it('build IASM graphs in which no node falls back to the CPU on WebGPU', async () => {
    for (const id of ['fixture-clip-opset11', 'fixture-clip-opset14', 'fixture-clip-q8']) {
      const p = pack(id);
      const files = await FIXTURES[id]!();
      const built = decodeModel(await buildIasmModelForPack(p, async (path) => files[path]!));
      expect(
        webGpuFallbackNodes(built).map((n) => `${n.opType} ${n.name}`),
        id,
      ).toEqual([]);
    }
  });

  for (const id of ['fixture-clip-opset11', 'fixture-clip-opset14']) {
    it(
      `${id}: score and LayerCAM equal the finite-difference reference`,
      async () => {
        const p = pack(id);
        const got = await runPack(p, image);
        const source = await backboneOf(p);
        const pixels = rgbaToNchw(image, p.input);
        const ref = await layerCamReference(
          source,
          'pixel_values',
          pixels,
          224,
          p.targets[0]!,
          'image_embeds',
          laionScore,
          () => 0,
          'tokens',
          true,
        );
        expect(got.score).toBeCloseTo(ref.score, 4);
        expect(Math.max(...ref.cam)).toBeGreaterThan(0);
        expect(relativeError(got.cam, ref.cam)).toBeLessThan(1e-3);
        expect(relativeError(got.saliency, ref.saliency)).toBeLessThan(1e-3);
      },
      FD_SLOW,
    );
  }

  it(
    'fixture-clip-q8: the score is the LAION head on the 8-bit file as onnxruntime runs it',
    async () => {
      const p = pack('fixture-clip-q8');
      const got = await runPack(p, image);
      const feeds = { pixel_values: new ort.Tensor('float32', rgbaToNchw(image, p.input), [1, 3, 224, 224]) };
      // The integer kernels as ONNX defines them: onnxruntime's CPU fusions (DynamicQuantizeMatMul) round differently.
      const session = await ort.InferenceSession.create(encodeModel(await backboneOf(p)), {
        graphOptimizationLevel: 'disabled',
      });
      const embeds = Float64Array.from((await session.run(feeds)).image_embeds!.data as Float32Array);
      await session.release();
      expect(got.score).toBeCloseTo(laionScore(embeds), 4);
      expect(Math.max(...got.cam)).toBeGreaterThan(0);
    },
    SLOW,
  );
});

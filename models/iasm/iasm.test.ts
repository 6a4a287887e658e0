import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClipTower, FIXTURE_CLIP_CONFIG } from '../fixtures/clipTower.ts';
import { buildCnnFixture } from '../fixtures/cnn.ts';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/index.ts';
import { renameTensor } from '../onnx/graph.ts';
import { findIasmPack } from '../packs/registry.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { buildIasmGraph, IASM_OUTPUTS, readIasmMetadata, type IasmGraphOptions } from './build.ts';
import {
  laionScore,
  layerCamReference as reference,
  type LayerCamReference,
  minMaxNormalise,
  relativeError,
  runFloat,
} from '../testing/iasmReference.node.ts';
import { rgbaToNchw } from './preprocess.ts';
import { buildIasmModelForPack, createIasmRunner, iasmOptionsForPack, type IasmResult } from './runner.ts';

const PHOTO = new URL('../../../shared/photos/good/chelsea.png', import.meta.url).pathname;
const CLIP_TARGET = (i: number) => `/vision_model/encoder/layers.${i}/Add_1_output_0`;
const CNN_TARGET = '/features/relu2/Relu_output_0';
// Finite differences over every element of A: seconds on an idle machine, much more on a busy one.
const SLOW = 240_000;

const pack = (id: string): IasmPack => {
  const p = findIasmPack(id);
  if (!p) throw new Error(`no pack ${id}`);
  return p;
};

async function rgbaOf(path: string, size: number) {
  const { data, info } = await sharp(path)
    .resize(size, size, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

async function runBuilt(model: ModelProto, p: IasmPack, rgba: Awaited<ReturnType<typeof rgbaOf>>): Promise<IasmResult> {
  const runner = await createIasmRunner(ort, encodeModel(model), p, { executionProviders: ['cpu'] });
  try {
    return await runner.run(rgba);
  } finally {
    await runner.dispose();
  }
}

// Plain-TypeScript scores, independent of the graph's score ops.
const expectedScore = (logits: Float64Array) => {
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.reduce((s, v, i) => s + ((i + 1) * v) / sum, 0);
};
const argmax = (x: Float64Array) => x.indexOf(Math.max(...x));

describe('IASM graph', () => {
  let clip: ModelProto;
  let cnn: ModelProto;
  let clipPixels: Float32Array;
  let cnnPixels: Float32Array;
  let rgba224: Awaited<ReturnType<typeof rgbaOf>>;
  // Finite-difference references of the CLIP tower by target, shared between tests (they are slow).
  const clipReferences = new Map<string, Promise<LayerCamReference>>();
  const clipReference = (target: string) => {
    if (!clipReferences.has(target))
      clipReferences.set(
        target,
        reference(clip, 'pixel_values', clipPixels, 224, target, 'image_embeds', laionScore, () => 0, 'tokens', true),
      );
    return clipReferences.get(target)!;
  };

  beforeAll(async () => {
    clip = buildClipTower(FIXTURE_CLIP_CONFIG);
    cnn = buildCnnFixture();
    rgba224 = await rgbaOf(PHOTO, 224);
    clipPixels = rgbaToNchw(rgba224, pack('fixture-clip').input);
    cnnPixels = rgbaToNchw(rgba224, pack('fixture-cnn').input);
  });

  it('has exactly the four outputs, with their types, and records how it was built', () => {
    const built = buildIasmGraph(cnn, { targets: [CNN_TARGET], score: 'expected', layout: 'nchw' });
    expect(built.graph.output.map((o) => [o.name, o.elemType])).toEqual([
      ['score', 1],
      ['class_index', 7],
      ['cam', 1],
      ['saliency', 1],
    ]);
    expect(built.graph.output.map((o) => o.name)).toEqual([...IASM_OUTPUTS]);
    expect(readIasmMetadata(decodeModel(encodeModel(built)))).toMatchObject({
      input: 'input',
      targets: [CNN_TARGET],
      score: 'expected',
    });
    // The source model is left as it was.
    expect(cnn.graph.output.map((o) => o.name)).toEqual(['logits']);
  });

  it('takes one photo per run, so its shape arithmetic is folded into constants', () => {
    const built = buildIasmGraph(clip, iasmOptionsForPack(pack('fixture-clip')));
    expect(built.graph.input[0]!.shape).toEqual([1, 3, 224, 224]);
    expect(clip.graph.input[0]!.shape![0]).not.toBe(1);
    expect(built.graph.node.filter((n) => ['Shape', 'Range'].includes(n.opType))).toEqual([]);
  });

  it('with a linear head, a fifth output: the embedding the head scores, as the tower computes it', async () => {
    const p = pack('fixture-clip');
    const built = buildIasmGraph(clip, iasmOptionsForPack(p));
    expect(built.graph.output.map((o) => o.name)).toEqual([...IASM_OUTPUTS, 'embedding']);
    const got = await runBuilt(built, p, rgba224);
    const tower = (
      await runFloat(clip, { pixel_values: new ort.Tensor('float32', clipPixels, [1, 3, 224, 224]) }, ['image_embeds'])
    ).image_embeds!.data;
    expect(got.embedding).toBeDefined();
    expect(relativeError(got.embedding!, Float32Array.from(tower))).toBeLessThan(1e-4);
  });

  it(
    'fixture-clip (LAION head on the CLIP tower): score and LayerCAM equal the finite-difference reference',
    async () => {
      const p = pack('fixture-clip');
      const built = buildIasmGraph(clip, iasmOptionsForPack(p));
      const got = await runBuilt(built, p, rgba224);
      const ref = await clipReference(CLIP_TARGET(1));
      expect(got.score).toBeCloseTo(ref.score, 4);
      expect(got.classIndex).toBe(0);
      expect([got.camHeight, got.camWidth, got.height, got.width]).toEqual([14, 14, 224, 224]);
      expect(Math.max(...ref.cam)).toBeGreaterThan(0);
      expect(relativeError(got.cam, ref.cam)).toBeLessThan(1e-3);
      expect(relativeError(got.saliency, ref.saliency)).toBeLessThan(1e-3);
    },
    SLOW,
  );

  it(
    'a tower whose image size is symbolic builds without knowing it (Resize, run-time grid) and agrees',
    async () => {
      const p = pack('fixture-clip');
      const built = buildIasmGraph(clip, { ...iasmOptionsForPack(p), preprocess: undefined });
      expect(built.graph.input[0]!.shape).toEqual([1, 'num_channels', 'height', 'width']);
      expect(built.graph.node.some((n) => n.opType === 'Resize')).toBe(true);
      const got = await runBuilt(built, p, rgba224);
      const ref = await clipReference(CLIP_TARGET(1));
      expect([got.camHeight, got.camWidth, got.height, got.width]).toEqual([14, 14, 224, 224]);
      expect(relativeError(got.cam, ref.cam)).toBeLessThan(1e-3);
      expect(relativeError(got.saliency, ref.saliency)).toBeLessThan(1e-3);
    },
    SLOW,
  );

  for (const mode of ['expected', 'logit'] as const) {
    it(`fixture-cnn, ${mode} score: score, class and LayerCAM equal the finite-difference reference`, async () => {
      const p = { ...pack('fixture-cnn'), score: mode };
      const built = buildIasmGraph(cnn, iasmOptionsForPack(p));
      const got = await runBuilt(built, p, rgba224);
      const score = mode === 'expected' ? expectedScore : (l: Float64Array) => Math.max(...l);
      // For the logit reference, y is the logit of the class chosen at the unperturbed input.
      const logits = (
        await runFloat(cnn, { input: new ort.Tensor('float32', cnnPixels, [1, 3, 224, 224]) }, ['logits'])
      ).logits!.data;
      const c = argmax(logits);
      const y = mode === 'expected' ? score : (l: Float64Array) => l[c]!;
      const ref = await reference(cnn, 'input', cnnPixels, 224, CNN_TARGET, 'logits', y, argmax, 'nchw', false);
      expect(got.score).toBeCloseTo(score(logits), 4);
      expect(got.classIndex).toBe(c);
      expect([got.camHeight, got.camWidth, got.height, got.width]).toEqual([14, 14, 224, 224]);
      expect(Math.max(...ref.cam)).toBeGreaterThan(0);
      expect(relativeError(got.cam, ref.cam)).toBeLessThan(1e-3);
      expect(relativeError(got.saliency, ref.saliency)).toBeLessThan(1e-3);
    });
  }

  it('scalar score: y is the single output value, class 0', async () => {
    // The CLIP tower + LAION head as a plain model whose only output is the scalar score.
    const scalarModel = buildIasmGraph(clip, iasmOptionsForPack(pack('fixture-clip')));
    const options: IasmGraphOptions = {
      targets: [CLIP_TARGET(1)],
      score: 'scalar',
      layout: 'tokens',
      clsToken: true,
      output: 'score',
    };
    const rebuilt = buildIasmGraph(scalarModel, options);
    const p = pack('fixture-clip');
    const [first, second] = [await runBuilt(scalarModel, p, rgba224), await runBuilt(rebuilt, p, rgba224)];
    expect(second.score).toBeCloseTo(first.score, 5);
    expect(second.classIndex).toBe(0);
    expect(relativeError(second.cam, first.cam)).toBeLessThan(1e-4);
  });

  it(
    'several targets: saliency is the normalised mean of the normalised per-layer maps',
    async () => {
      const p = { ...pack('fixture-clip'), targets: [CLIP_TARGET(0), CLIP_TARGET(1)] };
      const got = await runBuilt(buildIasmGraph(clip, iasmOptionsForPack(p)), p, rgba224);
      const refs = [await clipReference(CLIP_TARGET(0)), await clipReference(CLIP_TARGET(1))];
      const mean = refs[0]!.saliency.map((v, i) => (v + refs[1]!.saliency[i]!) / 2);
      expect(relativeError(got.cam, refs[0]!.cam)).toBeLessThan(1e-3);
      expect(relativeError(got.saliency, minMaxNormalise(mean))).toBeLessThan(1e-3);
    },
    SLOW,
  );

  it('frees its output names when the source model already uses them', async () => {
    const renamed = decodeModel(encodeModel(cnn));
    renameTensor(renamed.graph, 'logits', 'score');
    const built = buildIasmGraph(renamed, {
      targets: [CNN_TARGET],
      score: 'expected',
      layout: 'nchw',
      output: 'score',
    });
    expect(built.graph.output.map((o) => o.name)).toEqual([...IASM_OUTPUTS]);
    const original = await runBuilt(
      buildIasmGraph(cnn, iasmOptionsForPack(pack('fixture-cnn'))),
      pack('fixture-cnn'),
      rgba224,
    );
    const got = await runBuilt(built, pack('fixture-cnn'), rgba224);
    expect(got.score).toBeCloseTo(original.score, 6);
  });

  it('names a missing target and suggests layer outputs', () => {
    expect(() =>
      buildIasmGraph(clip, {
        targets: ['/vision_model/encoder/layers.7/Add_1_output_0'],
        score: 'scalar',
        layout: 'tokens',
      }),
    ).toThrow(
      /"\/vision_model\/encoder\/layers\.7\/Add_1_output_0" is not computed.*layers\.0\/Add_1_output_0.*layers\.1\/Add_1_output_0/,
    );
  });

  it('refuses a target that does not feed the score, and an unknown image input', () => {
    // The CNN's first block output feeds the score; a side branch from it does not.
    const branched = decodeModel(encodeModel(cnn));
    branched.graph.node.push({
      name: 'side',
      opType: 'Relu',
      domain: '',
      input: ['/features/relu1/Relu_output_0'],
      output: ['side_output'],
      attribute: [],
    });
    const options: IasmGraphOptions = { targets: ['side_output'], score: 'expected', layout: 'nchw' };
    expect(() => buildIasmGraph(branched, options)).toThrow(/"side_output" does not feed the score/);
    expect(() => buildIasmGraph(cnn, { ...options, targets: [CNN_TARGET], input: 'image' })).toThrow(
      /Image input "image" is not an input of the model \(inputs: "input"\)/,
    );
  });

  it('builds a pack from its files once and runs it through the runner', async () => {
    const p = pack('fixture-cnn');
    const bytes = await buildIasmModelForPack(p, async (path) => {
      expect(path).toBe('onnx/model.onnx');
      return encodeModel(cnn);
    });
    const runner = await createIasmRunner(ort, bytes, p, { executionProviders: ['cpu'] });
    const result = await runner.run(rgba224);
    await runner.dispose();
    expect(result.saliency.length).toBe(224 * 224);
    expect(Math.min(...result.saliency)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.saliency)).toBeCloseTo(1, 3);
    await expect(createIasmRunner(ort, bytes, p).then((r) => r.run({ ...rgba224, width: 32 }))).rejects.toThrow(
      /Resize the image to 224×224/,
    );
  });
});

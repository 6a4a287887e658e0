import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import type { IasmPack } from '../packs/iasm.ts';
import { findIasmPack } from '../packs/registry.ts';
import { buildIasmModelForPack, createIasmRunner } from './runner.ts';
import { buildScoreModelForPack } from './scoreGraph.ts';
import { createScoreRunner } from './scoreRunner.ts';
import { decodeModel } from '../onnx/index.ts';
import { rgbaToNchw } from './preprocess.ts';

const PHOTO = new URL('../../../shared/photos/good/chelsea.png', import.meta.url).pathname;

const files = (id: string) => async (path: string) => (await FIXTURES[id]!())[path]!;

/** Three different inputs: the photo resized, and two crops of it. */
async function images(size: number) {
  const crops = [
    undefined,
    { left: 0, top: 0, width: 200, height: 150 },
    { left: 100, top: 50, width: 250, height: 250 },
  ];
  return Promise.all(
    crops.map(async (crop) => {
      let s = sharp(PHOTO);
      if (crop) s = s.extract(crop);
      const { data, info } = await s
        .resize(size, size, { fit: 'fill' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
}

/** Batched score-graph scores against the full IASM graph (itself checked against float64 references) run one photo at a time. */
async function compare(pack: IasmPack) {
  const read = files(pack.id);
  const iasm = await createIasmRunner(ort, await buildIasmModelForPack(pack, read), pack);
  const scoreBytes = await buildScoreModelForPack(pack, read);
  const scorer = await createScoreRunner(ort, scoreBytes, pack);
  try {
    const inputs = await images(pack.input.width);
    const one = await Promise.all(inputs.map(async (i) => (await iasm.run(i)).score));
    const batched = await scorer.score(inputs.map((i) => rgbaToNchw(i, pack.input)));
    const iasmGraph = decodeModel(await buildIasmModelForPack(pack, read)).graph;
    return { one, batched: [...batched], model: decodeModel(scoreBytes), iasmNodes: iasmGraph.node.length };
  } finally {
    await iasm.dispose();
    await scorer.dispose();
  }
}

describe('forward-only score graph', () => {
  for (const id of ['fixture-clip', 'fixture-clip-q8', 'fixture-cnn']) {
    it(`${id}: a batch of three scores equals the IASM graph's score of each alone, with no backward pass`, async () => {
      const { one, batched, model, iasmNodes } = await compare(findIasmPack(id)!);
      expect(new Set(one.map((s) => s.toFixed(6))).size).toBe(3);
      batched.forEach((s, i) => expect(s).toBeCloseTo(one[i]!, 4));
      expect(model.graph.output.map((o) => o.name)).toEqual(['score']);
      expect(model.graph.input[0]!.shape).toEqual(['batch', 3, 224, 224]);
      // No backward pass and no maps: far fewer nodes than the IASM graph.
      expect(model.graph.node.length).toBeLessThan(0.8 * iasmNodes);
    });
  }

  it('score mode logit on the CNN: batched equals the IASM graph one by one', async () => {
    const { one, batched } = await compare({ ...findIasmPack('fixture-cnn')!, score: 'logit' });
    batched.forEach((s, i) => expect(s).toBeCloseTo(one[i]!, 4));
  });
});

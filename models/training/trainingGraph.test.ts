import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { fixtureSessions, seededExample, type FixtureFiles } from '../testing/trainingFixture.ts';
import { buildDecoder } from '../fixtures/smolvlm.ts';
import { decodeModel } from '../onnx/decodeModel.ts';
import { buildIasVitEncoder } from '../vit/build.ts';
import { weightsFromSafetensors } from '../vit/weights.ts';
import { exampleFeeds, type Example } from './feeds.ts';
import { TrainingSession } from './runner.node.ts';
import { buildTrainingGraph, type TrainingGraph } from './trainingGraph.ts';

let f: FixtureFiles;
let graph: TrainingGraph;
let session: TrainingSession;
let params: Map<string, Float32Array>;

beforeAll(async () => {
  f = await fixtureSessions();
  const fusion = weightsFromSafetensors(f.fusion);
  graph = buildTrainingGraph(f, { heads: Number(fusion.metadata.heads) });
  session = await TrainingSession.create(graph, { threads: 1 });
  params = new Map(graph.fusion.params.map((p) => [p.name, Float32Array.from(fusion.get(p.name).data)]));
}, 60_000);

/** The loss the pack's own sessions give, run one after another as inference runs them, in float64. */
async function composedLoss(
  ex: Example,
  decoderBytes: Uint8Array = f.decoder,
  g: TrainingGraph = graph,
): Promise<number> {
  const vision = await ort.InferenceSession.create(buildIasVitEncoder(f.visionEncoder, f.fusion).bytes);
  const embed = await ort.InferenceSession.create(f.embedTokens);
  const decoder = await ort.InferenceSession.create(decoderBytes);
  const feeds = exampleFeeds(g, ex);
  const tensor = (name: string) => new ort.Tensor(feeds[name]!.type, feeds[name]!.data, feeds[name]!.dims);
  const features = (
    await vision.run({
      pixel_values: tensor('pixel_values'),
      pixel_attention_mask: tensor('pixel_attention_mask'),
      saliency: tensor('saliency'),
    })
  ).image_features!.data as Float32Array;
  const embeds = (await embed.run({ input_ids: tensor('input_ids') })).inputs_embeds!;
  const merged = new Float32Array(embeds.data as Float32Array);
  const H = g.hidden;
  let row = 0;
  ex.ids.forEach((id, t) => {
    if (id === ex.imageTokenId) merged.set(features.subarray(row++ * H, row * H), t * H);
  });
  const cache = Object.fromEntries(
    g.cacheInputs.map((c) => [c.name, new ort.Tensor('float32', new Float32Array(0), c.dims)]),
  );
  const logits = (
    await decoder.run({
      inputs_embeds: new ort.Tensor('float32', merged, embeds.dims),
      attention_mask: tensor('attention_mask'),
      position_ids: tensor('position_ids'),
      ...cache,
    })
  ).logits!.data as Float32Array;
  const V = g.vocab;
  let total = 0;
  for (let t = ex.targetStart; t < ex.ids.length; t++) {
    const row = logits.subarray((t - 1) * V, t * V);
    const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
    const logSum = Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0)) + max;
    total += logSum - row[ex.ids[t]!]!;
  }
  await Promise.all([vision.release(), embed.release(), decoder.release()]);
  return total / (ex.ids.length - ex.targetStart);
}

describe('IAS-ViT training graph on the SmolVLM fixture', () => {
  it('computes the loss the inference sessions give (IAS-ViT built by models/vit, the decoder without cache)', async () => {
    const ex = seededExample(f, 11);
    const { loss } = await session.run(exampleFeeds(graph, ex), params);
    expect(loss).toBeGreaterThan(0.5);
    expect(Math.abs(loss - (await composedLoss(ex))) / loss).toBeLessThan(1e-4);
  }, 60_000);

  it('has the gradient of every fusion tensor equal to central finite differences through the decoder', async () => {
    const ex = seededExample(f, 12);
    const feeds = exampleFeeds(graph, ex);
    const { gradients } = await session.run(feeds, params);
    const r = mulberry32(5);
    const h = 1e-2;
    for (const p of graph.fusion.params) {
      // A random unit direction in this tensor only: checks all of its gradient's entries at once.
      const dir = Float32Array.from(params.get(p.name)!, () => 2 * r() - 1);
      const norm = Math.hypot(...dir);
      dir.forEach((v, i) => (dir[i] = v / norm));
      const at = (sign: number) => {
        const moved = new Map(params);
        moved.set(
          p.name,
          Float32Array.from(params.get(p.name)!, (v, i) => v + sign * h * dir[i]!),
        );
        return session.run(feeds, moved).then((o) => o.loss);
      };
      const fd = ((await at(1)) - (await at(-1))) / (2 * h);
      const analytic = gradients.get(p.name)!.reduce((a, g, i) => a + g * dir[i]!, 0);
      expect(Math.abs(analytic - fd), `${p.name}: autodiff ${analytic}, finite differences ${fd}`).toBeLessThan(
        3e-4 + 1e-2 * Math.abs(fd),
      );
    }
    // The check is not vacuous: the saliency path moves the loss.
    const outProj = gradients.get('ias.blocks.1.cross_attn.out_proj.weight')!;
    expect(Math.max(...outProj.map(Math.abs))).toBeGreaterThan(1e-3);
  }, 120_000);
});

describe("the training graph on a decoder in the real exports' fused form (q4)", () => {
  it("unfuses SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, RotaryEmbedding and GroupQueryAttention: loss as ORT's kernels give it, gradients as finite differences", async () => {
    const decoder = buildDecoder({
      vocabSize: f.vocab,
      logitBias: new Float32Array(f.vocab),
      quant: 'q4',
      form: 'fused',
    });
    const ops = new Set(decodeModel(decoder).graph.node.map((n) => n.opType));
    for (const op of [
      'SimplifiedLayerNormalization',
      'SkipSimplifiedLayerNormalization',
      'RotaryEmbedding',
      'GroupQueryAttention',
      'MatMulNBits',
    ])
      expect(ops.has(op), op).toBe(true);
    const fusedGraph = buildTrainingGraph({ ...f, decoder }, { heads: graph.fusion.heads });
    const fusedSession = await TrainingSession.create(fusedGraph, { threads: 1 });
    const ex = seededExample(f, 13);
    const feeds = exampleFeeds(fusedGraph, ex);
    const { loss, gradients } = await fusedSession.run(feeds, params);
    expect(Math.abs(loss - (await composedLoss(ex, decoder, fusedGraph))) / loss).toBeLessThan(1e-4);
    const r = mulberry32(8);
    const h = 1e-2;
    for (const name of [
      'ias.saliency_embed.weight',
      'ias.blocks.0.cross_attn.q_proj.weight',
      'ias.blocks.1.cross_attn.out_proj.weight',
    ]) {
      const dir = Float32Array.from(params.get(name)!, () => 2 * r() - 1);
      const at = (sign: number) =>
        fusedSession
          .run(
            feeds,
            new Map(params).set(
              name,
              params.get(name)!.map((v, i) => v + sign * h * dir[i]!),
            ),
          )
          .then((o) => o.loss);
      const fd = ((await at(1)) - (await at(-1))) / (2 * h);
      const analytic = gradients.get(name)!.reduce((a, g, i) => a + g * dir[i]!, 0);
      expect(Math.abs(analytic - fd), `${name}: autodiff ${analytic}, finite differences ${fd}`).toBeLessThan(
        3e-4 + 1e-2 * Math.abs(fd),
      );
    }
    await fusedSession.release();
  }, 120_000);
});

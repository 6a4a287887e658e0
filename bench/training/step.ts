// One measurement for bench/iasvitTrain.bench.ts in its own process (so peak memory is this run's):
// `inference` runs the pack's sessions once over a teacher-forced sequence (IAS-ViT vision encoder,
// embeddings, decoder without cache), `train` runs training steps; prints {peakKb, baseKb, ms[]}.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { fixtureSessions, seededExample } from '../../models/testing/trainingFixture.ts';
import { exampleFeeds } from '../../models/training/feeds.ts';
import { TrainingSession } from '../../models/training/runner.node.ts';
import { initialFusion } from '../../models/training/trainer.ts';
import { buildTrainingGraph } from '../../models/training/trainingGraph.ts';
import { buildIasVitEncoder } from '../../models/vit/build.ts';
import { weightsFromSafetensors } from '../../models/vit/weights.ts';

const RUNS = 5;
const status = (key: string) =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const options: ort.InferenceSession.SessionOptions = { executionMode: 'sequential', intraOpNumThreads: 1 };

const mode = process.argv[2];
const f = await fixtureSessions();
const heads = Number(weightsFromSafetensors(f.fusion).metadata.heads);
const graph = buildTrainingGraph(f, { heads });
const ex = seededExample(f, 3, 48);
const feeds = exampleFeeds(graph, ex);
const tensor = (name: string) => new ort.Tensor(feeds[name]!.type, feeds[name]!.data, feeds[name]!.dims);
const baseKb = status('VmRSS');
const ms: number[] = [];
const time = async (run: () => Promise<unknown>) => {
  const start = performance.now();
  await run();
  ms.push(performance.now() - start);
};

if (mode === 'train') {
  const session = await TrainingSession.create(graph, { threads: 1 });
  const params = initialFusion(graph.fusion.params, 1);
  for (let i = 0; i <= RUNS; i++) await time(() => session.run(feeds, params));
} else {
  const vision = await ort.InferenceSession.create(buildIasVitEncoder(f.visionEncoder, f.fusion).bytes, options);
  const embed = await ort.InferenceSession.create(f.embedTokens, options);
  const decoder = await ort.InferenceSession.create(f.decoder, options);
  const cache = Object.fromEntries(
    graph.cacheInputs.map((c) => [c.name, new ort.Tensor('float32', new Float32Array(0), c.dims)]),
  );
  const forward = async () => {
    const features = (
      await vision.run({
        pixel_values: tensor('pixel_values'),
        pixel_attention_mask: tensor('pixel_attention_mask'),
        saliency: tensor('saliency'),
      })
    ).image_features!;
    const embeds = (await embed.run({ input_ids: tensor('input_ids') })).inputs_embeds!;
    const merged = new Float32Array(embeds.data as Float32Array);
    const H = graph.hidden;
    const rows = features.data as Float32Array;
    let row = 0;
    ex.ids.forEach((id, t) => {
      if (id === ex.imageTokenId) merged.set(rows.subarray(row++ * H, row * H), t * H);
    });
    await decoder.run({
      inputs_embeds: new ort.Tensor('float32', merged, embeds.dims),
      attention_mask: tensor('attention_mask'),
      position_ids: tensor('position_ids'),
      ...cache,
    });
  };
  for (let i = 0; i <= RUNS; i++) await time(forward);
}
// The first run warms up (allocations, kernel selection): the times are the others.
process.stdout.write(`${JSON.stringify({ peakKb: status('VmHWM'), baseKb, ms: ms.slice(1) })}\n`);

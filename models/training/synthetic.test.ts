// A learnable task only the saliency input can solve: each photo gets a saliency blob in a random
// quadrant (given by the dataset, not derived from the pixels) and a critique naming that quadrant.
import { beforeAll, describe, expect, it } from 'vitest';
import { SMOLVLM_FIXTURE } from '../fixtures/smolvlm.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { fixtureSessions, seededPixels, type FixtureFiles } from '../testing/trainingFixture.ts';
import { exampleFeeds, type Example } from './feeds.ts';
import { TrainingSession } from './runner.node.ts';
import { meanLoss, startState, train, type ExampleSource, type LossFunction } from './trainer.ts';
import { PAPER_OPTIMIZER } from './optimizer.ts';
import { buildTrainingGraph, type TrainingGraph } from './trainingGraph.ts';

const GRID = SMOLVLM_FIXTURE.imageSize / SMOLVLM_FIXTURE.patch;

function blob(quadrant: number, r: () => number): { data: Float32Array; dims: number[] } {
  const cy = (quadrant < 2 ? 0.25 : 0.75) * GRID + (r() - 0.5) * 2;
  const cx = (quadrant % 2 === 0 ? 0.25 : 0.75) * GRID + (r() - 0.5) * 2;
  const data = new Float32Array(GRID * GRID);
  for (let y = 0; y < GRID; y++)
    for (let x = 0; x < GRID; x++) data[y * GRID + x] = Math.exp(-((y + 0.5 - cy) ** 2 + (x + 0.5 - cx) ** 2) / 8);
  return { data, dims: [1, GRID, GRID] };
}

let f: FixtureFiles;
let graph: TrainingGraph;
let session: TrainingSession;

beforeAll(async () => {
  f = await fixtureSessions();
  graph = buildTrainingGraph(f, { heads: SMOLVLM_FIXTURE.visionHeads });
  session = await TrainingSession.create(graph, { threads: 1 });
}, 60_000);

describe('synthetic saliency task', () => {
  it('trains the fusion so the held-out loss drops below zero fusion, and shuffled saliency undoes the gain', async () => {
    const r = mulberry32(77);
    // Token ids of the four quadrant words and a shared sentence around them (any distinct non-special ids).
    const quadrantWord = [101, 157, 213, 269];
    const prompt = [30, 31, ...Array<number>(SMOLVLM_FIXTURE.imageSeqLen).fill(f.imageTokenId), 32, 33];
    const make = (i: number) => {
      const quadrant = Math.floor(r() * 4);
      return {
        quadrant,
        ids: [...prompt, 40, quadrantWord[quadrant]!, 41],
        targetStart: prompt.length,
        imageTokenId: f.imageTokenId,
        pixels: seededPixels(1000 + (i % 2)),
        saliency: blob(quadrant, r),
      };
    };
    const all = Array.from({ length: 48 }, (_, i) => make(i));
    const source = (items: Example[]): ExampleSource => ({ size: items.length, get: async (i) => items[i]! });
    const trainSet = all.slice(0, 40);
    const held = all.slice(40);
    const lossOf: LossFunction = (ex, params) => session.run(exampleFeeds(graph, ex), params);
    const cfg = {
      ...PAPER_OPTIMIZER,
      lr: 3e-2,
      weightDecay: 0.01,
      steps: 300,
      accumulate: 4,
      seed: 1,
      validateEvery: 0,
      checkpointEvery: 0,
    };
    const fit = async (items: Example[]) => {
      const state = startState(graph.fusion.params, cfg.seed);
      await train({ train: source(items), val: source(held) }, lossOf, cfg, state);
      return state.params;
    };
    const zeroLoss = await meanLoss(source(held), lossOf, startState(graph.fusion.params, cfg.seed).params);
    const trained = await fit(trainSet);
    const trainedLoss = await meanLoss(source(held), lossOf, trained);
    // Each held-out photo gets the map of a photo whose blob is in another quadrant.
    const shuffled = held.map((ex, i) => {
      const other = held.find((o, j) => j !== i && o.quadrant !== ex.quadrant)!;
      return { ...ex, saliency: other.saliency };
    });
    const shuffledLoss = await meanLoss(source(shuffled), lossOf, trained);
    // The same training with a map that says nothing: what the critiques alone teach.
    const flat = { data: new Float32Array(GRID * GRID).fill(0.5), dims: [1, GRID, GRID] };
    const blind = await fit(trainSet.map((ex) => ({ ...ex, saliency: flat })));
    const blindLoss = await meanLoss(source(held.map((ex) => ({ ...ex, saliency: flat }))), lossOf, blind);
    expect(trainedLoss).toBeLessThan(zeroLoss - 1);
    expect(blindLoss - trainedLoss).toBeGreaterThan(0.5);
    expect(shuffledLoss - trainedLoss).toBeGreaterThan(0.5);
    expect(shuffledLoss).toBeGreaterThan(blindLoss - 0.25);
  }, 600_000);
});

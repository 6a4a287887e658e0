import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import type { Example } from './feeds.ts';
import { checkpointBytes, fusionSafetensors, readCheckpoint } from './fusionFile.ts';
import { adamwStep, initialAdamState, PAPER_OPTIMIZER, scheduledLr } from './optimizer.ts';
import type { TrainableFusion } from './trainableFusion.ts';
import {
  exampleIndex,
  startState,
  train,
  type ExampleSource,
  type LossFunction,
  type Progress,
  type TrainConfig,
} from './trainer.ts';
import { readSafetensors } from '../safetensors/safetensors.ts';

// A plain-TypeScript stand-in for the graph: loss ½‖p − t‖² per example, t carried in `saliency`.
const fusion: TrainableFusion = {
  params: [
    { name: 'ias.saliency_embed.weight', dims: [4, 1] },
    { name: 'ias.blocks.0.cross_attn.out_proj.weight', dims: [2, 2] },
  ],
  grid: [1, 1],
  width: 4,
  heads: 1,
  lnEps: 1e-6,
  blocks: [0],
};
const r = mulberry32(9);
const examples: Example[] = Array.from({ length: 5 }, () => ({
  ids: [0, 1],
  targetStart: 1,
  imageTokenId: 0,
  pixels: { data: new Float32Array(0), dims: [1, 1, 3, 0, 0] },
  saliency: { data: Float32Array.from({ length: 8 }, () => 2 * r() - 1), dims: [8] },
}));
const source: ExampleSource = { size: examples.length, get: async (i) => examples[i]! };
const quadratic: LossFunction = async (ex, params) => {
  let loss = 0;
  let k = 0;
  const gradients = new Map<string, Float32Array>();
  for (const p of fusion.params) {
    const v = params.get(p.name)!;
    const g = v.map((x, i) => x - ex.saliency.data[k + i]!);
    g.forEach((d) => (loss += (d * d) / 2));
    k += v.length;
    gradients.set(p.name, g);
  }
  return { loss, gradients };
};
const cfg: TrainConfig = {
  ...PAPER_OPTIMIZER,
  lr: 0.05,
  steps: 6,
  accumulate: 2,
  seed: 4,
  validateEvery: 2,
  checkpointEvery: 0,
};
const data = { train: source, val: { size: 2, get: source.get } };

describe('trainer', () => {
  it('one step averages the gradients of `accumulate` examples in the seeded order, then takes an AdamW step', async () => {
    const state = startState(fusion.params, 1);
    const expected = new Map([...state.params].map(([k, v]) => [k, Float32Array.from(v)]));
    await train(data, quadratic, { ...cfg, steps: 1 }, state);
    const picked = [0, 1].map((a) => examples[exampleIndex(cfg.seed, examples.length, a)]!);
    const outs = await Promise.all(picked.map((ex) => quadratic(ex, expected)));
    const mean = new Map(
      fusion.params.map((p) => [
        p.name,
        outs[0]!.gradients.get(p.name)!.map((g, i) => (g + outs[1]!.gradients.get(p.name)![i]!) / 2),
      ]),
    );
    adamwStep(expected, mean, initialAdamState(expected), cfg, scheduledLr(cfg, 0, 1));
    for (const [k, v] of expected) expect([...state.params.get(k)!]).toEqual([...v]);
  });

  it('is deterministic with a seed, and resuming from a checkpoint gives the uninterrupted run bit for bit', async () => {
    let saved: Uint8Array | undefined;
    // Checkpoints at steps 3 and 6; the first one stands for an interrupted run.
    const straight = await train(data, quadratic, { ...cfg, checkpointEvery: 3 }, startState(fusion.params, 1), {
      saveCheckpoint: async (s) => {
        saved ??= checkpointBytes(fusion, s, cfg);
      },
    });
    const again = await train(data, quadratic, cfg, startState(fusion.params, 1));
    const other = await train(data, quadratic, { ...cfg, seed: 5 }, startState(fusion.params, 1));
    const resumed = readCheckpoint(fusion, saved!);
    expect(resumed.state.adam.step).toBe(3);
    expect(resumed.config).toEqual(cfg);
    await train(data, quadratic, cfg, resumed.state);
    for (const p of fusion.params) {
      expect([...again.params.get(p.name)!]).toEqual([...straight.params.get(p.name)!]);
      expect([...resumed.state.params.get(p.name)!]).toEqual([...straight.params.get(p.name)!]);
      expect([...resumed.state.adam.v.get(p.name)!]).toEqual([...straight.adam.v.get(p.name)!]);
    }
    expect([...other.params.get(fusion.params[0]!.name)!]).not.toEqual([
      ...straight.params.get(fusion.params[0]!.name)!,
    ]);
  });

  it('reports progress with the validation loss every N steps and an ETA that reaches 0', async () => {
    const seen: Progress[] = [];
    await train(data, quadratic, cfg, startState(fusion.params, 1), { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.map((p) => p.valLoss !== undefined)).toEqual([false, true, false, true, false, true]);
    expect(seen.at(-1)!.etaMs).toBe(0);
    expect(seen[0]!.etaMs).toBeGreaterThanOrEqual(0);
    const vals = seen.flatMap((p) => (p.valLoss === undefined ? [] : [p.valLoss]));
    expect(vals.at(-1)!).toBeLessThan(vals[0]!);
  });

  it('writes fusion weights with the training record in their metadata', async () => {
    const state = await train(data, quadratic, cfg, startState(fusion.params, 1));
    const file = readSafetensors(
      fusionSafetensors(fusion, state, {
        basePack: 'fixture-smolvlm',
        baseRevision: 'abc',
        dataset: 'd.json',
        steps: 6,
        trainLoss: state.trainLoss,
        valLoss: state.valLoss,
      }),
    );
    expect(file.metadata).toMatchObject({
      trained: 'true',
      base_pack: 'fixture-smolvlm',
      base_revision: 'abc',
      dataset: 'd.json',
      steps: '6',
      heads: '1',
    });
    expect(Number(file.metadata.val_loss)).toBeCloseTo(state.valLoss!, 6);
    expect([...file.tensors.keys()].sort()).toEqual(fusion.params.map((p) => p.name).sort());
  });
});

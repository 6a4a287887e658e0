// The training loop: seeded initialisation and example order, gradient accumulation over an
// effective batch, AdamW with the warmup + cosine schedule, validation loss every N steps,
// checkpoints (resume continues exactly: the order depends only on the seed and the step), progress.
import { mulberry32 } from '../random/mulberry32.ts';
import type { Example } from './feeds.ts';
import { adamwStep, initialAdamState, scheduledLr, type AdamState, type OptimizerConfig } from './optimizer.ts';
import type { FusionParam } from './trainableFusion.ts';

/** Examples by index, loaded on demand (a dataset may not fit in memory). */
export interface ExampleSource {
  size: number;
  get(index: number): Promise<Example>;
}

/** Loss and fusion gradients of one example at the given parameters. */
export type LossFunction = (
  ex: Example,
  params: ReadonlyMap<string, Float32Array>,
) => Promise<{ loss: number; gradients: Map<string, Float32Array> }>;

export interface TrainConfig extends OptimizerConfig {
  /** Optimiser steps. */
  steps: number;
  /** Examples per optimiser step (gradient accumulation). */
  accumulate: number;
  seed: number;
  /** Validation loss every this many steps (and after the last); 0: only after the last. */
  validateEvery: number;
  /** Checkpoint every this many steps (and after the last); 0: only after the last. */
  checkpointEvery: number;
}

export interface TrainState {
  params: Map<string, Float32Array>;
  adam: AdamState;
  /** Mean training loss of the last optimiser step. */
  trainLoss: number;
  valLoss: number | null;
}

export interface Progress {
  step: number;
  steps: number;
  trainLoss: number;
  lr: number;
  valLoss?: number;
  elapsedMs: number;
  /** Estimated time left at the mean step time of this run. */
  etaMs: number;
}

export interface TrainHooks {
  onProgress?(p: Progress): void;
  saveCheckpoint?(state: TrainState): Promise<void>;
  signal?: AbortSignal;
}

/**
 * Seeded starting point: saliency embedding, positions and the q/k/v projections random (PyTorch's
 * Linear init range ±1/√in; positions ±0.02), norms identity, every output projection zero, so
 * training starts exactly at the base encoder while the cross-attention already carries gradient.
 */
export function initialFusion(params: readonly FusionParam[], seed: number): Map<string, Float32Array> {
  const r = mulberry32(seed);
  const out = new Map<string, Float32Array>();
  for (const p of params) {
    const n = p.dims.reduce((a, c) => a * c, 1);
    const data = new Float32Array(n);
    if (/norm_[sc]\.weight$/.test(p.name)) data.fill(1);
    else if (/saliency_position$/.test(p.name)) data.forEach((_, i) => (data[i] = 0.02 * (2 * r() - 1)));
    else if (/(saliency_embed|[qkv]_proj)\.weight$/.test(p.name)) {
      const bound = 1 / Math.sqrt(p.dims[1]!);
      data.forEach((_, i) => (data[i] = bound * (2 * r() - 1)));
    }
    out.set(p.name, data);
  }
  return out;
}

/** Example order: a seeded permutation per pass over the data. */
export function exampleIndex(seed: number, size: number, position: number): number {
  const pass = Math.floor(position / size);
  const order = Array.from({ length: size }, (_, i) => i);
  const r = mulberry32(seed * 7919 + pass);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order[position % size]!;
}

export async function meanLoss(
  source: ExampleSource,
  lossOf: LossFunction,
  params: ReadonlyMap<string, Float32Array>,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < source.size; i++) total += (await lossOf(await source.get(i), params)).loss;
  return total / source.size;
}

/** Trains from `state` (fresh from `startState`, or a loaded checkpoint) to `cfg.steps`. */
export async function train(
  data: { train: ExampleSource; val: ExampleSource },
  lossOf: LossFunction,
  cfg: TrainConfig,
  state: TrainState,
  hooks: TrainHooks = {},
): Promise<TrainState> {
  if (data.train.size === 0) throw new Error('The training split has no examples');
  const started = performance.now();
  const first = state.adam.step;
  while (state.adam.step < cfg.steps) {
    if (hooks.signal?.aborted) throw new Error('Training stopped');
    const step = state.adam.step;
    const sum = new Map([...state.params].map(([k, p]) => [k, new Float32Array(p.length)]));
    let loss = 0;
    for (let a = 0; a < cfg.accumulate; a++) {
      const ex = await data.train.get(exampleIndex(cfg.seed, data.train.size, step * cfg.accumulate + a));
      const out = await lossOf(ex, state.params);
      loss += out.loss / cfg.accumulate;
      for (const [k, g] of out.gradients) {
        const acc = sum.get(k)!;
        for (let i = 0; i < g.length; i++) acc[i] = acc[i]! + g[i]! / cfg.accumulate;
      }
    }
    const lr = scheduledLr(cfg, step, cfg.steps);
    adamwStep(state.params, sum, state.adam, cfg, lr);
    state.trainLoss = loss;
    const done = state.adam.step;
    const last = done === cfg.steps;
    const validate = data.val.size > 0 && (last || (cfg.validateEvery > 0 && done % cfg.validateEvery === 0));
    if (validate) state.valLoss = await meanLoss(data.val, lossOf, state.params);
    if (hooks.saveCheckpoint && (last || (cfg.checkpointEvery > 0 && done % cfg.checkpointEvery === 0)))
      await hooks.saveCheckpoint(state);
    const elapsedMs = performance.now() - started;
    hooks.onProgress?.({
      step: done,
      steps: cfg.steps,
      trainLoss: loss,
      lr,
      ...(validate && state.valLoss !== null ? { valLoss: state.valLoss } : {}),
      elapsedMs,
      etaMs: (elapsedMs / (done - first)) * (cfg.steps - done),
    });
  }
  return state;
}

export function startState(params: readonly FusionParam[], seed: number): TrainState {
  const init = initialFusion(params, seed);
  return { params: init, adam: initialAdamState(init), trainLoss: NaN, valLoss: null };
}

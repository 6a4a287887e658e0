// AdamW (decoupled weight decay, Loshchilov & Hutter) with linear warmup then cosine decay to
// zero, as transformers' get_cosine_schedule_with_warmup; state is plain arrays so a checkpoint
// can hold it.

export interface OptimizerConfig {
  /** Peak learning rate (the paper: 4e-5). */
  lr: number;
  /** Decoupled weight decay (the paper: 0.01). */
  weightDecay: number;
  /** Fraction of the steps spent warming up linearly from 0 (the paper: 0.03). */
  warmupRatio: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const PAPER_OPTIMIZER: OptimizerConfig = {
  lr: 4e-5,
  weightDecay: 0.01,
  warmupRatio: 0.03,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

/**
 * Learning rate of optimiser step `step` (0-based) of `total`: transformers' cosine schedule with
 * warmup (warmup steps = ⌈total · ratio⌉, lr·step/warmup during them, then half a cosine to 0).
 */
export function scheduledLr(cfg: Pick<OptimizerConfig, 'lr' | 'warmupRatio'>, step: number, total: number): number {
  const warmup = Math.ceil(total * cfg.warmupRatio);
  if (step < warmup) return (cfg.lr * step) / Math.max(1, warmup);
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return cfg.lr * 0.5 * (1 + Math.cos(Math.PI * progress));
}

export interface AdamState {
  /** Optimiser steps taken. */
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export function initialAdamState(params: ReadonlyMap<string, Float32Array>): AdamState {
  const zeros = () => new Map([...params].map(([k, p]) => [k, new Float32Array(p.length)]));
  return { step: 0, m: zeros(), v: zeros() };
}

/**
 * One AdamW update of `params` in place with gradients `grads` at learning rate `lr`:
 * p ← p − lr·(m̂ / (√v̂ + ε) + λ·p), m̂ and v̂ bias-corrected (torch.optim.AdamW).
 */
export function adamwStep(
  params: Map<string, Float32Array>,
  grads: ReadonlyMap<string, Float32Array>,
  state: AdamState,
  cfg: OptimizerConfig,
  lr: number,
): void {
  state.step += 1;
  const c1 = 1 - cfg.beta1 ** state.step;
  const c2 = 1 - cfg.beta2 ** state.step;
  for (const [name, p] of params) {
    const g = grads.get(name);
    if (!g) throw new Error(`No gradient for ${name}`);
    const m = state.m.get(name)!;
    const v = state.v.get(name)!;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      m[i] = cfg.beta1 * m[i]! + (1 - cfg.beta1) * gi;
      v[i] = cfg.beta2 * v[i]! + (1 - cfg.beta2) * gi * gi;
      const update = m[i]! / c1 / (Math.sqrt(v[i]! / c2) + cfg.eps);
      p[i] = p[i]! - lr * (update + cfg.weightDecay * p[i]!);
    }
  }
}

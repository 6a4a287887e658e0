import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { adamwStep, initialAdamState, PAPER_OPTIMIZER, scheduledLr, type OptimizerConfig } from './optimizer.ts';

/** torch.optim.AdamW's algorithm as its documentation writes it, in float64 on plain arrays. */
function referenceAdamW(p0: number[], grads: number[][], lrs: number[], c: OptimizerConfig): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      p[i] = p[i]! - lrs[t]! * c.weightDecay * p[i]!;
      m[i] = c.beta1 * m[i]! + (1 - c.beta1) * g[i]!;
      v[i] = c.beta2 * v[i]! + (1 - c.beta2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - c.beta1 ** (t + 1));
      const vHat = v[i]! / (1 - c.beta2 ** (t + 1));
      p[i] = p[i]! - (lrs[t]! * mHat) / (Math.sqrt(vHat) + c.eps);
    }
  });
  return p;
}

describe('AdamW', () => {
  const cfg: OptimizerConfig = { ...PAPER_OPTIMIZER, lr: 1e-2, weightDecay: 0.1 };

  it('first step moves each weight by lr against its gradient sign, plus the decoupled decay', () => {
    const params = new Map([['w', Float32Array.of(1, -2, 0.5)]]);
    adamwStep(params, new Map([['w', Float32Array.of(3, -0.25, 1e-3)]]), initialAdamState(params), cfg, 0.01);
    const expected = [
      1 - 0.01 * 0.1 * 1 - 0.01,
      -2 + 0.01 * 0.1 * 2 + 0.01,
      0.5 - 0.01 * 0.1 * 0.5 - 0.01 * (1e-3 / (1e-3 + 1e-8)),
    ];
    params.get('w')!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('matches the float64 reference over 50 steps of random gradients and a changing learning rate', () => {
    const r = mulberry32(3);
    const n = 40;
    const p0 = Array.from({ length: n }, () => 2 * r() - 1);
    const grads = Array.from({ length: 50 }, () =>
      Array.from({ length: n }, () => (2 * r() - 1) * (r() < 0.1 ? 10 : 0.1)),
    );
    const lrs = grads.map((_, t) => scheduledLr(cfg, t, 50));
    const params = new Map([['w', Float32Array.from(p0)]]);
    const state = initialAdamState(params);
    grads.forEach((g, t) => adamwStep(params, new Map([['w', Float32Array.from(g)]]), state, cfg, lrs[t]!));
    const want = referenceAdamW(p0, grads, lrs, cfg);
    const got = params.get('w')!;
    for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
    expect(state.step).toBe(50);
    // The optimiser did move the weights (the comparison is not between two unchanged copies).
    expect(Math.max(...want.map((w, i) => Math.abs(w - p0[i]!)))).toBeGreaterThan(0.05);
  });
});

describe('cosine schedule with warmup (transformers get_cosine_schedule_with_warmup)', () => {
  const cfg = { lr: 4e-5, warmupRatio: 0.03 };
  it('warms up linearly over ceil(3%) of the steps, peaks, halves at the midpoint of the decay and ends near 0', () => {
    const total = 1000; // 30 warmup steps
    expect(scheduledLr(cfg, 0, total)).toBe(0);
    expect(scheduledLr(cfg, 15, total)).toBeCloseTo(2e-5, 12);
    expect(scheduledLr(cfg, 30, total)).toBeCloseTo(4e-5, 12);
    expect(scheduledLr(cfg, 30 + 485, total)).toBeCloseTo(2e-5, 12);
    expect(scheduledLr(cfg, 999, total)).toBeLessThan(1e-9);
    expect(scheduledLr({ lr: 1, warmupRatio: 0.03 }, 1, 10)).toBe(1); // ⌈0.3⌉ = 1 warmup step
  });
});

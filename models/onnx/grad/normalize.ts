// VJPs of normalisations and reductions.
import { attrFloat, attrInt } from '../attrs.ts';
import { DataType, type Dim } from '../modelProto.ts';
import { normAxis, type TensorInfo } from '../shapes.ts';
import type { GradEmitter } from './emitter.ts';
import type { GradRule } from './rule.ts';

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Axes Softmax normalises over: one axis from opset 13, else everything from `axis` on (2-D coercion). */
function softmaxAxes(e: GradEmitter, x: string, n: Parameters<GradRule>[1]): number[] {
  const r = e.rank(x);
  if (e.opset >= 13) return [normAxis(attrInt(n, 'axis', -1), r)];
  return range(normAxis(attrInt(n, 'axis', 1), r), r);
}

const softmax: GradRule = (e, n, [gy]) => {
  const s = n.output[0]!;
  const axes = softmaxAxes(e, n.input[0]!, n);
  const gs = e.mul(gy!, s);
  return [e.sub(gs, e.mul(s, e.reduceSum(gs, axes, true)))];
};

const logSoftmax: GradRule = (e, n, [gy]) => {
  const axes = softmaxAxes(e, n.input[0]!, n);
  return [e.sub(gy!, e.mul(e.op('Exp', [n.output[0]!]), e.reduceSum(gy!, axes, true)))];
};

/**
 * Gradients of y = x̂·scale (+ bias) with x̂ normalised over `axes` of x (x may be a new tensor,
 * `xShape` its shape): gx = rstd·(g' − mean(g') − x̂·mean(g'·x̂)) with g' = g·scale.
 */
function layerNormGrads(
  e: GradEmitter,
  x: string,
  xShape: Dim[],
  scale: string,
  bias: string | undefined,
  g: string,
  axes: number[],
  eps: number,
  need: [boolean, boolean, boolean],
  saved?: { mean: string; rstd: string },
): [string | undefined, string | undefined, string | undefined] {
  let xhat: string;
  let rstd: string;
  if (saved) {
    rstd = saved.rstd;
    xhat = e.mul(e.sub(x, saved.mean), rstd);
  } else {
    const xc = e.sub(x, e.reduceMean(x, axes, true));
    rstd = e.div(e.k(1), e.op('Sqrt', [e.add(e.reduceMean(e.mul(xc, xc), axes, true), e.k(eps))]));
    xhat = e.mul(xc, rstd);
  }
  let gx: string | undefined;
  if (need[0]) {
    const gxhat = e.mul(g, scale);
    const inner = e.sub(
      e.sub(gxhat, e.reduceMean(gxhat, axes, true)),
      e.mul(xhat, e.reduceMean(e.mul(gxhat, xhat), axes, true)),
    );
    gx = e.mul(rstd, inner);
  }
  const gScale = need[1] ? e.unbroadcast(e.mul(g, xhat), xShape, scale) : undefined;
  const gBias = bias && need[2] ? e.unbroadcast(g, xShape, bias) : undefined;
  return [gx, gScale, gBias];
}

const layerNormalization: GradRule = (e, n, gy, need) => {
  if (gy[1] || gy[2]) throw e.error('gradients through the Mean / InvStdDev outputs are not supported');
  const [x, scale, bias] = n.input as [string, string, string | undefined];
  const r = e.rank(x);
  const axes = range(normAxis(attrInt(n, 'axis', -1), r), r);
  const eps = attrFloat(n, 'epsilon', 1e-5);
  const xShape = e.shape(x);
  // The forward node's own Mean and InvStdDev outputs (float32 statistics: only for float32 x, so
  // no casts are needed) save recomputing them: six nodes fewer per LayerNormalization.
  const stat: TensorInfo = { elemType: DataType.FLOAT, shape: xShape.map((d, i) => (axes.includes(i) ? 1 : d)) };
  const saved =
    e.info.get(x)?.elemType === DataType.FLOAT && attrInt(n, 'stash_type', 1) === 1
      ? e.forwardOutputs(n, [1, 2], [stat, stat])
      : undefined;
  return layerNormGrads(
    e,
    x,
    xShape,
    scale,
    bias,
    gy[0]!,
    axes,
    eps,
    [need[0]!, need[1]!, need[2] ?? false],
    saved && { mean: saved[0]!, rstd: saved[1]! },
  );
};

/**
 * com.microsoft SkipLayerNormalization: s = input + skip (+ bias); y = LayerNorm(s) over the last
 * axis; output 3 (optional) is s itself.
 */
const skipLayerNormalization: GradRule = (e, n, gy, need) => {
  if (gy[1] || gy[2]) throw e.error('gradients through the mean / inv_std_var outputs are not supported');
  const [input, skip, gamma, beta, bias] = n.input as [string, string, string, string | undefined, string | undefined];
  const xs = e.shape(input);
  const sum0 = e.add(input, skip);
  const s = bias ? e.add(sum0, bias) : sum0;
  const eps = attrFloat(n, 'epsilon', 1e-12);
  const [gsNorm, gGamma, gBeta] = gy[0]
    ? layerNormGrads(e, s, xs, gamma, beta, gy[0], [xs.length - 1], eps, [true, need[2]!, need[3] ?? false])
    : [undefined, undefined, undefined];
  const parts = [gsNorm, gy[3]].filter((t): t is string => Boolean(t));
  const gs = parts.length === 2 ? e.add(parts[0]!, parts[1]!) : parts[0]!;
  return [
    need[0] ? gs : undefined,
    need[1] ? e.unbroadcast(gs, xs, skip) : undefined,
    gGamma,
    gBeta,
    bias && need[4] ? e.unbroadcast(gs, xs, bias) : undefined,
  ];
};

/** BatchNormalization in inference mode: y = (x - mean)·scale/√(var + ε) + B, per channel (axis 1). */
const batchNormalization: GradRule = (e, n, gy, need) => {
  if (attrInt(n, 'training_mode', 0) === 1) throw e.error('training-mode BatchNormalization is not supported');
  const [x, scale, , mean, variance] = n.input as [string, string, string, string, string];
  const r = e.rank(x);
  const g = gy[0]!;
  const eps = attrFloat(n, 'epsilon', 1e-5);
  const perChannel = (t: string) => e.unsqueeze(t, range(1, r - 1));
  const others = [0, ...range(2, r)];
  const rstd = e.div(e.k(1), e.op('Sqrt', [e.add(variance, e.k(eps))]));
  const k = e.mul(scale, rstd);
  const gSum = need[2] || need[3] ? e.reduceSum(g, others, false) : undefined;
  const xc = need[1] || need[4] ? e.sub(x, perChannel(mean)) : undefined;
  const gXc = xc ? e.reduceSum(e.mul(g, xc), others, false) : undefined;
  return [
    need[0] ? e.mul(g, perChannel(k)) : undefined,
    need[1] ? e.mul(gXc!, rstd) : undefined,
    need[2] ? gSum : undefined,
    need[3] ? e.neg(e.mul(gSum!, k)) : undefined,
    // d/dvar of (x-mean)·scale·(var+ε)^-1/2 = -½·(x-mean)·scale·rstd³
    need[4] ? e.mul(e.mul(gXc!, scale), e.mul(e.k(-0.5), e.mul(rstd, e.mul(rstd, rstd)))) : undefined,
  ];
};

/** y = x / ‖x‖₂ along `axis`: gx = (gy - y·Σ gy·y) / ‖x‖. */
const lpNormalization: GradRule = (e, n, [gy]) => {
  if (attrInt(n, 'p', 2) !== 2) throw e.error('only p = 2 is supported');
  const x = n.input[0]!;
  const y = n.output[0]!;
  const axis = [normAxis(attrInt(n, 'axis', -1), e.rank(x))];
  const norm = e.op('Sqrt', [e.reduceSum(e.mul(x, x), axis, true)]);
  const proj = e.reduceSum(e.mul(gy!, y), axis, true);
  return [e.div(e.sub(gy!, e.mul(y, proj)), norm)];
};

/** The output gradient with reduced axes restored (as size 1), ready to broadcast over x. */
function keptDims(e: GradEmitter, n: Parameters<GradRule>[1], g: string, axes: number[]): string {
  return attrInt(n, 'keepdims', 1) === 1 ? g : e.unsqueeze(g, axes);
}

function reduceRule(
  grad: (e: GradEmitter, x: string, gKept: string, yKept: string, axes: number[]) => string,
): GradRule {
  return (e, n, [gy]) => {
    const x = n.input[0]!;
    const axes = e.reduceAxes(n, x);
    if (axes === 'noop') return [gy];
    return [grad(e, x, keptDims(e, n, gy!, axes), keptDims(e, n, n.output[0]!, axes), axes)];
  };
}

const reduceSum = reduceRule((e, x, g) => e.expandLike(g, x));
const reduceMean = reduceRule((e, x, g, _y, axes) => e.expandLike(e.mul(g, e.inverseCount(x, axes)), x));
const reduceSumSquare = reduceRule((e, x, g) => e.mul(e.mul(x, e.k(2)), g));
const reduceL2 = reduceRule((e, x, g, y) => e.mul(x, e.div(g, y)));
/** Max/Min: the gradient goes to every element equal to the extreme (ties share it in full). */
const reduceExtreme = reduceRule((e, x, g, y) => e.mul(e.cast(e.op('Equal', [x, y]), e.dtype), g));

export const NORMALIZE_RULES: Record<string, GradRule> = {
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  LayerNormalization: layerNormalization,
  'com.microsoft.SkipLayerNormalization': skipLayerNormalization,
  BatchNormalization: batchNormalization,
  LpNormalization: lpNormalization,
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceSumSquare: reduceSumSquare,
  ReduceL2: reduceL2,
  ReduceMax: reduceExtreme,
  ReduceMin: reduceExtreme,
};

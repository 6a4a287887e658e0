// Row-compact gradients. A Gather of one index (a ViT's CLS token: x[:, 0, :]) or a Slice passes
// back a gradient that is zero outside a few rows of one axis. Carried as just those rows through
// ops that act on each row alone (element-wise ops, LayerNorm and Softmax over other axes, the rows
// of a MatMul, reshapes and transposes that keep the axis), the backward pass of everything after
// such a Gather costs a few rows instead of the whole tensor: for a ViT, the last block's backward
// pass shrinks from T×T attention products to 1×T. The zeros are padded back in (one Pad) where an
// op mixes rows, e.g. the attention's Pᵀ·g, or where a dense gradient is added.
import { attrInt, attrInts } from '../attrs.ts';
import { isStatic } from '../dims.ts';
import type { Dim, NodeProto } from '../modelProto.ts';
import { normAxis, sliceRange } from '../shapes.ts';
import type { GradEmitter } from './emitter.ts';
import type { GradRule } from './rule.ts';

/** The rows start … start+len−1 along `axis` of a gradient of shape `shape`; all else is zero. */
export interface CompactGrad {
  tensor: string;
  axis: number;
  start: number;
  len: number;
  /** Shape of the whole gradient (= of the forward tensor); static along `axis`. */
  shape: Dim[];
}

/** A gradient: a dense tensor, or the nonzero rows of one. */
export type Grad = string | CompactGrad;

export const isCompact = (g: Grad | undefined): g is CompactGrad => typeof g === 'object';

/** Ops whose output row i (along any axis they broadcast over) depends only on input row i. */
const ELEMENTWISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Neg',
  'Abs',
  'Sqrt',
  'Exp',
  'Log',
  'Reciprocal',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Softplus',
  'Tanh',
  'Erf',
  'Gelu',
  'Clip',
  'Where',
  'Max',
  'Min',
  'Identity',
  'Cast',
  'com.microsoft.Gelu',
  'com.microsoft.BiasGelu',
  'com.microsoft.FastGelu',
  'com.microsoft.QuickGelu',
  // Straight-through: its scale and zero point are constants for the backward pass.
  'DynamicQuantizeLinear',
]);
const RESHAPES = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);

/** The dense gradient: the rows padded with zeros to the whole axis. */
export function densify(e: GradEmitter, g: CompactGrad): string {
  const r = g.shape.length;
  const pads = Array<number>(2 * r).fill(0);
  pads[g.axis] = g.start;
  pads[g.axis + r] = (g.shape[g.axis] as number) - g.start - g.len;
  return e.pad(g.tensor, pads);
}

/** The sum of gradients of one tensor: compact when all are compact over the same rows. */
export function sumGrads(e: GradEmitter, list: Grad[]): Grad {
  const [first] = list;
  if (list.length === 1) return first!;
  if (
    isCompact(first) &&
    list.every((g) => isCompact(g) && g.axis === first.axis && g.start === first.start && g.len === first.len)
  )
    return { ...first, tensor: list.map((g) => (g as CompactGrad).tensor).reduce((a, b) => e.add(a, b)) };
  return list.map((g) => (isCompact(g) ? densify(e, g) : g)).reduce((a, b) => e.add(a, b));
}

function compact(e: GradEmitter, tensor: string, like: string, axis: number, start: number, len: number): CompactGrad {
  const shape = e.shape(like);
  e.info.set(tensor, { elemType: e.info.get(like)?.elemType, shape: shape.map((d, i) => (i === axis ? len : d)) });
  return { tensor, axis, start, len, shape };
}

/**
 * The compact gradient of a Gather of one constant index or of a one-axis, unit-step Slice
 * with constant bounds, w.r.t. its data input; undefined for any other node.
 */
export function compactSourceGrad(e: GradEmitter, n: NodeProto, gy: string): CompactGrad | undefined {
  const x = n.input[0]!;
  const xs = e.info.get(x)?.shape;
  if (!xs) return undefined;
  const r = xs.length;
  if (n.opType === 'Gather') {
    const indices = e.info.get(n.input[1]!);
    const axis = normAxis(attrInt(n, 'axis', 0), r);
    const dim = xs[axis]!;
    const index = indices?.value?.[0];
    if (!isStatic(dim) || indices?.value?.length !== 1 || typeof index !== 'number' || dim < 2) return undefined;
    const rank = indices.shape?.length;
    if (rank !== 0 && rank !== 1) return undefined;
    const rows = rank === 0 ? e.unsqueeze(gy, [axis]) : gy;
    return compact(e, rows, x, axis, index < 0 ? index + dim : index, 1);
  }
  if (n.opType === 'Slice' && e.opset >= 10) {
    const constant = (i: number) => {
      const v = n.input[i] ? e.info.get(n.input[i]!)?.value : undefined;
      return v?.every((d): d is number => typeof d === 'number') ? v : undefined;
    };
    const [starts, ends] = [constant(1), constant(2)];
    const axes = n.input[3] ? constant(3) : starts?.map((_, i) => i);
    const steps = n.input[4] ? constant(4) : starts?.map(() => 1);
    if (starts?.length !== 1 || !ends || !axes || !steps || steps[0] !== 1) return undefined;
    const axis = normAxis(axes[0]!, r);
    const dim = xs[axis]!;
    const span = isStatic(dim) ? sliceRange(dim, starts[0]!, ends[0]!, 1) : undefined;
    if (!span || span.count === 0 || span.count === dim) return undefined;
    return compact(e, gy, x, axis, span.start, span.count);
  }
  return undefined;
}

/**
 * Gradients of node `n`'s inputs from the compact gradient of its only differentiated output, kept
 * compact where the rows survive; undefined when the op mixes rows (the caller densifies).
 */
export function compactRule(
  e: GradEmitter,
  n: NodeProto,
  gy: CompactGrad,
  need: boolean[],
  rule: GradRule,
  key: string,
): (Grad | undefined)[] | undefined {
  const x = n.input[0]!;
  if (RESHAPES.has(n.opType)) {
    const axis = reshapedAxis(e, x, n.output[0]!, gy.axis);
    if (axis === undefined) return undefined;
    const shape = e.staticShape(x, 'compact reshape').map((d, i) => (i === axis ? gy.len : d));
    return [compact(e, e.reshape(gy.tensor, shape), x, axis, gy.start, gy.len)];
  }
  if (n.opType === 'Transpose') {
    const r = e.rank(x);
    const perm = attrInts(n, 'perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
    const inverse = Array<number>(r);
    perm.forEach((p, i) => (inverse[p] = i));
    return [compact(e, e.transpose(gy.tensor, inverse), x, perm[gy.axis]!, gy.start, gy.len)];
  }
  const carried = rowAxes(e, n, key, gy.axis);
  if (!carried) return undefined;
  // The op applied to the rows alone: its dense rule, on the rows of every operand that has them.
  const view = (t: string, axis: number | undefined) =>
    t && axis !== undefined ? e.rows(t, axis, gy.start, gy.len) : t;
  const rows: NodeProto = {
    ...n,
    input: n.input.map((t, k) => view(t, carried.inputs[k])),
    output: n.output.map((t, k) => view(t, carried.outputs[k])),
  };
  e.rowView = { view: rows, of: n, axis: gy.axis, start: gy.start, len: gy.len };
  try {
    const gx = rule(e, rows, [gy.tensor], need);
    return gx.map((g, k) => {
      const axis = carried.inputs[k];
      return g && axis !== undefined ? compact(e, g, n.input[k]!, axis, gy.start, gy.len) : g;
    });
  } finally {
    e.rowView = undefined;
  }
}

/**
 * Where the rows along output axis `axis` sit in each input and output of a row-wise node
 * (undefined entries: operands broadcast along it); undefined if the node mixes those rows.
 */
function rowAxes(
  e: GradEmitter,
  n: NodeProto,
  key: string,
  axis: number,
): { inputs: (number | undefined)[]; outputs: (number | undefined)[] } | undefined {
  const out = e.info.get(n.output[0]!)?.shape;
  if (!out || n.input.some((t) => t && !e.info.get(t)?.shape)) return undefined;
  const r = out.length;
  const aligned = (t: string) => {
    if (!t) return undefined;
    const s = e.info.get(t)!.shape!;
    const p = axis - (r - s.length);
    return p >= 0 && s[p] === out[axis] ? p : undefined;
  };
  if (key === 'MatMul' || key === 'MatMulInteger') {
    const a = e.info.get(n.input[0]!)!.shape!;
    if (a.length < 2 || axis !== r - 2) return undefined;
    return { inputs: n.input.map((_, k) => (k === 0 ? a.length - 2 : undefined)), outputs: [axis] };
  }
  if (key === 'Softmax' || key === 'LogSoftmax') {
    const first = normAxis(attrInt(n, 'axis', e.opset >= 13 ? -1 : 1), r);
    if (e.opset >= 13 ? axis === first : axis >= first) return undefined;
  } else if (key === 'LayerNormalization') {
    if (axis >= normAxis(attrInt(n, 'axis', -1), r)) return undefined;
  } else if (!ELEMENTWISE.has(key)) return undefined;
  return { inputs: n.input.map(aligned), outputs: n.output.map(aligned) };
}

/** The axis of `x` that a reshape to `y` keeps whole as `y`'s `axis` (same size, same elements before it). */
function reshapedAxis(e: GradEmitter, x: string, y: string, axis: number): number | undefined {
  const xs = e.info.get(x)?.shape;
  const ys = e.info.get(y)?.shape;
  if (!xs?.every(isStatic) || !ys?.every(isStatic)) return undefined;
  const before = (s: number[], i: number) => s.slice(0, i).reduce((p, d) => p * d, 1);
  const outer = before(ys, axis);
  for (let b = 0; b < xs.length; b++) if (xs[b] === ys[axis] && before(xs, b) === outer) return b;
  return undefined;
}

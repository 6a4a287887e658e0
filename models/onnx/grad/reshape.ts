// VJPs of data-movement ops: layout changes, slicing, gathering, joining and selecting.
import { attrInt, attrInts, attrString } from '../attrs.ts';
import { isStatic } from '../dims.ts';
import type { Dim } from '../modelProto.ts';
import { normAxis, sliceRange } from '../shapes.ts';
import { DataType } from '../modelProto.ts';
import { FLOAT_TYPES } from './emitter.ts';
import type { GradRule } from './rule.ts';

const identity: GradRule = (_e, _n, [gy]) => [gy];
const reshapeBack: GradRule = (e, n, [gy]) => [e.reshapeLike(gy!, n.input[0]!)];

const transpose: GradRule = (e, n, [gy]) => {
  const r = e.rank(n.input[0]!);
  const perm = attrInts(n, 'perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  const inverse = Array<number>(r);
  perm.forEach((p, i) => (inverse[p] = i));
  return [e.transpose(gy!, inverse)];
};

const cast: GradRule = (e, n, [gy]) => {
  const t = e.elemType(n.input[0]!);
  // Integer sources only occur on quantized paths, where the float gradient passes straight through.
  return [t !== undefined && FLOAT_TYPES.has(t) && t !== e.elemType(n.output[0]!) ? e.cast(gy!, t) : gy];
};

/** Start offset and size of each input along the Concat axis: static numbers, or runtime tensors. */
const concat: GradRule = (e, n, [gy], need) => {
  const r = e.rank(n.output[0]!);
  const axis = normAxis(attrInt(n, 'axis', 0), r);
  const sizes = n.input.map((x) => e.shape(x)[axis]!);
  if (sizes.every(isStatic)) {
    let offset = 0;
    return n.input.map((_, k) => {
      const start = offset;
      offset += sizes[k] as number;
      return need[k] ? e.slice(gy!, [start], [offset], [axis]) : undefined;
    });
  }
  // Symbolic sizes: offsets from the inputs' runtime shapes.
  let offset = e.ints([0]);
  return n.input.map((x, k) => {
    const start = offset;
    const size = e.op('Gather', [e.shapeOf(x), e.ints([axis])], { axis: 0 });
    offset = e.add(start, size);
    return need[k] ? e.op('Slice', [gy!, start, offset, e.ints([axis])]) : undefined;
  });
};

const split: GradRule = (e, n, gy) => {
  const x = n.input[0]!;
  const axis = normAxis(attrInt(n, 'axis', 0), e.rank(x));
  const parts = n.output.map((o, k) => gy[k] ?? e.zerosLike(o));
  return [parts.length === 1 ? parts[0] : e.op('Concat', parts, { axis })];
};

/** Slice: gy is scattered back to x's extent (zero-padded; strided or reversed slices interleave zeros). */
const slice: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const xs = e.shape(x);
  const r = xs.length;
  const constant = (i: number) => {
    const name = n.input[i];
    if (!name) return undefined;
    const v = e.info.get(name)?.value;
    if (!v || !v.every((d) => typeof d === 'number')) throw e.error('starts, ends, axes and steps must be constants');
    return v as number[];
  };
  const starts = e.opset >= 10 ? constant(1)! : attrInts(n, 'starts')!;
  const ends = e.opset >= 10 ? constant(2)! : attrInts(n, 'ends')!;
  const axes = (e.opset >= 10 ? constant(3) : attrInts(n, 'axes')) ?? starts.map((_, i) => i);
  const steps = (e.opset >= 10 ? constant(4) : undefined) ?? starts.map(() => 1);
  const pads = Array<number>(2 * r).fill(0);
  let g = gy!;
  axes.forEach((a, k) => {
    const ax = normAxis(a, r);
    const dim = xs[ax]!;
    const step = steps[k]!;
    const span = sliceRange(dim, starts[k]!, ends[k]!, step);
    if (!isStatic(dim) || !span) throw e.error(`slicing axis ${ax} of symbolic size ${dim} is not supported`);
    let first = span.start;
    if (step < 0) {
      // Reverse gy along the axis so its elements come in ascending input order.
      g = e.op('Slice', [g, e.ints([-1]), e.ints([-(2 ** 53)]), e.ints([ax]), e.ints([-1])]);
      first = span.start + (span.count - 1) * step;
    }
    const stride = Math.abs(step);
    let extent = span.count;
    if (stride > 1 && span.count > 0) {
      // Interleave stride-1 zeros after every element: [.., n, ..] → [.., n, stride, ..] → [.., n·stride, ..].
      const spread = e.pad(e.unsqueeze(g, [ax + 1]), padAt(r + 1, ax + 1, 0, stride - 1));
      g = e.op('Reshape', [spread, mergedShape(e, g, ax, span.count * stride, r)]);
      extent = span.count * stride;
      if (first + extent > dim) {
        g = e.slice(g, [0], [dim - first], [ax]);
        extent = dim - first;
      }
    }
    pads[ax] = first;
    pads[ax + r] = dim - first - extent;
  });
  return [e.pad(g, pads)];
};

/** Pads of a rank-`r` Pad that add `begin`/`end` along one axis only. */
function padAt(r: number, axis: number, begin: number, end: number): number[] {
  const p = Array<number>(2 * r).fill(0);
  p[axis] = begin;
  p[axis + r] = end;
  return p;
}

/** Shape of `t` (rank r) with the size along `axis` replaced by `size`, as a Reshape operand. */
function mergedShape(e: Parameters<GradRule>[0], t: string, axis: number, size: number, r: number): string {
  const parts: string[] = [];
  if (axis > 0) parts.push(e.op('Slice', [e.shapeOf(t), e.ints([0]), e.ints([axis])]));
  parts.push(e.ints([size]));
  if (axis < r - 1) parts.push(e.op('Slice', [e.shapeOf(t), e.ints([axis + 1]), e.ints([r])]));
  return parts.length === 1 ? parts[0]! : e.op('Concat', parts, { axis: 0 });
}

/**
 * Gather along `axis`: scatter-add via a one-hot matrix, [dim, q] · gy[pre, q, post], which also
 * handles repeated indices and runtime index tensors.
 */
const gather: GradRule = (e, n, [gy], need) => {
  if (need[1]) throw e.error('indices are not differentiable');
  const [x, indices] = n.input as [string, string];
  const xs = e.shape(x);
  const axis = normAxis(attrInt(n, 'axis', 0), xs.length);
  const dim = xs[axis]!;
  const is = e.shape(indices);
  const post = xs.slice(axis + 1);
  if (!isStatic(dim) || !is.every(isStatic) || !post.every(isStatic))
    throw e.error('gathering needs static sizes for the gathered axis, the indices and the trailing axes');
  const q = is.reduce((a, b) => a * b, 1);
  const postSize = post.reduce((a, b) => a * b, 1);
  const idxType = e.elemType(indices) ?? DataType.INT64;
  let idx = e.reshape(indices, [1, q]);
  const known = e.info.get(indices)?.value;
  if (!known || known.some((v) => typeof v !== 'number' || v < 0)) {
    // Negative indices count from the end.
    const negative = e.cast(e.op('Less', [idx, e.cast(e.ints([0]), idxType)]), idxType);
    idx = e.add(idx, e.mul(negative, e.cast(e.ints([dim]), idxType)));
  }
  const arange = e.cast(e.ints(Array.from({ length: dim }, (_, i) => i)), idxType);
  const column = e.reshape(arange, [dim, 1]);
  const oneHot = e.cast(e.op('Equal', [column, idx]), e.dtype);
  const g3 = e.reshape(gy!, [-1, q, postSize]);
  const scattered = e.op('MatMul', [oneHot, g3]);
  return [e.reshapeLike(scattered, x), undefined];
};

const expand: GradRule = (e, n, [gy]) => [e.unbroadcast(gy!, e.shape(n.output[0]!), n.input[0]!)];

const where: GradRule = (e, n, [gy], need) => {
  const [cond, a, b] = n.input as [string, string, string];
  const s: Dim[] = e.shape(n.output[0]!);
  return [
    undefined,
    need[1] ? e.unbroadcast(e.op('Where', [cond, gy!, e.k(0)]), s, a) : undefined,
    need[2] ? e.unbroadcast(e.op('Where', [cond, e.k(0), gy!]), s, b) : undefined,
  ];
};

/** Constant-mode Pad with constant, non-negative pads: the gradient is the un-padded window of gy. */
const pad: GradRule = (e, n, [gy]) => {
  const r = e.rank(n.input[0]!);
  const pads = e.opset >= 11 ? e.info.get(n.input[1] ?? '')?.value : attrInts(n, 'pads');
  if (!pads || !pads.every((p) => typeof p === 'number' && p >= 0))
    throw e.error('pads must be constant and non-negative');
  if (e.opset >= 18 && n.input[3]) throw e.error('the axes input is not supported');
  if (attrString(n, 'mode', 'constant') !== 'constant') throw e.error('only constant padding is supported');
  const p = pads as number[];
  const axes = Array.from({ length: r }, (_, i) => i);
  // Ends counted from the end (or "to the end" for no padding) work for symbolic dims too.
  const ends = axes.map((i) => (p[i + r] ? -p[i + r]! : Number.MAX_SAFE_INTEGER));
  return [
    e.slice(
      gy!,
      axes.map((i) => p[i]!),
      ends,
      axes,
    ),
  ];
};

export const RESHAPE_RULES: Record<string, GradRule> = {
  Identity: identity,
  Dropout: identity,
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Cast: cast,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Expand: expand,
  Where: where,
  Pad: pad,
};

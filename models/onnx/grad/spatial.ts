// VJPs of sliding-window ops (Conv, MaxPool, AveragePool) and global pools, built from
// Conv / ConvTranspose / Slice / Pad so they run on GPU execution providers without *Grad ops.
import { attrInt, attrInts, attrString } from '../attrs.ts';
import { isStatic } from '../dims.ts';
import type { NodeProto } from '../modelProto.ts';
import type { GradEmitter } from './emitter.ts';
import type { GradRule } from './rule.ts';

interface Window {
  /** Input spatial size, output spatial size, kernel size (all static). */
  S: number[];
  O: number[];
  K: number[];
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  padsEnd: number[];
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Channel and spatial dims (the batch may be symbolic). */
function staticSpatial(e: GradEmitter, t: string): number[] {
  const s = e.shape(t).slice(1);
  if (!s.every(isStatic))
    throw e.error(`needs static channel and spatial dims, "${t}" has shape [${e.shape(t).join(', ')}]`);
  return (s as number[]).slice(1);
}

function channels(e: GradEmitter, t: string): number {
  staticSpatial(e, t);
  return e.shape(t)[1] as number;
}

function windowOf(e: GradEmitter, n: NodeProto, x: string, y: string, kernel: number[]): Window {
  const S = staticSpatial(e, x);
  const O = staticSpatial(e, y);
  const r = S.length;
  const strides = attrInts(n, 'strides') ?? Array<number>(r).fill(1);
  const dilations = attrInts(n, 'dilations') ?? Array<number>(r).fill(1);
  const autoPad = attrString(n, 'auto_pad', 'NOTSET');
  let pads = attrInts(n, 'pads') ?? Array<number>(2 * r).fill(0);
  if (autoPad === 'VALID') pads = Array<number>(2 * r).fill(0);
  else if (autoPad.startsWith('SAME')) {
    pads = Array<number>(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const total = Math.max(0, (O[i]! - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - S[i]!);
      const begin = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pads[i] = begin;
      pads[i + r] = total - begin;
    }
  }
  return { S, O, K: kernel, strides, dilations, padsBegin: pads.slice(0, r), padsEnd: pads.slice(r) };
}

/** Extent covered by the windows: (O-1)·s + (K-1)·d + 1 per spatial axis. */
function coveredExtent(w: Window): number[] {
  return w.O.map((o, i) => (o - 1) * w.strides[i]! + (w.K[i]! - 1) * w.dilations[i]! + 1);
}

/**
 * Scatters per-window contributions back to the input: ConvTranspose without padding yields the
 * padded input extent, from which the unpadded part is cut (and zero-filled where no window reached).
 */
function scatterWindows(e: GradEmitter, contrib: string, weight: string, group: number, w: Window): string {
  const full = e.op('ConvTranspose', [contrib, weight], { strides: w.strides, dilations: w.dilations, group });
  const extent = coveredExtent(w);
  const r = w.S.length;
  const axes = range(2, 2 + r);
  const ends = w.S.map((s, i) => Math.min(extent[i]!, w.padsBegin[i]! + s));
  const cut = e.slice(full, w.padsBegin, ends, axes);
  const short = w.S.map((s, i) => w.padsBegin[i]! + s - ends[i]!);
  return e.pad(cut, [0, 0, ...Array<number>(r).fill(0), 0, 0, ...short]);
}

const conv: GradRule = (e, n, [gy], need) => {
  const [x, weight, bias] = n.input as [string, string, string | undefined];
  const y = n.output[0]!;
  const ws = e.staticShape(weight, 'Conv gradients');
  const w = windowOf(e, n, x, y, attrInts(n, 'kernel_shape') ?? ws.slice(2));
  const group = attrInt(n, 'group', 1);
  const r = w.S.length;
  const M = ws[0]!;
  const Cg = ws[1]!;
  let gx: string | undefined;
  if (need[0]) {
    // Transposed convolution with the same weights, group, strides and dilations.
    gx = scatterWindows(e, gy!, weight, group, w);
  }
  let gw: string | undefined;
  if (need[1]) {
    // Per group g: dW_g = Conv(x_gᵀ, gy_gᵀ) with batch and channel roles swapped, strides and
    // dilations exchanged; groups are stacked along the channel axis of the swapped tensors.
    const spatial = range(3, 3 + r);
    const xg = e.transpose(e.reshape(x, [0, group, Cg, ...w.S]), [2, 1, 0, ...spatial]);
    const xT = e.reshape(xg, [Cg, -1, ...w.S]);
    const gg = e.transpose(e.reshape(gy!, [0, group, M / group, ...w.O]), [1, 2, 0, ...spatial]);
    const gT = e.reshape(gg, [M, -1, ...w.O]);
    const corr = e.op('Conv', [xT, gT], {
      strides: w.dilations,
      dilations: w.strides,
      pads: [...w.padsBegin, ...w.padsEnd],
      group,
    });
    const cropped = e.slice(corr, Array<number>(r).fill(0), w.K, range(2, 2 + r));
    gw = e.transpose(cropped, [1, 0, ...range(2, 2 + r)]);
  }
  const gb = bias && need[2] ? e.reduceSum(gy!, [0, ...range(2, 2 + r)], false) : undefined;
  return [gx, gw, gb];
};

/** Row-major offsets of a kernel window. */
function kernelOffsets(K: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const k of K) offsets = offsets.flatMap((o) => range(0, k).map((i) => [...o, i]));
  return offsets;
}

/** Depthwise scatter weights [C·P, 1, ...K]: row c·P + p is one-hot at offset p (or all ones when P = 1). */
function scatterWeight(e: GradEmitter, C: number, K: number[], oneHot: boolean): string {
  const kSize = K.reduce((a, b) => a * b, 1);
  const P = oneHot ? kSize : 1;
  const data = new Array<number>(C * P * kSize).fill(oneHot ? 0 : 1);
  if (oneHot) for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) data[(c * P + p) * kSize + p] = 1;
  return e.floats(data, [C * P, 1, ...K]);
}

/**
 * MaxPool: each window's gradient goes to its first maximal element (row-major, as the
 * forward op picks it). For every kernel offset, a strided slice of the (−∞-padded) input is
 * compared with the output; the masks, times gy, are scattered back with one ConvTranspose.
 */
const maxPool: GradRule = (e, n, [gy]) => {
  if (!gy) return [undefined];
  const x = n.input[0]!;
  const y = n.output[0]!;
  const kernel = attrInts(n, 'kernel_shape');
  if (!kernel) throw e.error('kernel_shape is required');
  const w = windowOf(e, n, x, y, kernel);
  const C = channels(e, x);
  const r = w.S.length;
  const extent = coveredExtent(w);
  const padEnd = w.S.map((s, i) => Math.max(w.padsEnd[i]!, extent[i]! - w.padsBegin[i]! - s));
  const needsPad = [...w.padsBegin, ...padEnd].some((p) => p > 0);
  const xp = needsPad
    ? e.op('Pad', [x, e.ints([0, 0, ...w.padsBegin, 0, 0, ...padEnd]), e.k(-Infinity)], { mode: 'constant' })
    : x;
  const axes = range(2, 2 + r);
  let taken: string | undefined;
  const parts: string[] = [];
  for (const off of kernelOffsets(w.K)) {
    const starts = off.map((o, i) => o * w.dilations[i]!);
    const ends = starts.map((s, i) => s + (w.O[i]! - 1) * w.strides[i]! + 1);
    const window = e.op('Slice', [xp, e.ints(starts), e.ints(ends), e.ints(axes), e.ints(w.strides)]);
    let hit = e.cast(e.op('Equal', [window, y]), e.dtype);
    if (taken) hit = e.mul(hit, e.sub(e.k(1), taken));
    taken = taken ? e.add(taken, hit) : hit;
    parts.push(e.unsqueeze(e.mul(gy, hit), [2]));
  }
  const P = parts.length;
  const stacked = e.reshape(e.op('Concat', parts, { axis: 2 }), [0, C * P, ...w.O]);
  return [scatterWindows(e, stacked, scatterWeight(e, C, w.K, true), C, w)];
};

/** Number of elements each AveragePool window divides by (static, per output position). */
function averageDivisors(w: Window, countPad: boolean): number[] {
  const r = w.S.length;
  const out: number[] = [];
  const visit = (axis: number, idx: number[]) => {
    if (axis === r) {
      let count = 1;
      for (let i = 0; i < r; i++) {
        let c = 0;
        for (let k = 0; k < w.K[i]!; k++) {
          const p = idx[i]! * w.strides[i]! - w.padsBegin[i]! + k * w.dilations[i]!;
          const inside = countPad ? p >= -w.padsBegin[i]! && p < w.S[i]! + w.padsEnd[i]! : p >= 0 && p < w.S[i]!;
          if (inside) c++;
        }
        count *= c;
      }
      out.push(count);
      return;
    }
    for (let o = 0; o < w.O[axis]!; o++) visit(axis + 1, [...idx, o]);
  };
  visit(0, []);
  return out;
}

const averagePool: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const kernel = attrInts(n, 'kernel_shape');
  if (!kernel) throw e.error('kernel_shape is required');
  const w = windowOf(e, n, x, n.output[0]!, kernel);
  const C = channels(e, x);
  const divisors = averageDivisors(w, attrInt(n, 'count_include_pad', 0) === 1);
  const uniform = divisors.every((d) => d === divisors[0]);
  const scaled = uniform
    ? e.mul(gy!, e.k(1 / divisors[0]!))
    : e.mul(
        gy!,
        e.floats(
          divisors.map((d) => 1 / d),
          [1, 1, ...w.O],
        ),
      );
  return [scatterWindows(e, scaled, scatterWeight(e, C, w.K, false), C, w)];
};

const globalAveragePool: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const spatial = range(2, e.rank(x));
  return [e.expandLike(e.mul(gy!, e.inverseCount(x, spatial)), x)];
};

const globalMaxPool: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  return [e.mul(e.cast(e.op('Equal', [x, n.output[0]!]), e.dtype), gy!)];
};

export const SPATIAL_RULES: Record<string, GradRule> = {
  Conv: conv,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
};

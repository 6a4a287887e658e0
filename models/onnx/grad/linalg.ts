// VJPs of matrix products, including quantized ones differentiated as their dequantized float form.
import { attrFloat, attrInt } from '../attrs.ts';
import { broadcastShapes } from '../dims.ts';
import { DataType, type Dim, type TensorProto } from '../modelProto.ts';
import { normAxis } from '../shapes.ts';
import { tensorToArray, tensorToFloat32, transposeMatrix } from '../tensor.ts';
import type { GradEmitter } from './emitter.ts';
import type { GradRule } from './rule.ts';

/** Swaps the last two axes of a tensor of rank `r`. */
function swapLast(e: GradEmitter, t: string, r: number): string {
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return e.transpose(t, perm);
}

/**
 * Gradients of Y = A·B (numpy matmul semantics) for A and B of static rank; 1-D operands are
 * promoted to matrices as the op does. `b` may be a precomputed float matrix (quantized weights).
 */
function matmulGrads(
  e: GradEmitter,
  a: string,
  b: string,
  gy: string,
  need: [boolean, boolean],
  aFloat = a,
  bFloat = b,
): [string | undefined, string | undefined] {
  const as = e.shape(a);
  const bs = e.shape(b);
  const a2: Dim[] = as.length === 1 ? [1, as[0]!] : as;
  const b2: Dim[] = bs.length === 1 ? [bs[0]!, 1] : bs;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const outRank = batch.length + 2;
  let g2 = gy;
  if (as.length === 1 && bs.length === 1) g2 = e.reshape(gy, [1, 1]);
  else if (as.length === 1) g2 = e.unsqueeze(gy, [outRank - 2]);
  else if (bs.length === 1) g2 = e.unsqueeze(gy, [outRank - 1]);
  const aM = as.length === 1 ? e.unsqueeze(aFloat, [0]) : aFloat;
  const bM = bs.length === 1 ? e.unsqueeze(bFloat, [1]) : bFloat;
  let ga: string | undefined;
  let gb: string | undefined;
  const n = b2[b2.length - 1]!;
  const small = need[0] && bFloat === b ? smallTransposedWeight(e, b) : undefined;
  if (small) {
    ga = e.op('MatMul', [gy, small]);
  } else if (need[0] && as.length >= 2 && bs.length === 2 && typeof n === 'number' && bFloat === b) {
    // x·W with a 2-D weight: Gemm(transB) reads W as stored, so no transposed copy of the
    // weights is materialised (ORT would constant-fold a Transpose into a second copy).
    const product = (x: string) => e.op('Gemm', [x, b], { transB: 1 });
    ga = as.length === 2 ? product(gy) : e.reshapeLike(product(e.reshape(gy, [-1, n])), a);
  } else if (need[0]) {
    const full = e.op('MatMul', [g2, swapLast(e, bM, b2.length)]);
    ga = reduceToOperand(e, full, [...batch, a2[a2.length - 2]!, a2[a2.length - 1]!], a, a2, as.length === 1);
  }
  if (need[1]) {
    const full = e.op('MatMul', [swapLast(e, aM, a2.length), g2]);
    gb = reduceToOperand(e, full, [...batch, b2[b2.length - 2]!, b2[b2.length - 1]!], b, b2, bs.length === 1);
  }
  return [ga, gb];
}

/**
 * Weights up to this many elements get a transposed copy for the backward product, which then
 * needs no reshapes around it: for small weights two kernel runs cost more than the copy.
 */
const SMALL_WEIGHT_ELEMENTS = 1 << 16;

/** Wᵀ as a new initializer, for a small float32 2-D weight initializer W; else undefined. */
function smallTransposedWeight(e: GradEmitter, w: string): string | undefined {
  const t = initializer(e, w);
  if (!t || t.externalData || t.dims.length !== 2 || t.dataType !== DataType.FLOAT || e.dtype !== DataType.FLOAT)
    return undefined;
  const [rows, columns] = t.dims as [number, number];
  if (rows * columns > SMALL_WEIGHT_ELEMENTS) return undefined;
  return e.b.constant(transposeMatrix(tensorToFloat32(t), rows, columns), [columns, rows]);
}

/** Sums broadcast batch axes of a matmul operand gradient and restores the operand's own shape. */
function reduceToOperand(e: GradEmitter, g: string, gShape: Dim[], x: string, x2: Dim[], promoted: boolean): string {
  const lead = gShape.length - x2.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length - 2; i++) if (i < lead || (x2[i - lead] === 1 && gShape[i] !== 1)) axes.push(i);
  const summed = e.reduceSum(g, axes, true);
  return lead || promoted ? e.reshapeLike(summed, x) : summed;
}

const matmul: GradRule = (e, n, [gy], need) => {
  const [a, b] = n.input as [string, string];
  return matmulGrads(e, a, b, gy!, [need[0]!, need[1]!]);
};

const gemm: GradRule = (e, n, [gy], need) => {
  const [a, b, c] = n.input as [string, string, string | undefined];
  const alpha = attrFloat(n, 'alpha', 1);
  const beta = attrFloat(n, 'beta', 1);
  const tA = attrInt(n, 'transA', 0) === 1;
  const tB = attrInt(n, 'transB', 0) === 1;
  const gemmOp = (x: string, y: string, ta: boolean, tb: boolean) =>
    e.op('Gemm', [x, y], { alpha: { type: 'float', value: alpha }, transA: ta ? 1 : 0, transB: tb ? 1 : 0 });
  // With a = op(A), b = op(B): da = gy·bᵀ, db = aᵀ·gy; transposed operands take the transposed result.
  const ga = need[0] ? (tA ? gemmOp(b, gy!, tB, true) : gemmOp(gy!, b, false, !tB)) : undefined;
  const gb = need[1] ? (tB ? gemmOp(gy!, a, true, tA) : gemmOp(a, gy!, !tA, false)) : undefined;
  const gc =
    c && need[2] ? e.unbroadcast(beta === 1 ? gy! : e.mul(gy!, e.k(beta)), e.shape(n.output[0]!), c) : undefined;
  return [ga, gb, gc];
};

function initializer(e: GradEmitter, name: string | undefined): TensorProto | undefined {
  if (!name) return undefined;
  return e.b.graph.initializer.find((t) => t.name === name);
}

/**
 * com.microsoft MatMulNBits: Y = A·Wᵀ with W [N, K] block-quantized along K. The gradient
 * wrt A uses W dequantized once, at build time, as a float initializer.
 */
const matmulNBits: GradRule = (e, n, [gy], need) => {
  if (need.slice(1).some(Boolean)) throw e.error('gradients wrt quantized weights are not supported');
  const K = attrInt(n, 'K', 0);
  const N = attrInt(n, 'N', 0);
  const bits = attrInt(n, 'bits', 4);
  const blockSize = attrInt(n, 'block_size', 0);
  const q = initializer(e, n.input[1]);
  const scales = initializer(e, n.input[2]);
  if (!q || !scales) throw e.error('quantized weights and scales must be initializers');
  if (n.input[4]) throw e.error('g_idx (act-order) is not supported');
  if (bits !== 4 && bits !== 8) throw e.error(`${bits}-bit weights are not supported`);
  const packed = tensorToArray(q) as Uint8Array;
  const scale = tensorToFloat32(scales);
  const blocks = Math.ceil(K / blockSize);
  const blobBytes = (blockSize * bits) / 8;
  const zpT = initializer(e, n.input[3]);
  const zpPacked = zpT && zpT.dataType === DataType.UINT8 ? (tensorToArray(zpT) as Uint8Array) : undefined;
  const zpFloat = zpT && zpT.dataType !== DataType.UINT8 ? tensorToFloat32(zpT) : undefined;
  const zpRowBytes = Math.ceil((blocks * bits) / 8);
  const code = (bytes: Uint8Array, base: number, i: number) =>
    bits === 8 ? bytes[base + i]! : (bytes[base + (i >> 1)]! >> ((i & 1) * 4)) & 0xf;
  const w = new Float32Array(N * K);
  for (let r = 0; r < N; r++)
    for (let blk = 0; blk < blocks; blk++) {
      const s = scale[r * blocks + blk]!;
      const zero = zpFloat
        ? zpFloat[r * blocks + blk]!
        : zpPacked
          ? code(zpPacked, r * zpRowBytes, blk)
          : 2 ** (bits - 1);
      for (let i = 0; i < blockSize && blk * blockSize + i < K; i++) {
        const v = code(packed, (r * blocks + blk) * blobBytes, i);
        w[r * K + blk * blockSize + i] = zpFloat ? v * s - zero * s : (v - zero) * s;
      }
    }
  const wConst = e.b.constant(w, [N, K]);
  const ga = e.op('MatMul', [gy!, e.dtype === DataType.FLOAT ? wConst : e.cast(wConst, e.dtype)]);
  return [ga];
};

/** MatMulInteger on quantized activations: the gradient as float, w.r.t. the (quantized) A operand. */
const matmulInteger: GradRule = (e, n, [gy], need) => {
  const [a, b, azp, bzp] = n.input as [string, string, string | undefined, string | undefined];
  const toF = (t: string) => e.cast(t, DataType.FLOAT);
  const centered = (t: string, zp: string | undefined) => (zp ? e.sub(toF(t), toF(zp)) : toF(t));
  const [ga, gb] = matmulGrads(e, a, b, gy!, [need[0]!, need[1]!], centered(a, azp), centered(b, bzp));
  return [ga, gb];
};

/** Straight-through: q = x/scale + zp, so dq/dx = 1/scale (scale and zero point treated as constants). */
const dynamicQuantizeLinear: GradRule = (e, n, [gq]) => [e.div(gq!, n.output[1]!)];

function perAxisScale(e: GradEmitter, n: { input: string[] }, x: string, axisAttr: number): string {
  const scale = n.input[1]!;
  const s = e.shape(scale);
  if (s.length === 0 || (s.length === 1 && s[0] === 1)) return scale;
  const r = e.rank(x);
  const axis = normAxis(axisAttr, r);
  return e.unsqueeze(scale, [
    ...Array.from({ length: axis }, (_, i) => i),
    ...Array.from({ length: r - axis - 1 }, (_, i) => axis + 1 + i),
  ]);
}

const quantizeLinear: GradRule = (e, n, [gq]) => [e.div(gq!, perAxisScale(e, n, n.input[0]!, attrInt(n, 'axis', 1)))];
const dequantizeLinear: GradRule = (e, n, [gy], need) => {
  if (need.slice(1).some(Boolean)) throw e.error('gradients wrt quantization scales are not supported');
  return [e.mul(gy!, perAxisScale(e, n, n.input[0]!, attrInt(n, 'axis', 1)))];
};

export const LINALG_RULES: Record<string, GradRule> = {
  MatMul: matmul,
  Gemm: gemm,
  MatMulInteger: matmulInteger,
  DynamicQuantizeLinear: dynamicQuantizeLinear,
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
  'com.microsoft.MatMulNBits': matmulNBits,
};

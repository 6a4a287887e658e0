// The IASM graph's building blocks as plain ONNX ops (opset ≥ 13): score heads, LayerCAM and the
// upsampled, normalised saliency map. Each function appends nodes with `b` and returns tensor names.
import { DataType, transposeMatrix, type GraphBuilder } from '../onnx/index.ts';
import type { IasmLayout, IasmScoreMode } from '../packs/iasm.ts';
import type { LinearHead } from './heads.ts';

/** min-max normalisation epsilon, as in the LayerCAM reference code. */
export const SALIENCY_EPS = 1e-7;
const INT64_MAX = Number.MAX_SAFE_INTEGER; // clamped to int64 max by b.ints

/**
 * LAION head: y = dot(weight, e / ||e||) + bias on the embedding `e` [1, F], as [1]. Its gradient
 * in closed form, (weight − (weight·u)·u) / ||e|| with u = e / ||e||, is where the backward pass
 * starts: three nodes instead of differentiating the normalisation op by op.
 */
export function appendLinearHead(b: GraphBuilder, embedding: string, head: LinearHead): ScoreNodes {
  const squared = b.op('ReduceSum', [b.op('Mul', [embedding, embedding]), b.ints([-1])], { keepdims: 1 });
  const norm = b.op('Sqrt', [squared]);
  const unit = b.op('Div', [embedding, norm]);
  const weight = b.constant(head.weight, [head.inFeatures]);
  const dot = b.op('MatMul', [unit, weight]); // [1]
  const y = b.op('Add', [dot, b.constant(Float32Array.of(head.bias), [1])]);
  const cotangent = b.op('Div', [b.op('Sub', [weight, b.op('Mul', [unit, dot])]), norm]);
  return { y, classIndex: scalarClass(b), backwardFrom: { tensor: embedding, cotangent } };
}

/** Class index 0, for models with a single score: a constant output (an Identity would be a CPU node on WebGPU). */
function scalarClass(b: GraphBuilder): string {
  return b.constant(BigInt64Array.of(0n), [1]);
}

export interface ScoreNodes {
  /** The differentiated score, [1]. */
  y: string;
  /** Class index, int64 [1]. */
  classIndex: string;
  /**
   * Where the backward pass can start instead of y: the model output the head reads (logits or
   * embedding) and ∂y/∂output in closed form, which spares differentiating the head op by op.
   */
  backwardFrom?: { tensor: string; cotangent: string };
}

/**
 * y (the differentiated score, [1]) and c (class index, int64 [1]) from a model output:
 * logit = the largest logit; expected = Σ_{i=1..K} i·softmax(logits)_i; scalar = the single value.
 */
export function appendScore(
  b: GraphBuilder,
  output: string,
  mode: IasmScoreMode,
  /** The output's shape, when known when building: K and the bins are then constants. */
  staticShape?: readonly number[],
): ScoreNodes {
  if (mode === 'scalar') {
    const single = staticShape?.length === 1 && staticShape[0] === 1;
    // Reshape to [1] fails at run time unless the output holds exactly one value.
    return { y: single ? output : b.op('Reshape', [output, b.ints([1])]), classIndex: scalarClass(b) };
  }
  // The logits as a vector along their last axis: a [1, K] output is used as it is.
  const rowShaped = staticShape?.length === 2 && staticShape[0] === 1;
  const logits = rowShaped ? output : b.op('Reshape', [output, b.ints([-1])]);
  const axis = rowShaped ? 1 : 0;
  const keepdims = rowShaped ? 0 : 1; // either way the result is [1]
  const classIndex = b.op('ArgMax', [logits], { axis, keepdims });
  const count = rowShaped ? staticShape[1]! : undefined;
  // The bin indices 0 … K−1 shaped like the logits (so is the cotangent): constants when K is known,
  // else from the run-time shape (integer ops the gradient does not follow).
  const indices = (): string => {
    if (count !== undefined)
      return b.constant(
        BigInt64Array.from({ length: count }, (_, i) => BigInt(i)),
        [1, count],
      );
    const k = b.op('Gather', [b.op('Shape', [logits]), b.scalar(0, DataType.INT64)], { axis: 0 });
    return b.op('Range', [b.scalar(0, DataType.INT64), k, b.scalar(1, DataType.INT64)]);
  };
  const sum = (x: string) => b.op('ReduceSum', [x, b.ints([axis])], { keepdims });
  if (mode === 'logit') {
    const oneHot = b.op('Cast', [b.op('Equal', [indices(), classIndex])], { to: DataType.FLOAT });
    // ∂y/∂logits is the one-hot vector itself.
    return { y: sum(b.op('Mul', [logits, oneHot])), classIndex, backwardFrom: { tensor: logits, cotangent: oneHot } };
  }
  const bins =
    count !== undefined
      ? b.constant(
          Float32Array.from({ length: count }, (_, i) => i + 1),
          [count],
        )
      : b.op('Cast', [b.op('Add', [indices(), b.scalar(1, DataType.INT64)])], { to: DataType.FLOAT }); // 1 … K
  const p = b.op('Softmax', [logits], { axis });
  // [1, K] · [K] is [1]; a flat [K] takes the sum (MatMul would give a scalar).
  const y = rowShaped ? b.op('MatMul', [p, bins]) : sum(b.op('Mul', [p, bins]));
  // ∂(Σ i·p_i)/∂z_j = p_j·(j − y): the softmax Jacobian applied to the bins, in two nodes.
  const cotangent = b.op('Mul', [p, b.op('Sub', [bins, y])]);
  return { y, classIndex, backwardFrom: { tensor: logits, cotangent } };
}

/** LayerCAM on one target: Relu(Σ_channels Relu(g) ⊙ A) as [1, h, w]. */
export function appendLayerCam(
  b: GraphBuilder,
  activation: string,
  gradient: string,
  layout: IasmLayout,
  clsToken: boolean,
  /** The grid's side, when the token count is known when building: the reshape is then constant. */
  staticSide?: number,
): string {
  const weighted = b.op('Mul', [b.op('Relu', [gradient]), activation]);
  if (layout === 'nchw') return b.op('Relu', [b.op('ReduceSum', [weighted, b.ints([1])], { keepdims: 0 })]);
  // tokens [1, T, D]: sum over D, drop the CLS token, then lay the N tokens out as a √N×√N grid.
  const perToken = b.op('Relu', [b.op('ReduceSum', [weighted, b.ints([2])], { keepdims: 0 })]); // [1, T]
  const patches = clsToken ? b.op('Slice', [perToken, b.ints([1]), b.ints([INT64_MAX]), b.ints([1])]) : perToken;
  if (staticSide !== undefined) return b.op('Reshape', [patches, b.ints([1, staticSide, staticSide])]);
  const n = b.op('Slice', [b.op('Shape', [patches]), b.ints([1]), b.ints([2])]);
  // √N is exact in float32 for every square N up to 2^24; Reshape fails at run time if N is not square.
  const side = b.op('Cast', [b.op('Sqrt', [b.op('Cast', [n], { to: DataType.FLOAT })])], { to: DataType.INT64 });
  return b.op('Reshape', [patches, b.op('Concat', [b.ints([1]), side, side], { axis: 0 })]);
}

/** Map and photo sizes, when known when building. */
export interface UpsampleSizes {
  h: number;
  w: number;
  height: number;
  width: number;
}

/**
 * The saliency map of `cam` [1, h, w]: upsampled to [1, H, W] (H×W = the image input's size)
 * bilinearly with half-pixel centres (ONNX Resize linear / half_pixel, edges clamped), then
 * min-max normalised with eps SALIENCY_EPS.
 *
 * With the sizes known, upsampling is R_H · cam · R_Wᵀ with constant interpolation matrices, and
 * only the final product touches H×W values. Its rows sum to 1, so normalising commutes with it:
 * the map is R_H · (cam − min) / (max − min + eps) · R_Wᵀ, with min and max those of the upsampled
 * map. They are found without it: inside one cell of the input grid the bilinear value is linear
 * along each axis, so its extremes over the cell's output pixels lie on the pixels nearest the
 * cell's edges — R_H and R_W restricted to those rows (a few per cell) give every candidate.
 * Clip keeps float rounding inside [0, 1].
 */
export function appendSaliencyMap(b: GraphBuilder, cam: string, image: string, sizes?: UpsampleSizes): string {
  if (!sizes) return appendMinMaxNormalise(b, appendResize(b, cam, image));
  const upsample = (x: string, rows: Float32Array, rowCount: number, columns: Float32Array, columnCount: number) =>
    b.op('MatMul', [
      b.op('MatMul', [b.constant(rows, [rowCount, sizes.h]), x]),
      b.constant(transposeMatrix(columns, columnCount, sizes.w), [sizes.w, columnCount]),
    ]);
  const rows = bilinearMatrix(sizes.h, sizes.height);
  const columns = bilinearMatrix(sizes.w, sizes.width);
  const edgeRows = extremeSamples(sizes.h, sizes.height);
  const edgeColumns = extremeSamples(sizes.w, sizes.width);
  const candidates = upsample(
    cam,
    pickRows(rows, sizes.h, edgeRows),
    edgeRows.length,
    pickRows(columns, sizes.w, edgeColumns),
    edgeColumns.length,
  );
  const { min, range } = appendRange(b, candidates);
  const unit = b.op('Div', [b.op('Sub', [cam, min]), range]);
  return b.op('Clip', [upsample(unit, rows, sizes.height, columns, sizes.width), b.scalar(0), b.scalar(1)]);
}

/** ONNX Resize (linear, half_pixel) of [1, h, w] to the image's size, for sizes known only at run time. */
function appendResize(b: GraphBuilder, cam: string, image: string): string {
  const hw = b.op('Slice', [b.op('Shape', [image]), b.ints([2]), b.ints([4])]);
  const size = b.op('Concat', [b.ints([1, 1]), hw], { axis: 0 });
  const resized = b.op('Resize', [b.op('Unsqueeze', [cam, b.ints([1])]), '', '', size], {
    mode: 'linear',
    coordinate_transformation_mode: 'half_pixel',
  });
  return b.op('Squeeze', [resized, b.ints([1])]);
}

/**
 * Output positions of 1-D half-pixel interpolation from inSize to outSize that can hold an extreme:
 * per input cell (positions sharing the left neighbour), those with the smallest and largest offset.
 */
export function extremeSamples(inSize: number, outSize: number): number[] {
  const cells = new Map<number, { first: number; last: number; low: number; high: number }>();
  for (let i = 0; i < outSize; i++) {
    const { x0, f } = sampleOf(i, inSize, outSize);
    const c = cells.get(x0);
    if (!c) cells.set(x0, { first: i, last: i, low: f, high: f });
    else {
      if (f < c.low) [c.first, c.low] = [i, f];
      if (f > c.high) [c.last, c.high] = [i, f];
    }
  }
  return [...new Set([...cells.values()].flatMap((c) => [c.first, c.last]))].sort((p, q) => p - q);
}

function sampleOf(i: number, inSize: number, outSize: number): { x0: number; x1: number; f: number } {
  const x = Math.min(Math.max(((i + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
  const x0 = Math.floor(x);
  return { x0, x1: Math.min(x0 + 1, inSize - 1), f: x - x0 };
}

function pickRows(m: Float32Array, columns: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * columns);
  rows.forEach((r, k) => out.set(m.subarray(r * columns, (r + 1) * columns), k * columns));
  return out;
}

/** Row-major [out, in] weights of 1-D linear interpolation with half-pixel centres, edges clamped. */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const { x0, x1, f } = sampleOf(i, inSize, outSize);
    m[i * inSize + x0]! += 1 - f;
    m[i * inSize + x1]! += f;
  }
  return m;
}

/** (x − min) / (max − min + eps) over the whole tensor. */
export function appendMinMaxNormalise(b: GraphBuilder, x: string): string {
  const { min, range } = appendRange(b, x);
  return b.op('Div', [b.op('Sub', [x, min]), range]);
}

/** min and max − min + eps of the values of `x` (each of x's rank, all dims 1). */
function appendRange(b: GraphBuilder, x: string): { min: string; range: string } {
  const min = b.op('ReduceMin', [x], { keepdims: 1 });
  const max = b.op('ReduceMax', [x], { keepdims: 1 });
  return { min, range: b.op('Add', [b.op('Sub', [max, min]), b.scalar(SALIENCY_EPS)]) };
}

/** Element-wise mean of same-shaped tensors. */
export function appendMean(b: GraphBuilder, xs: string[]): string {
  if (xs.length === 1) return xs[0]!;
  return b.op('Div', [b.op('Sum', xs), b.scalar(xs.length)]);
}

// The IASM graph's building blocks as plain ONNX ops (opset ≥ 13): score heads, LayerCAM and the
// upsampled, normalised saliency map. Each function appends nodes with `b` and returns tensor names.
import { DataType, type GraphBuilder } from '../onnx/index.ts';
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

/** Class index 0, for models with a single score. */
function scalarClass(b: GraphBuilder): string {
  return b.op('Identity', [b.constant(BigInt64Array.of(0n), [1])]);
}

export interface ScoreNodes {
  /** The differentiated score, [1]. */
  y: string;
  /** Class index, int64 [1]. */
  classIndex: string;
  /**
   * Where the backward pass can start instead of y: the flattened output and ∂y/∂output in closed
   * form, which spares differentiating the score head op by op.
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
 * [1, h, w] -> [1, H, W] bilinear with half-pixel centres (ONNX Resize linear / half_pixel, edges
 * clamped), H×W = the image input's size. With the sizes known, two products with constant
 * interpolation matrices, R_H · cam · R_Wᵀ: plain MatMuls run everywhere and cost less than Resize,
 * which works out its interpolation table on every run.
 */
export function appendUpsample(b: GraphBuilder, cam: string, image: string, sizes?: UpsampleSizes): string {
  if (sizes) {
    const rows = b.constant(bilinearMatrix(sizes.h, sizes.height), [sizes.height, sizes.h]);
    const columns = b.constant(transpose(bilinearMatrix(sizes.w, sizes.width), sizes.width, sizes.w), [
      sizes.w,
      sizes.width,
    ]);
    return b.op('MatMul', [b.op('MatMul', [rows, cam]), columns]);
  }
  const hw = b.op('Slice', [b.op('Shape', [image]), b.ints([2]), b.ints([4])]);
  const size = b.op('Concat', [b.ints([1, 1]), hw], { axis: 0 });
  const resized = b.op('Resize', [b.op('Unsqueeze', [cam, b.ints([1])]), '', '', size], {
    mode: 'linear',
    coordinate_transformation_mode: 'half_pixel',
  });
  return b.op('Squeeze', [resized, b.ints([1])]);
}

/** Row-major [out, in] weights of 1-D linear interpolation with half-pixel centres, edges clamped. */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const x = Math.min(Math.max(((i + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const x0 = Math.floor(x);
    const x1 = Math.min(x0 + 1, inSize - 1);
    const f = x - x0;
    m[i * inSize + x0]! += 1 - f;
    m[i * inSize + x1]! += f;
  }
  return m;
}

function transpose(m: Float32Array, rows: number, columns: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) t[c * rows + r] = m[r * columns + c]!;
  return t;
}

/** (x − min) / (max − min + eps) over the whole tensor. */
export function appendMinMaxNormalise(b: GraphBuilder, x: string): string {
  const min = b.op('ReduceMin', [x], { keepdims: 1 });
  const max = b.op('ReduceMax', [x], { keepdims: 1 });
  const range = b.op('Add', [b.op('Sub', [max, min]), b.scalar(SALIENCY_EPS)]);
  return b.op('Div', [b.op('Sub', [x, min]), range]);
}

/** Element-wise mean of same-shaped tensors. */
export function appendMean(b: GraphBuilder, xs: string[]): string {
  if (xs.length === 1) return xs[0]!;
  return b.op('Div', [b.op('Sum', xs), b.scalar(xs.length)]);
}

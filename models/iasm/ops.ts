// The IASM graph's building blocks as plain ONNX ops (opset ≥ 13): score heads, LayerCAM and the
// upsampled, normalised saliency map. Each function appends nodes with `b` and returns tensor names.
import { DataType, type GraphBuilder } from '../onnx/index.ts';
import type { IasmLayout, IasmScoreMode } from '../packs/iasm.ts';
import type { LinearHead } from './heads.ts';

/** min-max normalisation epsilon, as in the LayerCAM reference code. */
export const SALIENCY_EPS = 1e-7;
const INT64_MAX = Number.MAX_SAFE_INTEGER; // clamped to int64 max by b.ints

/** LAION head: dot(weight, e / ||e||) + bias on the embedding `e` [1, F]; returns the score [1, 1]. */
export function appendLinearHead(b: GraphBuilder, embedding: string, head: LinearHead): string {
  const squared = b.op('ReduceSum', [b.op('Mul', [embedding, embedding]), b.ints([-1])], { keepdims: 1 });
  const unit = b.op('Div', [embedding, b.op('Sqrt', [squared])]);
  const dot = b.op('MatMul', [unit, b.constant(head.weight, [head.inFeatures, 1])]);
  return b.op('Add', [dot, b.constant(Float32Array.of(head.bias), [1])]);
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
  /** K, when the output's size is known when building: its bins are then constants. */
  staticCount?: number,
): ScoreNodes {
  if (mode === 'scalar') {
    // Reshape to [1] fails at run time unless the output holds exactly one value.
    const y = b.op('Reshape', [output, b.ints([1])]);
    return { y, classIndex: b.op('Identity', [b.constant(BigInt64Array.of(0n), [1])]) };
  }
  const flat = b.op('Reshape', [output, b.ints([-1])]);
  const classIndex = b.op('ArgMax', [flat], { axis: 0, keepdims: 1 });
  // K and the bin indices: constants when K is known, else from the run-time shape (integer ops
  // the gradient does not follow).
  const indices = (): string => {
    const count = b.op('Gather', [b.op('Shape', [flat]), b.scalar(0, DataType.INT64)], { axis: 0 });
    return b.op('Range', [b.scalar(0, DataType.INT64), count, b.scalar(1, DataType.INT64)]); // 0 … K−1
  };
  const sum = (x: string) => b.op('ReduceSum', [x, b.ints([0])], { keepdims: 1 });
  if (mode === 'logit') {
    const oneHot = b.op('Cast', [b.op('Equal', [indices(), classIndex])], { to: DataType.FLOAT });
    // ∂y/∂logits is the one-hot vector itself.
    return { y: sum(b.op('Mul', [flat, oneHot])), classIndex, backwardFrom: { tensor: flat, cotangent: oneHot } };
  }
  const bins =
    staticCount !== undefined
      ? b.constant(
          Float32Array.from({ length: staticCount }, (_, i) => i + 1),
          [staticCount],
        )
      : b.op('Cast', [b.op('Add', [indices(), b.scalar(1, DataType.INT64)])], { to: DataType.FLOAT }); // 1 … K
  const p = b.op('Softmax', [flat], { axis: 0 });
  const y = sum(b.op('Mul', [p, bins]));
  // ∂(Σ i·p_i)/∂z_j = p_j·(j − y): the softmax Jacobian applied to the bins, in two nodes.
  const cotangent = b.op('Mul', [p, b.op('Sub', [bins, y])]);
  return { y, classIndex, backwardFrom: { tensor: flat, cotangent } };
}

/** LayerCAM on one target: Relu(Σ_channels Relu(g) ⊙ A) as [1, 1, h, w]. */
export function appendLayerCam(
  b: GraphBuilder,
  activation: string,
  gradient: string,
  layout: IasmLayout,
  clsToken: boolean,
  /** The grid's side, when the token count is known when building: the reshape is then constant. */
  staticSide?: number,
): string {
  if (layout === 'nchw') {
    const weighted = b.op('Mul', [b.op('Relu', [gradient]), activation]);
    return b.op('Relu', [b.op('ReduceSum', [weighted, b.ints([1])], { keepdims: 1 })]);
  }
  // tokens [1, T, D]: drop the CLS token, sum over D, then lay the N tokens out as a √N×√N grid.
  const dropCls = (x: string) => (clsToken ? b.op('Slice', [x, b.ints([1]), b.ints([INT64_MAX]), b.ints([1])]) : x);
  const weighted = b.op('Mul', [b.op('Relu', [dropCls(gradient)]), dropCls(activation)]);
  const perToken = b.op('Relu', [b.op('ReduceSum', [weighted, b.ints([2])], { keepdims: 0 })]); // [1, N]
  if (staticSide !== undefined) return b.op('Reshape', [perToken, b.ints([1, 1, staticSide, staticSide])]);
  const n = b.op('Slice', [b.op('Shape', [perToken]), b.ints([1]), b.ints([2])]);
  // √N is exact in float32 for every square N up to 2^24; Reshape fails at run time if N is not square.
  const side = b.op('Cast', [b.op('Sqrt', [b.op('Cast', [n], { to: DataType.FLOAT })])], { to: DataType.INT64 });
  return b.op('Reshape', [perToken, b.op('Concat', [b.ints([1, 1]), side, side], { axis: 0 })]);
}

/** [1, 1, h, w] -> [1, 1, H, W] bilinear with half-pixel centres, H×W = the image input's size. */
export function appendUpsample(b: GraphBuilder, cam: string, image: string): string {
  const hw = b.op('Slice', [b.op('Shape', [image]), b.ints([2]), b.ints([4])]);
  const sizes = b.op('Concat', [b.ints([1, 1]), hw], { axis: 0 });
  return b.op('Resize', [cam, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
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

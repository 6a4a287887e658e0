// ONNX graph fragments shared by the ViT and IAS-ViT builders: linear, layer norm,
// multi-head attention and the MLP activations. Plain opset-17 ops only, so the same
// graph runs on onnxruntime-web's WebGPU and WASM backends.
import { float, type GraphBuilder } from '../onnx/builder.ts';
import { DataType } from '../onnx/modelProto.ts';
import { makeTensor, type TypedArray } from '../onnx/tensor.ts';
import { transpose2d, type Weight } from './weights.ts';

/** An initializer named `name`, or `name_N` if that is taken; returns the name used. */
export function namedConstant(b: GraphBuilder, name: string, data: TypedArray, dims: readonly number[]): string {
  const unique = b.unique(name);
  b.graph.initializer.push(makeTensor(unique, data, dims));
  return unique;
}

export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu';

/** x·Wᵀ + b for a PyTorch Linear weight W [out, in]; the constant is stored as `${name}.weight.T` [in, out]. */
export function linear(b: GraphBuilder, x: string, name: string, weight: Weight, bias?: Weight): string {
  const [out, inp] = weight.dims as [number, number];
  const w = namedConstant(b, `${name}.weight.T`, transpose2d(weight), [inp, out]);
  const y = b.op('MatMul', [x, w]);
  if (!bias) return y;
  return b.op('Add', [y, namedConstant(b, `${name}.bias`, bias.data, [out])]);
}

/** LayerNormalization over the last axis; the scale and bias keep their PyTorch names. */
export function layerNorm(b: GraphBuilder, x: string, name: string, scale: Weight, bias: Weight, eps: number): string {
  const s = namedConstant(b, `${name}.weight`, scale.data, scale.dims);
  const o = namedConstant(b, `${name}.bias`, bias.data, bias.dims);
  return b.op('LayerNormalization', [x, s, o], { axis: -1, epsilon: float(eps) });
}

export function activation(b: GraphBuilder, x: string, kind: Activation): string {
  if (kind === 'quick_gelu') return b.op('Mul', [x, b.op('Sigmoid', [b.op('Mul', [x, b.scalar(1.702)])])]);
  const half = b.op('Mul', [x, b.scalar(0.5)]);
  let inner: string;
  if (kind === 'gelu') inner = b.op('Erf', [b.op('Mul', [x, b.scalar(Math.SQRT1_2)])]);
  else {
    // tanh(√(2/π)·(x + 0.044715·x³))
    const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
    const poly = b.op('Add', [x, b.op('Mul', [cube, b.scalar(0.044715)])]);
    inner = b.op('Tanh', [b.op('Mul', [poly, b.scalar(Math.sqrt(2 / Math.PI))])]);
  }
  return b.op('Mul', [half, b.op('Add', [inner, b.scalar(1)])]);
}

export interface AttentionWeights {
  q: Weight;
  qBias?: Weight;
  k: Weight;
  kBias?: Weight;
  v: Weight;
  vBias?: Weight;
  out: Weight;
  outBias?: Weight;
}

/** Stacks PyTorch Linear weights [out_i, in] (and their biases) into one [Σ out_i, in] layer. */
export function stackLinear(parts: { weight: Weight; bias?: Weight; scale?: number }[]): {
  weight: Weight;
  bias: Weight;
} {
  const inp = parts[0]!.weight.dims[1]!;
  const rows = parts.reduce((a, p) => a + p.weight.dims[0]!, 0);
  const weight = new Float32Array(rows * inp);
  const bias = new Float32Array(rows);
  let row = 0;
  for (const p of parts) {
    const out = p.weight.dims[0]!;
    const k = p.scale ?? 1;
    for (let i = 0; i < out * inp; i++) weight[row * inp + i] = p.weight.data[i]! * k;
    for (let i = 0; i < out; i++) bias[row + i] = (p.bias?.data[i] ?? 0) * k;
    row += out;
  }
  return { weight: { data: weight, dims: [rows, inp] }, bias: { data: bias, dims: [rows] } };
}

/** [B, T, n·D] → n tensors [B, h, T, d] (one Reshape + Transpose, then Gather per part). */
export function splitHeads(b: GraphBuilder, x: string, parts: number, heads: number, headDim: number): string[] {
  const grouped = b.op('Reshape', [x, b.ints([0, 0, parts, heads, headDim])]);
  const major = b.op('Transpose', [grouped], { perm: [2, 0, 3, 1, 4] });
  return Array.from({ length: parts }, (_, i) => b.op('Gather', [major, b.scalar(i, DataType.INT64)], { axis: 0 }));
}

/**
 * Multi-head attention of queries from `qIn` [Bq, Tq, D] over keys/values from `kvIn`
 * [B, Tk, D]; Bq may be 1 and broadcast over B. Returns [B, Tq, D] after the output
 * projection. `mask`, if given, is added to the scores (broadcastable to [B, h, Tq, Tk]).
 * Projections sharing an input run as one MatMul (`qkv_proj` for self-attention, `kv_proj`
 * otherwise), with the 1/√d softmax scale folded into the query weights.
 */
export function attention(
  b: GraphBuilder,
  qIn: string,
  kvIn: string,
  name: string,
  w: AttentionWeights,
  heads: number,
  mask?: string,
): string {
  const dim = w.q.dims[0]!;
  if (dim % heads !== 0) throw new Error(`${name}: width ${dim} is not divisible by ${heads} heads`);
  const headDim = dim / heads;
  const query = { weight: w.q, bias: w.qBias, scale: 1 / Math.sqrt(headDim) };
  const key = { weight: w.k, bias: w.kBias };
  const value = { weight: w.v, bias: w.vBias };
  let q: string, k: string, v: string;
  if (qIn === kvIn) {
    const qkv = stackLinear([query, key, value]);
    [q, k, v] = splitHeads(b, linear(b, qIn, `${name}.qkv_proj`, qkv.weight, qkv.bias), 3, heads, headDim) as [
      string,
      string,
      string,
    ];
  } else {
    const single = stackLinear([query]);
    [q] = splitHeads(b, linear(b, qIn, `${name}.q_proj`, single.weight, single.bias), 1, heads, headDim) as [string];
    const kv = stackLinear([key, value]);
    [k, v] = splitHeads(b, linear(b, kvIn, `${name}.kv_proj`, kv.weight, kv.bias), 2, heads, headDim) as [
      string,
      string,
    ];
  }
  return linear(b, attendHeads(b, q, k, v, dim, mask), `${name}.out_proj`, w.out, w.outBias);
}

/** softmax(q·kᵀ + mask)·v for pre-scaled q [Bq, h, Tq, d], k and v [B, h, Tk, d]; heads merged → [B, Tq, D]. */
export function attendHeads(b: GraphBuilder, q: string, k: string, v: string, dim: number, mask?: string): string {
  let scores = b.op('MatMul', [q, b.op('Transpose', [k], { perm: [0, 1, 3, 2] })]);
  if (mask) scores = b.op('Add', [scores, mask]);
  const probs = b.op('Softmax', [scores], { axis: -1 });
  const ctx = b.op('Transpose', [b.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
  return b.op('Reshape', [ctx, b.ints([0, 0, dim])]);
}

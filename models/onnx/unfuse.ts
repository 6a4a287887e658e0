// ONNX Runtime's fused transformer operators, as exported LLM decoders carry them (the
// onnxruntime-genai model builder's Llama form: SimplifiedLayerNormalization, com.microsoft
// SkipSimplifiedLayerNormalization, RotaryEmbedding and GroupQueryAttention), rewritten as plain
// opset-17 ops computing the same outputs, so shape inference and the autodiff see only ops they know.
import { attrFloat, attrInt, describeNode } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { topologicalOrder } from './graph.ts';
import { DataType, type ModelProto, type NodeProto } from './modelProto.ts';

/** Output bindings of a rewrite: emitted tensor → the fused node's output name (renamed at the end). */
type Bindings = [string, string][];
type Rewrite = (b: GraphBuilder, n: NodeProto, out: Bindings) => void;

const MS = 'com.microsoft';

function bind(out: Bindings, n: NodeProto, index: number, value: string): void {
  const name = n.output[index];
  if (name) out.push([value, name]);
}

/** x / √(mean(x²) + ε) over the last axis. */
function rms(b: GraphBuilder, x: string, eps: number): string {
  const ms = b.op('ReduceMean', [b.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
  return b.op('Div', [x, b.op('Sqrt', [b.op('Add', [ms, b.scalar(eps)])])]);
}

const simplifiedLayerNorm: Rewrite = (b, n, out) => {
  if (attrInt(n, 'axis', -1) !== -1) throw new Error(`${describeNode(n)}: only axis -1 is supported`);
  const [x, scale] = n.input as [string, string];
  bind(out, n, 0, b.op('Mul', [rms(b, x, attrFloat(n, 'epsilon', 1e-5)), scale]));
};

const skipSimplifiedLayerNorm: Rewrite = (b, n, out) => {
  const [x, skip, gamma, bias] = n.input;
  let sum = b.op('Add', [x!, skip!]);
  if (bias) sum = b.op('Add', [sum, bias]);
  bind(out, n, 0, b.op('Mul', [rms(b, sum, attrFloat(n, 'epsilon', 1e-5)), gamma!]));
  if (n.output[1] || n.output[2])
    throw new Error(`${describeNode(n)}: its mean / inv_std_var outputs are not supported`);
  bind(out, n, 3, sum);
};

/**
 * HF rotate-half rotary embedding of x [..., S, heads?, H] by cos/sin rows [S, H/2] (already gathered
 * and shaped to broadcast): [x₁·cos − x₂·sin, x₂·cos + x₁·sin] with x₁, x₂ the halves of the last axis.
 */
function rotate(b: GraphBuilder, x: string, cos: string, sin: string, half: number): string {
  const [x1, x2] = b.node('Split', [x, b.ints([half, half])], { axis: -1 }, { outputs: 2 }) as [string, string];
  const first = b.op('Sub', [b.op('Mul', [x1, cos]), b.op('Mul', [x2, sin])]);
  const second = b.op('Add', [b.op('Mul', [x2, cos]), b.op('Mul', [x1, sin])]);
  return b.op('Concat', [first, second], { axis: -1 });
}

const rotaryEmbedding: Rewrite = (b, n, out) => {
  if (attrInt(n, 'interleaved', 0) !== 0)
    throw new Error(`${describeNode(n)}: interleaved rotary embedding is not supported`);
  if (attrInt(n, 'rotary_embedding_dim', 0) !== 0)
    throw new Error(`${describeNode(n)}: partial rotary embedding is not supported`);
  if (attrFloat(n, 'scale', 1) !== 1)
    throw new Error(`${describeNode(n)}: a rotary scale other than 1 is not supported`);
  const [x, positions, cosCache, sinCache] = n.input as [string, string, string, string];
  const cacheDims = b.graph.initializer.find((t) => t.name === cosCache)?.dims;
  if (!cacheDims || cacheDims.length !== 2)
    throw new Error(`${describeNode(n)}: cos_cache must be a 2-D initializer [max_position, head_size / 2]`);
  const half = cacheDims[1]!;
  // position_ids [B, S] → cos/sin [B, S, 1, H/2], broadcast over the heads of x viewed as [B, S, heads, H].
  const rows = (cache: string) => b.op('Unsqueeze', [b.op('Gather', [cache, positions], { axis: 0 }), b.ints([2])]);
  const heads = b.op('Reshape', [x, b.ints([0, 0, -1, 2 * half])]);
  const rotated = rotate(b, heads, rows(cosCache), rows(sinCache), half);
  bind(out, n, 0, b.op('Reshape', [rotated, b.op('Shape', [x])]));
};

/**
 * Grouped-query attention without rotary, local window or softcap: queries [B, S, Nq·H], keys and
 * values [B, S, Nkv·H] appended to the cache [B, Nkv, P, H]; causal over the P + S positions (every
 * sequence as long as the cache + S: no padding); each key/value head serves Nq / Nkv query heads.
 */
const groupQueryAttention: Rewrite = (b, n, out) => {
  if (attrInt(n, 'do_rotary', 0) !== 0)
    throw new Error(`${describeNode(n)}: do_rotary is not supported (rotary embedding inside attention)`);
  if (attrInt(n, 'local_window_size', -1) !== -1)
    throw new Error(`${describeNode(n)}: local window attention is not supported`);
  if (attrFloat(n, 'softcap', 0) !== 0) throw new Error(`${describeNode(n)}: softcap is not supported`);
  const [query, key, value, pastKey, pastValue] = n.input;
  if (!key || !value) throw new Error(`${describeNode(n)}: packed QKV input is not supported`);
  const heads = attrInt(n, 'num_heads', 0);
  const kvHeads = attrInt(n, 'kv_num_heads', 0);
  if (!heads || !kvHeads || heads % kvHeads !== 0)
    throw new Error(`${describeNode(n)}: num_heads must be a multiple of kv_num_heads`);
  const split = (t: string, count: number) =>
    b.op('Transpose', [b.op('Reshape', [t, b.ints([0, 0, count, -1])])], { perm: [0, 2, 1, 3] });
  const q = split(query!, heads);
  const withPast = (t: string, past: string | undefined) =>
    past ? b.op('Concat', [past, split(t, kvHeads)], { axis: 2 }) : split(t, kvHeads);
  const keys = withPast(key, pastKey);
  const values = withPast(value, pastValue);
  bind(out, n, 1, keys);
  bind(out, n, 2, values);
  const group = heads / kvHeads;
  // [B, Nkv, T, H] → [B, Nkv·group, T, H]: head j of the queries reads key/value head ⌊j / group⌋.
  const repeat = (t: string) => {
    if (group === 1) return t;
    const wide = b.op('Unsqueeze', [t, b.ints([2])]);
    const shape = b.op('Shape', [wide]);
    const target = b.op(
      'Concat',
      [
        b.op('Slice', [shape, b.ints([0]), b.ints([2])]),
        b.ints([group]),
        b.op('Slice', [shape, b.ints([3]), b.ints([5])]),
      ],
      { axis: 0 },
    );
    const merged = b.op(
      'Concat',
      [
        b.op('Slice', [shape, b.ints([0]), b.ints([1])]),
        b.ints([heads, -1]),
        b.op('Slice', [shape, b.ints([4]), b.ints([5])]),
      ],
      { axis: 0 },
    );
    return b.op('Reshape', [b.op('Expand', [wide, target]), merged]);
  };
  const seq = b.op('Gather', [b.op('Shape', [q]), b.scalar(2, DataType.INT64)], { axis: 0 });
  const total = b.op('Gather', [b.op('Shape', [keys]), b.scalar(2, DataType.INT64)], { axis: 0 });
  const zero = b.scalar(0, DataType.INT64);
  const one = b.scalar(1, DataType.INT64);
  const rowsPos = b.op('Unsqueeze', [
    b.op('Add', [b.op('Range', [zero, seq, one]), b.op('Sub', [total, seq])]),
    b.ints([1]),
  ]);
  const colsPos = b.op('Unsqueeze', [b.op('Range', [zero, total, one]), b.ints([0])]);
  const allowed = b.op('LessOrEqual', [colsPos, rowsPos]);
  const scale = attrFloat(n, 'scale', 0);
  const scores = b.op('MatMul', [q, b.op('Transpose', [repeat(keys)], { perm: [0, 1, 3, 2] })]);
  const scaled = scale
    ? b.op('Mul', [scores, b.scalar(scale)])
    : b.op('Div', [
        scores,
        b.op('Sqrt', [
          b.op('Cast', [b.op('Gather', [b.op('Shape', [q]), b.scalar(3, DataType.INT64)], { axis: 0 })], {
            to: DataType.FLOAT,
          }),
        ]),
      ]);
  const probs = b.op('Softmax', [b.op('Where', [allowed, scaled, b.scalar(-1e9)])], { axis: -1 });
  const context = b.op('Transpose', [b.op('MatMul', [probs, repeat(values)])], { perm: [0, 2, 1, 3] });
  bind(out, n, 0, b.op('Reshape', [context, b.ints([0, 0, -1])]));
};

const REWRITES: Record<string, Rewrite> = {
  SimplifiedLayerNormalization: simplifiedLayerNorm,
  [`${MS}.SimplifiedLayerNormalization`]: simplifiedLayerNorm,
  [`${MS}.SkipSimplifiedLayerNormalization`]: skipSimplifiedLayerNorm,
  [`${MS}.RotaryEmbedding`]: rotaryEmbedding,
  [`${MS}.GroupQueryAttention`]: groupQueryAttention,
};

/** Op types (domain-qualified outside the default domain) that `unfuseTransformerOps` rewrites. */
export const UNFUSED_OPS: readonly string[] = Object.keys(REWRITES);

/** Rewrites every fused operator of `model` listed in UNFUSED_OPS as plain ops, IN PLACE; returns how many. */
export function unfuseTransformerOps(model: ModelProto): number {
  const g = model.graph;
  const fused = g.node.filter(
    (n) => REWRITES[n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType],
  );
  if (!fused.length) return 0;
  g.node = g.node.filter((n) => !fused.includes(n));
  const b = new GraphBuilder(model);
  const bindings: Bindings = [];
  for (const n of fused)
    REWRITES[n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType]!(b, n, bindings);
  // Our tensors take the fused outputs' names (no Identity nodes): consumers and graph outputs stay as they were.
  for (const [value, name] of bindings)
    for (const node of g.node) node.output = node.output.map((o) => (o === value ? name : o));
  const renamed = new Map(bindings);
  for (const node of g.node) node.input = node.input.map((i) => renamed.get(i) ?? i);
  g.node = topologicalOrder(g);
  return fused.length;
}

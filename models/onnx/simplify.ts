// Peephole simplification of emitted nodes (a backward pass, post-processing): rewrites that keep
// every value the graph outputs and save kernel runs. At small sizes a graph's run time is mostly
// per-node cost, and on WebGPU every node is a dispatch.
import { attrFloat } from './attrs.ts';
import { float } from './builder.ts';
import { broadcastShapes, isStatic } from './dims.ts';
import { consumerMap, producerMap, removeDeadNodes } from './graph.ts';
import { DataType, type Dim, type GraphProto, type ModelProto, type NodeProto } from './modelProto.ts';
import { inferShapes, type TensorInfo } from './shapes.ts';
import { numel, tensorToArray, tensorToFloat32 } from './tensor.ts';

/** Ops that apply a function to each element alone: f(Expand(x)) = Expand(f(x)). */
const UNARY_ELEMENTWISE = new Set(['Relu', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Sigmoid', 'Tanh', 'Erf', 'Reciprocal']);
/** Ops that broadcast their inputs against each other (numpy style). */
const BROADCASTING = new Set(['Add', 'Sub', 'Mul', 'Div', 'Where', 'Max', 'Min', 'Sum', 'Equal', 'Greater', 'Less']);
/** Ops that only relabel the elements of a tensor: a scalar factor passes through them. */
const RESHAPING = new Set(['Reshape', 'Unsqueeze', 'Squeeze', 'Flatten']);

/**
 * Simplifies the graph's nodes except those in `frozen` (e.g. a source model's forward pass, left as
 * it is) and removes what no output needs any more. Returns the number of rewrites.
 *
 * - Expand feeding only broadcasting ops is dropped (they broadcast anyway); element-wise unary ops
 *   are moved before an Expand so that this applies through them.
 * - A Gemm's output scaled by a scalar constant (through reshapes) takes the factor as its alpha.
 * - Reshape of a Reshape reads the first one's input; a Reshape to the shape it already has goes.
 */
export function simplifyEmitted(model: ModelProto, frozen: ReadonlySet<NodeProto>): number {
  const g = model.graph;
  const info = inferShapes(model);
  let total = 0;
  for (;;) {
    const rewrites = rewriteOnce(g, frozen, info);
    if (!rewrites) break;
    total += rewrites;
    removeDeadNodes(g);
  }
  return total;
}

function rewriteOnce(g: GraphProto, frozen: ReadonlySet<NodeProto>, info: Map<string, TensorInfo>): number {
  const emitted = new Set(g.node.filter((n) => !frozen.has(n)));
  const outputs = new Set(g.output.map((o) => o.name));
  const consumers = consumerMap(g);
  const producer = producerMap(g);
  const initializers = new Map(g.initializer.map((t) => [t.name, t]));
  const shape = (t: string): number[] | undefined => {
    const s = info.get(t)?.shape;
    return s?.every(isStatic) ? (s as number[]) : undefined;
  };
  const sameShape = (a: readonly Dim[] | undefined, b: readonly Dim[] | undefined) =>
    a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
  /** Consumers of `t`, when all of them are ours and `t` is not a graph output. */
  const ownConsumers = (t: string): NodeProto[] | undefined => {
    const list = consumers.get(t) ?? [];
    return !outputs.has(t) && list.every((c) => emitted.has(c)) ? list : undefined;
  };
  const replaceUses = (list: NodeProto[], from: string, to: string) => {
    for (const c of list) c.input = c.input.map((i) => (i === from ? to : i));
  };
  const scalarConstant = (t: string): number | undefined => {
    const init = initializers.get(t);
    return init?.dataType === DataType.FLOAT && numel(init.dims) === 1 ? tensorToFloat32(init)[0] : undefined;
  };

  for (const n of g.node) {
    if (!emitted.has(n)) continue;
    const out = n.output[0]!;
    if (n.opType === 'Reshape') {
      // Reads the input of a Reshape before it (harmless for graph outputs: only n's input changes).
      const before = producer.get(n.input[0]!);
      const target = initializers.get(n.input[1]!);
      const targetDims = target ? Array.from(tensorToArray(target) as BigInt64Array, Number) : undefined;
      if (before?.opType === 'Reshape' && emitted.has(before) && targetDims && !targetDims.includes(0)) {
        n.input = [before.input[0]!, n.input[1]!];
        return 1;
      }
    }
    const users = ownConsumers(out);
    if (!users) continue;

    if (n.opType === 'Expand' && shape(n.input[0]!) && shape(out)) {
      const x = n.input[0]!;
      const [only] = users;
      if (users.length === 1 && UNARY_ELEMENTWISE.has(only!.opType) && only!.input.length === 1) {
        // f(Expand(x)) → Expand(f(x)): the Expand now produces f's output, f reads x.
        const moved = `${only!.output[0]!}_unexpanded`;
        if (info.has(moved)) continue;
        info.set(moved, { elemType: info.get(only!.output[0]!)?.elemType, shape: shape(x) });
        only!.input = [x];
        n.input = [moved, n.input[1]!];
        const fOut = only!.output[0]!;
        only!.output = [moved];
        n.output = [fOut];
        g.node.splice(g.node.indexOf(n), 1);
        g.node.splice(g.node.indexOf(only!) + 1, 0, n);
        return 1;
      }
      const broadcastsAnyway = users.every((c) => {
        if (!BROADCASTING.has(c.opType)) return false;
        const others = c.input.filter((i) => i !== out).map(shape);
        if (others.some((s) => !s)) return false;
        const result = [shape(x)!, ...(others as number[][])].reduce((a, b) => broadcastShapes(a, b) as number[]);
        return sameShape(result, shape(c.output[0]!));
      });
      if (broadcastsAnyway) {
        replaceUses(users, out, x);
        return 1;
      }
    }

    if (n.opType === 'Reshape' && sameShape(shape(n.input[0]!), shape(out))) {
      replaceUses(users, out, n.input[0]!);
      return 1;
    }

    if (n.opType === 'Mul') {
      const factorAt = n.input.findIndex((i) => scalarConstant(i) !== undefined);
      if (factorAt < 0) continue;
      const factor = scalarConstant(n.input[factorAt]!)!;
      const scaled = n.input[1 - factorAt]!;
      // Walk back through reshapes with no other consumer to a Gemm without a C input.
      let t = scaled;
      let p = producer.get(t);
      while (p && RESHAPING.has(p.opType) && emitted.has(p) && ownConsumers(t)?.length === 1) {
        t = p.input[0]!;
        p = producer.get(t);
      }
      if (!p || p.opType !== 'Gemm' || !emitted.has(p) || p.input[2] || ownConsumers(t)?.length !== 1) continue;
      if (!sameShape(shape(scaled), shape(out))) continue;
      const alpha = attrFloat(p, 'alpha', 1) * factor;
      p.attribute = [...p.attribute.filter((a) => a.name !== 'alpha'), { name: 'alpha', attr: float(alpha) }];
      replaceUses(users, out, scaled);
      return 1;
    }
  }
  return 0;
}

// Reverse-mode automatic differentiation of an ONNX graph, emitting plain ONNX ops (no
// *Grad ops), so the backward pass runs wherever the forward ops run (e.g. WebGPU).
import { describeNode, opsetVersion } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { ancestors, renameTensor, topologicalOrder } from './graph.ts';
import { isStatic } from './dims.ts';
import { DataType, type GraphProto, type ModelProto, type NodeProto } from './modelProto.ts';
import { inferShapes } from './shapes.ts';
import { numel } from './tensor.ts';
import { compactRule, compactSourceGrad, densify, isCompact, sumGrads, type Grad } from './grad/compact.ts';
import { FLOAT_TYPES, GradEmitter } from './grad/emitter.ts';
import { GRAD_RULES } from './grad/rules.ts';

export { UnsupportedGradientError } from './grad/emitter.ts';

/** Ops whose non-float outputs still carry a (straight-through) gradient: quantized paths. */
const QUANTIZED_PASS: Record<string, number[]> = {
  DynamicQuantizeLinear: [0],
  QuantizeLinear: [0],
  MatMulInteger: [0],
};

/** Ops whose outputs never carry a gradient (shapes, indices, masks, constants): never differentiated. */
export const NON_DIFFERENTIABLE_OPS: ReadonlySet<string> = new Set([
  'Shape',
  'Size',
  'Constant',
  'ConstantOfShape',
  'Range',
  'NonZero',
  'ArgMax',
  'ArgMin',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
  'EyeLike',
  'OneHot',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
]);

/** Whether the autodiff has a vector-Jacobian product for this node type. */
export function hasGradient(opType: string, domain = ''): boolean {
  return Boolean(GRAD_RULES[ruleKey(opType, domain)]);
}

function ruleKey(opType: string, domain: string): string {
  return domain && domain !== 'ai.onnx' ? `${domain}.${opType}` : opType;
}

/** Appends to `model` (in place) the nodes computing d(y)/d(x) for every x in `wrt`; y must hold a single element.
 *  With `cotangent` (a tensor of y's shape, y of any size) they compute the vector-Jacobian product
 *  Σ cotangent ⊙ ∂y/∂x instead: a caller that knows ∂score/∂y in closed form starts the pass at y.
 *  Returns wrt name -> gradient tensor name (same shape as x). Throws naming op type and node name for an unsupported op.
 *  Gradients are not added to the graph outputs; two wrt tensors with identical gradients share one tensor. */
export function appendGradients(
  model: ModelProto,
  opts: { y: string; wrt: string[]; cotangent?: string },
): Record<string, string> {
  const g = model.graph;
  const opset = opsetVersion(model.opsetImport);
  if (opset < 11) throw new Error(`Gradients need ONNX opset 11 or later; this model imports opset ${opset}`);
  const info = inferShapes(model);
  const yInfo = info.get(opts.y);
  if (!yInfo) throw new Error(`appendGradients: no tensor named "${opts.y}" in the graph`);
  if (opts.cotangent === undefined && yInfo.shape && yInfo.shape.every(isStatic) && numel(yInfo.shape) !== 1)
    throw new Error(`appendGradients: y "${opts.y}" must hold one element, its shape is [${yInfo.shape.join(', ')}]`);
  for (const x of opts.wrt) if (!info.has(x)) throw new Error(`appendGradients: no tensor named "${x}" in the graph`);

  const order = topologicalOrder(g);
  const reached = reachedFrom(order, opts.wrt, info);
  const needed = ancestors(g, [opts.y]);
  const active = order.filter(
    (n) => n.input.some((i) => reached.has(i)) && n.output.some((o) => reached.has(o) && needed.has(o)),
  );

  const missing = active.find((n) => !GRAD_RULES[ruleKey(n.opType, n.domain)]);
  if (missing) throw new Error(`Cannot differentiate ${describeNode(missing)}: no gradient rule for this op`);

  const firstEmitted = g.node.length;
  const firstInitializer = g.initializer.length;
  const b = new GraphBuilder(model);
  const e = new GradEmitter(b, info, opset);
  const grads = new Map<string, Grad[]>();
  const contribute = (t: string, gt: Grad) => {
    const list = grads.get(t);
    if (list) list.push(gt);
    else grads.set(t, [gt]);
  };
  const total = (t: string): Grad | undefined => {
    const list = grads.get(t);
    if (!list?.length) return undefined;
    const sum = sumGrads(e, list);
    grads.set(t, [sum]);
    return sum;
  };
  const dense = (t: string): string | undefined => {
    const g = total(t);
    if (!isCompact(g)) return g;
    const d = densify(e, g);
    grads.set(t, [d]);
    return d;
  };

  e.dtype = floatTypeOf(opts.y, info);
  contribute(opts.y, opts.cotangent ?? e.expandLike(e.k(1), opts.y));
  for (const n of [...active].reverse()) {
    const outputs = n.output.map((o) => (o && needed.has(o) ? o : undefined));
    if (outputs.every((o) => o === undefined || !grads.get(o)?.length)) continue;
    const key = ruleKey(n.opType, n.domain);
    const rule = GRAD_RULES[key]!;
    e.node = n;
    e.dtype = nodeFloatType(n, info);
    const need = n.input.map((i) => Boolean(i) && reached.has(i));
    const only =
      outputs[0] && outputs.slice(1).every((o) => !o || !grads.get(o)?.length) ? total(outputs[0]) : undefined;
    let gx: (Grad | undefined)[] | undefined;
    if (isCompact(only)) gx = compactRule(e, n, only, need, rule, key);
    else if (only !== undefined && need[0] && !need.slice(1).some(Boolean)) {
      const rows = compactSourceGrad(e, n, only);
      gx = rows && [rows];
    }
    gx ??= rule(
      e,
      n,
      outputs.map((o) => o && dense(o)),
      need,
    );
    n.input.forEach((inp, k) => {
      const gk = gx[k];
      if (need[k] && gk) contribute(inp, gk);
    });
  }

  const result: Record<string, string> = {};
  const taken = new Set([
    ...g.node.flatMap((n) => n.output),
    ...g.input.map((v) => v.name),
    ...g.initializer.map((t) => t.name),
  ]);
  const claimed = new Set<string>();
  for (const x of opts.wrt) {
    e.node = undefined;
    e.dtype = floatTypeOf(x, info);
    const gx = dense(x) ?? e.zerosLike(x);
    if (claimed.has(gx)) {
      // Another wrt tensor has exactly this gradient (e.g. x and Identity(x)): share it, no copy.
      result[x] = gx;
      continue;
    }
    let name = `${x}_grad`;
    for (let i = 1; taken.has(name); i++) name = `${x}_grad_${i}`;
    taken.add(name);
    // Gradients are always tensors we emitted: rename rather than append an Identity (which
    // some EPs, WebGPU among them, would run on the CPU).
    if (g.node.findIndex((n) => n.output.includes(gx)) < firstEmitted)
      throw new Error(`appendGradients: internal error, gradient of "${x}" is not an emitted tensor`);
    renameTensor(g, gx, name);
    for (const list of grads.values()) list.forEach((t, i) => t === gx && (list[i] = name));
    claimed.add(name);
    result[x] = name;
  }
  removeUnused(g, firstEmitted, firstInitializer, Object.values(result));
  return result;
}

/**
 * Drops what the pass emitted but nothing reads (e.g. row views a rule did not use), nodes from
 * index `firstNode` on and initializers from `firstInitializer` on; `keep` are the gradients.
 */
function removeUnused(g: GraphProto, firstNode: number, firstInitializer: number, keep: string[]): void {
  for (;;) {
    const read = new Set([...keep, ...g.output.map((o) => o.name), ...g.node.flatMap((n) => n.input)]);
    const unused = new Set(g.node.filter((n, i) => i >= firstNode && !n.output.some((o) => read.has(o))));
    if (!unused.size) break;
    g.node = g.node.filter((n) => !unused.has(n));
  }
  const read = new Set(g.node.flatMap((n) => n.input));
  g.initializer = g.initializer.filter((t, i) => i < firstInitializer || read.has(t.name));
}

/** Tensors computed from `wrt` along differentiable (float, or quantized pass-through) edges. */
function reachedFrom(order: NodeProto[], wrt: string[], info: Map<string, { elemType?: number }>): Set<string> {
  const reached = new Set(wrt);
  for (const n of order) {
    if (!n.input.some((i) => reached.has(i))) continue;
    const pass = QUANTIZED_PASS[n.opType];
    n.output.forEach((o, k) => {
      if (!o) return;
      const t = info.get(o)?.elemType;
      const differentiable = pass ? pass.includes(k) : t === undefined || FLOAT_TYPES.has(t);
      if (differentiable) reached.add(o);
    });
  }
  return reached;
}

function floatTypeOf(t: string, info: Map<string, { elemType?: number }>): number {
  const et = info.get(t)?.elemType;
  return et !== undefined && FLOAT_TYPES.has(et) ? et : DataType.FLOAT;
}

function nodeFloatType(n: NodeProto, info: Map<string, { elemType?: number }>): number {
  for (const t of [...n.output, ...n.input]) {
    const et = t ? info.get(t)?.elemType : undefined;
    if (et !== undefined && FLOAT_TYPES.has(et)) return et;
  }
  return DataType.FLOAT;
}

// Shape and type inference with symbolic dims, plus the values of small integer tensors
// (shape arithmetic: Shape → Gather → Concat → Reshape …) so exported models with
// dynamic-shape plumbing still get static shapes, and that plumbing can be folded away.
// The per-op rules live in shape/, one file per op family.
import { describeNode, opsetVersion } from './attrs.ts';
import { freshDim, isStatic } from './dims.ts';
import { DataType, type DataTypeCode, type ModelProto, type NodeProto } from './modelProto.ts';
import { makeTensor, type ExternalDataResolver } from './tensor.ts';
import { topologicalOrder } from './graph.ts';
import { INT_TYPES, initializerInfo, numeric, type TensorInfo } from './shape/info.ts';
import { SHAPE_RULES } from './shape/rules.ts';
import { messageOf } from '../common/errors.ts';

export { normAxis, sliceRange, type TensorInfo } from './shape/info.ts';

/** Infers elem types, shapes and small values for every tensor of the model's main graph. */
export function inferShapes(
  model: ModelProto,
  opts: { external?: ExternalDataResolver } = {},
): Map<string, TensorInfo> {
  const g = model.graph;
  const info = new Map<string, TensorInfo>();
  for (const v of g.input)
    info.set(v.name, { elemType: v.elemType, shape: v.shape?.map((d) => (d === -1 ? freshDim() : d)) });
  for (const t of g.initializer) info.set(t.name, initializerInfo(t, opts.external));
  const declared = new Map([...g.valueInfo, ...g.output].map((v) => [v.name, v]));
  const opset = opsetVersion(model.opsetImport);
  for (const n of topologicalOrder(g)) {
    let outs: TensorInfo[];
    try {
      outs = inferNode(
        n,
        n.input.map((i) => (i ? (info.get(i) ?? {}) : {})),
        opset,
      );
    } catch (err) {
      throw new Error(`Shape inference failed at ${describeNode(n)}: ${messageOf(err)}`);
    }
    n.output.forEach((o, k) => {
      if (!o) return;
      const inferred = outs[k] ?? {};
      const d = declared.get(o);
      // Exporter-declared shapes fill what inference could not derive.
      if (d) {
        inferred.elemType ??= d.elemType;
        if (!inferred.shape && d.shape) inferred.shape = d.shape.map((x) => (x === -1 ? freshDim() : x));
      }
      info.set(o, inferred);
    });
  }
  return info;
}

function inferNode(n: NodeProto, ins: TensorInfo[], opset: number): TensorInfo[] {
  const rule = SHAPE_RULES[n.opType];
  // Unknown op: types and shapes stay unknown rather than guessed.
  return rule ? rule(n, ins, opset) : n.output.map(() => ({}));
}

/**
 * Replaces nodes whose outputs are fully known small integer tensors (shape arithmetic on
 * static dims) by initializers. Returns the number of nodes folded. Dead producers are left
 * for removeDeadNodes.
 */
export function foldShapeArithmetic(model: ModelProto, info = inferShapes(model)): number {
  const g = model.graph;
  const outputs = new Set(g.output.map((o) => o.name));
  let folded = 0;
  const keep: NodeProto[] = [];
  for (const n of g.node) {
    const vals = n.output.map((o) => info.get(o));
    const foldable =
      n.output.length === 1 &&
      !outputs.has(n.output[0]!) &&
      vals.every(
        (v) =>
          v?.value &&
          numeric(v.value) &&
          v.shape &&
          v.shape.every(isStatic) &&
          v.elemType !== undefined &&
          INT_TYPES.has(v.elemType),
      );
    if (!foldable) {
      keep.push(n);
      continue;
    }
    const v = vals[0]!;
    g.initializer.push(
      makeTensor(n.output[0]!, typedFor(v.elemType!, numeric(v.value)!), v.shape as number[], v.elemType),
    );
    folded++;
  }
  g.node.splice(0, g.node.length, ...keep);
  return folded;
}

function typedFor(elemType: DataTypeCode, values: number[]) {
  switch (elemType) {
    case DataType.INT64:
      return BigInt64Array.from(values, (v) => BigInt(v));
    case DataType.INT32:
      return Int32Array.from(values);
    case DataType.INT16:
      return Int16Array.from(values);
    case DataType.INT8:
      return Int8Array.from(values);
    case DataType.UINT64:
      return BigUint64Array.from(values, (v) => BigInt(v));
    case DataType.UINT32:
      return Uint32Array.from(values);
    case DataType.UINT16:
      return Uint16Array.from(values);
    default:
      return Uint8Array.from(values);
  }
}

/** Writes the inferred types and shapes of intermediate tensors into graph.valueInfo. */
export function annotateShapes(model: ModelProto, info = inferShapes(model)): void {
  const g = model.graph;
  const known = new Set([...g.input, ...g.output, ...g.valueInfo].map((v) => v.name));
  for (const n of g.node)
    for (const o of n.output) {
      const i = info.get(o);
      if (!o || known.has(o) || i?.elemType === undefined) continue;
      g.valueInfo.push(i.shape ? { name: o, elemType: i.elemType, shape: i.shape } : { name: o, elemType: i.elemType });
    }
}

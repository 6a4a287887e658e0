// Upgrades a model's default-domain opset, rewriting the nodes whose form changed on the way
// (attributes that became inputs, Softmax's 2-D coercion), so that every later pass sees one
// form of each op. Forms we cannot rewrite fail naming op, node and opset.
import { messageOf } from '../common/errors.ts';
import { attrInt, attrInts, attrString, describeNode, opsetVersion } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import type { ModelProto, NodeProto } from './modelProto.ts';
import { inferShapes, normAxis } from './shapes.ts';

/** The opset IASM graphs are built at: LayerNormalization exists, Reduce* axes are still attributes. */
export const UPGRADE_TARGET_OPSET = 17;
/** The oldest opset we upgrade from. */
export const OLDEST_SOURCE_OPSET = 11;

/** Rewrites one node from the old form; returns the nodes that replace it. */
type Upgrade = (n: NodeProto, b: GraphBuilder, rank: (t: string) => number | undefined) => NodeProto[];

function withoutAttrs(n: NodeProto, names: string[]): NodeProto {
  return { ...n, input: [...n.input], attribute: n.attribute.filter((a) => !names.includes(a.name)) };
}

/** Moves the int-list attribute `attr` to input `index` (an int64 constant), as opset 13 takes it. */
const attrToInput =
  (attr: string, index: number): Upgrade =>
  (n, b) => {
    const values = attrInts(n, attr);
    const out = withoutAttrs(n, [attr]);
    if (values !== undefined) {
      while (out.input.length < index) out.input.push('');
      out.input[index] = b.ints(values);
    }
    return [out];
  };

/**
 * Softmax, LogSoftmax and Hardmax before opset 13 flatten the input to 2-D at `axis` (default 1)
 * and normalise each row; from 13 they normalise along `axis` alone. The two agree when `axis` is
 * the last one; otherwise the old form is spelled out as Flatten → op(axis=-1) → Reshape.
 */
const coercedSoftmax: Upgrade = (n, b, rank) => {
  const r = rank(n.input[0]!);
  const axis = attrInt(n, 'axis', 1);
  if (axis === -1 || (r !== undefined && normAxis(axis, r) === r - 1))
    return [{ ...withoutAttrs(n, ['axis']), attribute: [{ name: 'axis', attr: { type: 'int', value: -1 } }] }];
  if (r === undefined) throw new Error(`the rank of "${n.input[0]}" is unknown`);
  const at = b.graph.node.length;
  const flat = b.op('Flatten', [n.input[0]!], { axis: normAxis(axis, r) });
  const rows = b.op(n.opType, [flat], { axis: -1 });
  const shape = b.op('Shape', [n.input[0]!]);
  const reshape = { ...n, opType: 'Reshape', input: [rows, shape], attribute: [] };
  return [...b.graph.node.splice(at), reshape];
};

/** Dropout's `ratio` became an input at 12; at inference Dropout is the identity either way. */
const dropout: Upgrade = (n) => [withoutAttrs(n, ['ratio'])];

/** Resize keeps its form from 11 on, except a coordinate mode that opset 13 removed. */
const resize: Upgrade = (n) => {
  const mode = attrString(n, 'coordinate_transformation_mode', 'half_pixel');
  if (mode === 'tf_half_pixel_for_nn')
    throw new Error(`coordinate_transformation_mode "${mode}" was removed in opset 13`);
  return [n];
};

/** BatchNormalization's extra outputs changed meaning at 14 (training statistics); inference has one. */
const batchNormalization: Upgrade = (n) => {
  if (n.output.filter(Boolean).length > 1) throw new Error('its training-mode outputs changed meaning in opset 14');
  return [n];
};

/** Op type -> the opset whose change the rule bridges, and the rule. */
const UPGRADES: Record<string, { before: number; upgrade: Upgrade }> = {
  Squeeze: { before: 13, upgrade: attrToInput('axes', 1) },
  Unsqueeze: { before: 13, upgrade: attrToInput('axes', 1) },
  ReduceSum: { before: 13, upgrade: attrToInput('axes', 1) },
  Split: { before: 13, upgrade: attrToInput('split', 1) },
  Softmax: { before: 13, upgrade: coercedSoftmax },
  LogSoftmax: { before: 13, upgrade: coercedSoftmax },
  Hardmax: { before: 13, upgrade: coercedSoftmax },
  Dropout: { before: 12, upgrade: dropout },
  Resize: { before: 13, upgrade: resize },
  BatchNormalization: { before: 14, upgrade: batchNormalization },
};

/** Ops holding subgraphs, whose nodes this pass does not visit. */
const SUBGRAPH_OPS = new Set(['If', 'Loop', 'Scan']);

/**
 * Returns `model` upgraded to UPGRADE_TARGET_OPSET (a copy sharing the tensors; `model` is not
 * modified). Models at that opset or newer are returned unchanged.
 */
export function upgradeOpset(model: ModelProto): ModelProto {
  const from = opsetVersion(model.opsetImport);
  if (from >= UPGRADE_TARGET_OPSET) return model;
  if (from < OLDEST_SOURCE_OPSET)
    throw new Error(
      `The model uses ONNX opset ${from}; opsets ${OLDEST_SOURCE_OPSET} and newer are supported (re-export it)`,
    );
  const info = inferShapes(model);
  const rank = (t: string) => info.get(t)?.shape?.length;
  const upgraded: ModelProto = {
    ...model,
    opsetImport: model.opsetImport.map((o) =>
      o.domain === '' || o.domain === 'ai.onnx' ? { ...o, version: UPGRADE_TARGET_OPSET } : { ...o },
    ),
    graph: {
      ...model.graph,
      node: [],
      initializer: [...model.graph.initializer],
      input: [...model.graph.input],
      output: [...model.graph.output],
      valueInfo: [...model.graph.valueInfo],
    },
  };
  const b = new GraphBuilder({ ...upgraded, graph: { ...upgraded.graph, node: [...model.graph.node] } });
  const nodes: NodeProto[] = [];
  for (const n of model.graph.node) {
    const rule = n.domain === '' || n.domain === 'ai.onnx' ? UPGRADES[n.opType] : undefined;
    try {
      if (SUBGRAPH_OPS.has(n.opType)) throw new Error('its subgraphs would need upgrading too');
      nodes.push(...(rule && from < rule.before ? rule.upgrade(n, b, rank) : [n]));
    } catch (err) {
      const why = messageOf(err);
      throw new Error(`Cannot take ${describeNode(n)} at ONNX opset ${from}: ${why}`);
    }
  }
  upgraded.graph.node = nodes;
  return upgraded;
}

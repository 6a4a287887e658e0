// The forward-only score graph of an IASM pack: the same model and score as buildIasmGraph's, with
// no backward pass and no maps, for a batch of images. It scores many crops of one photo at once.
import { removeDeadNodes, renameTensor } from '../onnx/graph.ts';
import {
  DataType,
  encodeModel,
  encodeModelSharingData,
  foldShapeArithmetic,
  GraphBuilder,
  decodeModel,
  simplifyEmitted,
  type ModelProto,
} from '../onnx/index.ts';
import { hasIntegerOps, integerOpsToFloat } from '../onnx/integerToFloat.ts';
import { upgradeOpset } from '../onnx/opset.ts';
import type { IasmPack, IasmScoreMode } from '../packs/iasm.ts';
import { onlyImageInput, onlyOutput, type IasmGraphOptions } from './build.ts';
import { cloneModelShallow } from './graphEdit.ts';
import { appendLinearHead } from './ops.ts';
import { BACKBONE_DATA, iasmOptionsForPack, type SharedIasmModel } from './runner.ts';

/** The score graph's only output: f32 [batch], one score per image. */
export const SCORE_OUTPUT = 'score';

/**
 * Builds the forward-only score graph from `source` (not modified; weights shared). Its image input
 * is [batch, 3, H, W] (H×W fixed by `preprocess` where given) and its output `score` is [batch], the
 * same score buildIasmGraph returns for each image alone.
 */
export function buildIasmScoreGraph(source: ModelProto, options: IasmGraphOptions): ModelProto {
  const model = cloneModelShallow(upgradeOpset(source));
  const g = model.graph;
  const forward = new Set(g.node);
  const input = options.input ?? onlyImageInput(model);
  const known = new Set([...g.node.flatMap((n) => n.output), ...g.input.map((v) => v.name)]);
  if (!known.has(input)) throw new Error(`Image input "${input}" is not an input of the model`);
  // Free the output name if the model already uses it.
  let rename = (name: string) => name;
  if (known.has(SCORE_OUTPUT) || g.initializer.some((t) => t.name === SCORE_OUTPUT)) {
    let to = `${SCORE_OUTPUT}_source`;
    while (known.has(to)) to += '_';
    renameTensor(g, SCORE_OUTPUT, to);
    rename = (name) => (name === SCORE_OUTPUT ? to : name);
  }
  const image = rename(input);
  const i = g.input.findIndex((v) => v.name === image);
  const { width, height } = options.preprocess ?? {};
  const shape = g.input[i]!.shape;
  g.input[i] = {
    ...g.input[i]!,
    shape: ['batch', 3, height ?? shape?.[2] ?? 'height', width ?? shape?.[3] ?? 'width'],
  };

  const b = new GraphBuilder(model);
  let y: string;
  if (options.head) {
    y = appendLinearHead(b, rename(options.head.embedding), options.head.weights).y;
  } else {
    y = appendBatchScore(b, rename(options.output ?? onlyOutput(model)), options.score);
  }
  g.output = [{ name: y, elemType: DataType.FLOAT, shape: ['batch'] }];
  renameTensor(g, y, SCORE_OUTPUT);
  removeDeadNodes(g);
  simplifyEmitted(model, forward);
  g.input = g.input.filter((v) => v.name === image || g.node.some((n) => n.input.includes(v.name)));
  if (foldShapeArithmetic(model) > 0) removeDeadNodes(g);
  // Each image of a batch quantized on its own range, as the IASM graph quantizes it alone.
  if (hasIntegerOps(model)) integerOpsToFloat(model, { perSample: true });
  model.metadataProps = model.metadataProps.filter((e) => e.key !== 'aeslens.iasm');
  return model;
}

/**
 * One score per image from a model output [batch, …]: scalar = the single value, logit = the
 * largest logit, expected = Σ_{i=1..K} i·softmax(logits)_i (as appendScore, per row).
 */
function appendBatchScore(b: GraphBuilder, output: string, mode: IasmScoreMode): string {
  const rows = b.op('Flatten', [output], { axis: 1 }); // [batch, K]
  if (mode === 'scalar') return b.op('Reshape', [rows, b.ints([-1])]);
  if (mode === 'logit') {
    const best = b.op('ArgMax', [rows], { axis: 1, keepdims: 1 });
    return b.op('Reshape', [b.op('GatherElements', [rows, best], { axis: 1 }), b.ints([-1])]);
  }
  const k = b.op('Gather', [b.op('Shape', [rows]), b.scalar(1, DataType.INT64)], { axis: 0 });
  const one = b.scalar(1, DataType.INT64);
  const bins = b.op('Cast', [b.op('Range', [one, b.op('Add', [k, one]), one])], { to: DataType.FLOAT });
  return b.op('MatMul', [b.op('Softmax', [rows], { axis: 1 }), bins]);
}

/** The pack's score graph, weights inline (onnxruntime-node, tests). */
export async function buildScoreModelForPack(
  pack: IasmPack,
  files: (path: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const backbone = decodeModel(await files(pack.backbone));
  return encodeModel(buildIasmScoreGraph(backbone, iasmOptionsForPack(pack)));
}

/** The pack's score graph reading the backbone's weights from the backbone file (onnxruntime-web). */
export function buildSharedScoreModel(pack: IasmPack, backbone: Uint8Array): SharedIasmModel {
  const model = encodeModelSharingData(
    buildIasmScoreGraph(decodeModel(backbone), iasmOptionsForPack(pack)),
    backbone,
    BACKBONE_DATA,
  );
  return { model, externalData: [{ path: BACKBONE_DATA, data: backbone }] };
}

// buildIasmGraph: turns an aesthetic model into one ONNX graph that returns, in a single run,
// the score, the class, the LayerCAM map on the target layer(s) and the saliency map.
import { appendGradients } from '../onnx/autodiff.ts';
import { ancestors, removeDeadNodes, renameTensor } from '../onnx/graph.ts';
import {
  DataType,
  foldShapeArithmetic,
  GraphBuilder,
  inferShapes,
  simplifyEmitted,
  type GraphProto,
  type ModelProto,
} from '../onnx/index.ts';
import type { IasmInputSpec, IasmLayout, IasmScoreMode } from '../packs/iasm.ts';
import { hasIntegerOps, integerOpsToFloat } from '../onnx/integerToFloat.ts';
import { upgradeOpset } from '../onnx/opset.ts';
import { cloneModelShallow } from './graphEdit.ts';
import type { LinearHead } from './heads.ts';
import {
  appendLayerCam,
  appendLinearHead,
  appendMean,
  appendMinMaxNormalise,
  appendSaliencyMap,
  appendScore,
} from './ops.ts';

/** The built graph's outputs, exactly and in this order. */
export const IASM_OUTPUTS = ['score', 'class_index', 'cam', 'saliency'] as const;
/** With a linear head, a fifth output: the embedding it scores, f32 [1, F]. */
export const IASM_EMBEDDING_OUTPUT = 'embedding';

/** Key of the model metadata entry that records how the graph was built (JSON of IasmMetadata). */
export const IASM_METADATA_KEY = 'aeslens.iasm';

export interface IasmGraphOptions {
  /** Target tensors A; with several, `saliency` is the normalised mean of their normalised maps. */
  targets: string[];
  score: IasmScoreMode;
  layout: IasmLayout;
  /** tokens layout: drop the first (CLS) token before forming the square grid. */
  clsToken?: boolean;
  /** Model output read by the score (default: the model's only output). Ignored with `head`. */
  output?: string;
  /** A LAION-style linear head composed on the embedding output `embedding` (score mode 'scalar'). */
  head?: { embedding: string; weights: LinearHead };
  /** Image input [1, 3, H, W] (default: the model's only rank-4 input). */
  input?: string;
  /** Preprocessing recorded in the metadata, for tools that run the built graph (e.g. `aeslens iasm run`). */
  preprocess?: IasmPreprocess;
}

export interface IasmMetadata {
  input: string;
  targets: string[];
  score: IasmScoreMode;
  layout: IasmLayout;
  clsToken: boolean;
  preprocess?: IasmPreprocess;
}

export interface IasmPreprocess {
  mean?: [number, number, number];
  std?: [number, number, number];
  /** Input size, for models whose image input has symbolic height and width. */
  width?: number;
  height?: number;
  /** How a photo becomes the score's input (IasmInputSpec's `resize`); without it, 'stretch'. */
  resize?: IasmInputSpec['resize'];
}

/**
 * Builds the IASM graph from `source` (not modified; weights are shared, not copied). Outputs:
 * score f32 [1], class_index i64 [1], cam f32 [1, h, w] (raw LayerCAM of the first target),
 * saliency f32 [1, H, W] (cam upsampled bilinearly with half-pixel centres to the input size,
 * min-max normalised with eps 1e-7); with a linear head also embedding f32 [1, F].
 */
export function buildIasmGraph(source: ModelProto, options: IasmGraphOptions): ModelProto {
  // Older exports are upgraded first, so the backward pass and its clean-up see one form of each op.
  const model = cloneModelShallow(upgradeOpset(source));
  const g = model.graph;
  const forward = new Set(g.node);
  if (options.targets.length === 0) throw new Error('Give at least one target tensor');

  const produced = new Set(g.node.flatMap((n) => n.output));
  const known = new Set([...produced, ...g.input.map((v) => v.name)]);
  const input = options.input ?? onlyImageInput(model);
  if (!g.input.some((v) => v.name === input))
    throw new Error(
      `Image input "${input}" is not an input of the model (inputs: ${g.input.map((v) => `"${v.name}"`).join(', ')})`,
    );
  for (const t of options.targets)
    if (!produced.has(t))
      throw new Error(`Target tensor "${t}" is not computed by the model. ${suggestTargets(model, t)}`);
  if (options.head && !known.has(options.head.embedding))
    throw new Error(
      `Embedding output "${options.head.embedding}" is not in the model (outputs: ${outputNames(model)})`,
    );
  const scoreOutput = options.head ? undefined : (options.output ?? onlyOutput(model));
  if (scoreOutput !== undefined && !known.has(scoreOutput))
    throw new Error(`Output "${scoreOutput}" is not in the model (outputs: ${outputNames(model)})`);

  // Free our output names if the model already uses them (a user's NIMA export may output "score").
  const rename = new Map<string, string>();
  for (const name of [...IASM_OUTPUTS, IASM_EMBEDDING_OUTPUT]) {
    if (!known.has(name) && !g.initializer.some((t) => t.name === name)) continue;
    let to = `${name}_source`;
    while (known.has(to)) to += '_';
    renameTensor(g, name, to);
    rename.set(name, to);
  }
  const renamed = (name: string) => rename.get(name) ?? name;
  const targets = options.targets.map(renamed);

  // One photo per run (the outputs are per photo), at the preprocessing's size: with the input
  // fixed, sizes known only at run time become constants when building (score bins, the LayerCAM grid) and the shape arithmetic
  // of the forward graph and the backward pass folds away, which spares each run the per-node
  // cost of a few dozen tiny nodes.
  const image = renamed(input);
  fixImageInput(g, image, options.preprocess);
  const shapes = inferShapes(model);
  const staticSize = (t: string): number[] | undefined => {
    const shape = shapes.get(t)?.shape;
    return shape?.every((d): d is number => typeof d === 'number' && d >= 0) ? shape : undefined;
  };

  const b = new GraphBuilder(model);
  const { y, classIndex, backwardFrom } = options.head
    ? appendLinearHead(b, renamed(options.head.embedding), options.head.weights)
    : appendScore(b, renamed(scoreOutput!), options.score, staticSize(renamed(scoreOutput!)));

  const influencing = ancestors(g, [y]);
  for (const t of targets)
    if (!influencing.has(t))
      throw new Error(`Target tensor "${t}" does not feed the score: its LayerCAM map would be empty`);
  const gradients = appendGradients(
    model,
    backwardFrom ? { y: backwardFrom.tensor, cotangent: backwardFrom.cotangent, wrt: targets } : { y, wrt: targets },
  );

  // A fresh builder: appendGradients added names the first one does not know.
  const c = new GraphBuilder(model);
  const imageSize = staticSize(image);
  const cams = targets.map((t) => {
    const grad = gradients[t];
    if (!grad) throw new Error(`appendGradients returned no gradient for "${t}"`);
    const clsToken = options.clsToken ?? false;
    const side = gridSide(staticSize(t), options.layout, clsToken);
    const cam = appendLayerCam(c, t, grad, options.layout, clsToken, side);
    // The map's h×w when known: the token grid's side, or an NCHW target's static spatial dims.
    const [h, w] = options.layout === 'tokens' ? [side, side] : (staticSize(t)?.slice(2) ?? []);
    const sizes =
      h !== undefined && w !== undefined && imageSize
        ? { h, w, height: imageSize[2]!, width: imageSize[3]! }
        : undefined;
    return { cam, sizes };
  });
  const maps = cams.map(({ cam, sizes }) => appendSaliencyMap(c, cam, image, sizes));
  const saliency = maps.length === 1 ? maps[0]! : appendMinMaxNormalise(c, appendMean(c, maps));

  g.output = [
    { name: y, elemType: DataType.FLOAT, shape: [1] },
    { name: classIndex, elemType: DataType.INT64, shape: [1] },
    { name: cams[0]!.cam, elemType: DataType.FLOAT, shape: [1, 'cam_height', 'cam_width'] },
    { name: saliency, elemType: DataType.FLOAT, shape: [1, 'height', 'width'] },
  ];
  // The outputs take their names by renaming the tensors that hold them: an Identity per output
  // would be a kernel run (and on WebGPU a dispatch) for nothing.
  IASM_OUTPUTS.forEach((name, i) => renameTensor(g, g.output[i]!.name, name));
  if (options.head) {
    // Read by the app to stack near-duplicates (cosine similarity of embeddings).
    renameTensor(g, renamed(options.head.embedding), IASM_EMBEDDING_OUTPUT);
    g.output.push({ name: IASM_EMBEDDING_OUTPUT, elemType: DataType.FLOAT, shape: [1, 'embedding_size'] });
  }
  removeDeadNodes(g);
  simplifyEmitted(model, forward);
  g.input = g.input.filter((v) => v.name === image || g.node.some((n) => n.input.includes(v.name)));
  if (foldShapeArithmetic(model) > 0) removeDeadNodes(g);
  // WebGPU has no integer kernels: the 8-bit exports' integer ops become float ops computing the same.
  if (hasIntegerOps(model)) integerOpsToFloat(model);

  const metadata: IasmMetadata = {
    input: image,
    targets,
    score: options.head ? 'scalar' : options.score,
    layout: options.layout,
    clsToken: options.clsToken ?? false,
    ...(options.preprocess ? { preprocess: options.preprocess } : {}),
  };
  model.metadataProps = [
    ...model.metadataProps.filter((e) => e.key !== IASM_METADATA_KEY),
    { key: IASM_METADATA_KEY, value: JSON.stringify(metadata) },
  ];
  return model;
}

/** The IASM metadata of a built graph, or undefined for other models. */
export function readIasmMetadata(model: ModelProto): IasmMetadata | undefined {
  const entry = model.metadataProps.find((e) => e.key === IASM_METADATA_KEY);
  return entry ? (JSON.parse(entry.value) as IasmMetadata) : undefined;
}

/** Side of the square token grid of a [1, T, D] target, when T is known and (without CLS) square. */
function gridSide(shape: number[] | undefined, layout: IasmLayout, clsToken: boolean): number | undefined {
  if (layout !== 'tokens' || shape?.length !== 3) return undefined;
  const side = Math.sqrt(shape[1]! - (clsToken ? 1 : 0));
  return Number.isInteger(side) ? side : undefined;
}

/**
 * Fixes the image input to one photo, and to the preprocessing's size where that is given (the
 * graph is run at that size), in a new value info: the source model's is shared.
 */
function fixImageInput(g: GraphProto, image: string, size: IasmPreprocess | undefined): void {
  const i = g.input.findIndex((v) => v.name === image);
  const shape = g.input[i]?.shape;
  if (!shape || shape.length === 0) return;
  const fixed = [1, ...shape.slice(1)];
  if (shape.length === 4 && size?.width && size.height) {
    if (typeof fixed[1] !== 'number' || fixed[1] < 0) fixed[1] = 3;
    fixed[2] = size.height;
    fixed[3] = size.width;
  }
  g.input[i] = { ...g.input[i]!, shape: fixed };
}

function outputNames(model: ModelProto): string {
  return model.graph.output.map((o) => `"${o.name}"`).join(', ');
}

export function onlyOutput(model: ModelProto): string {
  const outs = model.graph.output;
  if (outs.length !== 1)
    throw new Error(`The model has ${outs.length} outputs (${outputNames(model)}): say which one holds the score`);
  return outs[0]!.name;
}

export function onlyImageInput(model: ModelProto): string {
  const inits = new Set(model.graph.initializer.map((t) => t.name));
  const images = model.graph.input.filter((v) => !inits.has(v.name) && (v.shape === undefined || v.shape.length === 4));
  if (images.length !== 1)
    throw new Error(
      `Cannot tell the image input among ${model.graph.input.map((v) => `"${v.name}"`).join(', ')}: name it`,
    );
  return images[0]!.name;
}

/** A hint for a target name that does not exist: tensors named alike (same pattern up to numbers first). */
function suggestTargets(model: ModelProto, wanted: string): string {
  const outputs = model.graph.node.flatMap((n) => n.output);
  const pattern = (name: string) => name.replace(/\d+/g, '#');
  const words = wanted
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
  const samePattern = outputs.filter((o) => pattern(o) === pattern(wanted));
  const similar = samePattern.length
    ? samePattern
    : outputs.filter((o) => words.some((w) => o.toLowerCase().includes(w)));
  const shown = similar.slice(-8);
  return shown.length
    ? `Similar tensors: ${shown.map((x) => `"${x}"`).join(', ')}`
    : 'List layer outputs with `aeslens iasm layers --model <file>`.';
}

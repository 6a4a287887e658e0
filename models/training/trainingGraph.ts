// The training graph of a SmolVLM-layout critic pack: its own vision_encoder (with the trainable
// saliency cross-attention), embed_tokens and decoder_model_merged joined into one ONNX graph over
// the whole teacher-forced sequence (the KV cache inputs get zero-length tensors), the image
// features placed at the image-token positions, the mean cross-entropy of the target tokens as
// `loss`, and — appended by models/onnx autodiff — its gradient for every fusion parameter.
import { appendGradients } from '../onnx/autodiff.ts';
import { GraphBuilder } from '../onnx/builder.ts';
import { removeDeadNodes, setOutputs } from '../onnx/graph.ts';
import { decodeModel } from '../onnx/decodeModel.ts';
import { DataType, type ModelProto, type ValueInfoProto } from '../onnx/modelProto.ts';
import { upgradeOpset } from '../onnx/opset.ts';
import { unfuseTransformerOps } from '../onnx/unfuse.ts';
import { addTrainableCrossAttention, type TrainableFusion, type TrainableFusionOptions } from './trainableFusion.ts';

/** Graph inputs of the training graph besides the fusion parameters and `saliency`. */
export const TRAINING_INPUTS = {
  pixelValues: 'pixel_values',
  pixelMask: 'pixel_attention_mask',
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  /** float [1, S, F·I]: row t is one-hot at the image-feature row placed at position t (zeros elsewhere). */
  placement: 'image_placement',
  /** float [1, S]: 1 at image-token positions. */
  imageMask: 'image_token_mask',
  /** float [1, S, V]: weight of token v as the target after position t (1/L for each of the L targets). */
  targets: 'target_weights',
} as const;

export const LOSS = 'loss';

export interface PackSessions {
  visionEncoder: Uint8Array;
  embedTokens: Uint8Array;
  decoder: Uint8Array;
}

export interface TrainingGraph {
  model: ModelProto;
  fusion: TrainableFusion;
  /** Fusion parameter name → gradient output name. */
  gradients: Record<string, string>;
  /** The decoder's cache inputs, fed zero-length tensors: name → [batch, heads, 0, headDim] (batch 1). */
  cacheInputs: { name: string; dims: number[]; elemType: number }[];
  imageTokens: number;
  hidden: number;
  vocab: number;
}

const CACHE_INPUT = /^past_key_values\.\d+\.(key|value)$/;

/** Prefixes every tensor and node name of `model` except `keep`; returns the model (in place). */
function prefixNames(model: ModelProto, prefix: string, keep: ReadonlySet<string>): ModelProto {
  const g = model.graph;
  const rename = (name: string) => (name === '' || keep.has(name) ? name : `${prefix}${name}`);
  for (const n of g.node) {
    n.name = `${prefix}${n.name}`;
    n.input = n.input.map(rename);
    n.output = n.output.map(rename);
  }
  for (const t of g.initializer) t.name = rename(t.name);
  for (const list of [g.input, g.output, g.valueInfo]) for (const v of list) v.name = rename(v.name);
  return model;
}

/** A pack session in the form the autodiff takes: opset 17, ORT's fused transformer ops spelled out. */
function session(bytes: Uint8Array): ModelProto {
  const model = upgradeOpset(decodeModel(bytes));
  unfuseTransformerOps(model);
  return model;
}

function outputInfo(model: ModelProto, name: string): ValueInfoProto {
  const info = model.graph.output.find((o) => o.name === name);
  if (!info) throw new Error(`The ${model.graph.name || 'model'} session has no output "${name}"`);
  return info;
}

function staticLast(info: ValueInfoProto, what: string): number {
  const d = info.shape?.at(-1);
  if (typeof d !== 'number') throw new Error(`${what}: its last dimension is not static`);
  return d;
}

/**
 * Joins the three sessions into the training graph. `image_features` [F, I, H] is placed at the
 * image-token positions by the `image_placement` matrix; the decoder's logits [1, S, V] give
 * loss = −Σ target_weights ⊙ log_softmax(logits).
 */
export function buildTrainingGraph(pack: PackSessions, opts: TrainableFusionOptions = {}): TrainingGraph {
  const vision = session(pack.visionEncoder);
  const fusion = addTrainableCrossAttention(vision, opts);
  const embed = session(pack.embedTokens);
  const decoder = session(pack.decoder);
  const features = outputInfo(vision, 'image_features');
  const imageTokens = features.shape?.[1];
  if (typeof imageTokens !== 'number') throw new Error('image_features: the image token count is not static');
  const hidden = staticLast(features, 'image_features');
  const vocab = staticLast(outputInfo(decoder, 'logits'), 'logits');
  const cacheInputs = decoder.graph.input
    .filter((i) => CACHE_INPUT.test(i.name))
    .map((i) => {
      const dims = (i.shape ?? []).map((d, k) => (k === 0 ? 1 : k === 2 ? 0 : d));
      if (dims.length !== 4 || dims.some((d) => typeof d !== 'number'))
        throw new Error(`Decoder cache input ${i.name}: expected [batch, heads, past, head_dim] with static heads`);
      return { name: i.name, dims: dims as number[], elemType: i.elemType ?? DataType.FLOAT };
    });
  const extra = decoder.graph.input.find(
    (i) => !CACHE_INPUT.test(i.name) && !['inputs_embeds', 'attention_mask', 'position_ids'].includes(i.name),
  );
  if (extra) throw new Error(`The decoder has an input this trainer does not feed: "${extra.name}"`);

  const shared = new Set<string>([
    ...vision.graph.input.map((i) => i.name),
    'image_features',
    TRAINING_INPUTS.inputIds,
    'inputs_embeds',
    TRAINING_INPUTS.attentionMask,
    TRAINING_INPUTS.positionIds,
    ...cacheInputs.map((c) => c.name),
    'logits',
  ]);
  prefixNames(vision, 'vision/', shared);
  prefixNames(embed, 'embed/', shared);
  prefixNames(decoder, 'decoder/', shared);
  renameEverywhere(embed, 'inputs_embeds', 'token_embeds');

  const opsets = new Map<string, number>();
  for (const m of [vision, embed, decoder])
    for (const o of m.opsetImport) opsets.set(o.domain, Math.max(opsets.get(o.domain) ?? 0, o.version));
  const model: ModelProto = {
    irVersion: Math.max(vision.irVersion, embed.irVersion, decoder.irVersion, 8),
    producerName: 'aeslens',
    metadataProps: [],
    opsetImport: [...opsets].map(([domain, version]) => ({ domain, version })),
    graph: {
      name: 'iasvit_training',
      node: [...vision.graph.node, ...embed.graph.node],
      initializer: [...vision.graph.initializer, ...embed.graph.initializer, ...decoder.graph.initializer],
      input: [
        ...vision.graph.input,
        ...embed.graph.input,
        ...decoder.graph.input.filter((i) => i.name !== 'inputs_embeds'),
      ],
      output: [],
      valueInfo: [...vision.graph.valueInfo, ...embed.graph.valueInfo, ...decoder.graph.valueInfo],
    },
  };
  const b = new GraphBuilder(model);
  const placement = b.input(TRAINING_INPUTS.placement, DataType.FLOAT, [1, 'sequence_length', 'image_rows']);
  const imageMask = b.input(TRAINING_INPUTS.imageMask, DataType.FLOAT, [1, 'sequence_length']);
  const targets = b.input(TRAINING_INPUTS.targets, DataType.FLOAT, [1, 'sequence_length', vocab]);
  const rows = b.op('Reshape', ['image_features', b.ints([1, -1, hidden])]);
  const keepText = b.op('Unsqueeze', [b.op('Sub', [b.scalar(1), imageMask]), b.ints([2])]);
  b.op(
    'Add',
    [b.op('Mul', ['token_embeds', keepText]), b.op('MatMul', [placement, rows])],
    {},
    { output: 'inputs_embeds' },
  );
  model.graph.node.push(...decoder.graph.node);
  const logProbs = b.op('LogSoftmax', ['logits'], { axis: -1 });
  b.op('Neg', [b.op('ReduceSum', [b.op('Mul', [logProbs, targets])], { keepdims: 0 })], {}, { output: LOSS });

  setOutputs(model.graph, [LOSS]);
  removeDeadNodes(model.graph);
  const gradients = appendGradients(model, { y: LOSS, wrt: fusion.params.map((p) => p.name) });
  setOutputs(model.graph, [LOSS, ...fusion.params.map((p) => gradients[p.name]!)]);
  model.graph.input = model.graph.input.filter((i) => model.graph.node.some((n) => n.input.includes(i.name)));
  return {
    model,
    fusion,
    gradients,
    cacheInputs: cacheInputs.filter((c) => hasInput(model, c.name)),
    imageTokens,
    hidden,
    vocab,
  };
}

function hasInput(model: ModelProto, name: string): boolean {
  return model.graph.input.some((i) => i.name === name);
}

function renameEverywhere(model: ModelProto, from: string, to: string): void {
  const g = model.graph;
  for (const n of g.node) {
    n.input = n.input.map((i) => (i === from ? to : i));
    n.output = n.output.map((o) => (o === from ? to : o));
  }
  for (const list of [g.input, g.output, g.valueInfo]) for (const v of list) if (v.name === from) v.name = to;
}

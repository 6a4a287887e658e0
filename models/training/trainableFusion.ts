// IAS-ViT for training: the saliency cross-attention inserted into a vision encoder in its literal
// form (embedding, LN_s, q/k/v/out projections), with every fusion parameter a graph input named
// as in the fusion safetensors, so the autodiff can differentiate the encoder with respect to them.
// The inference build (models/vit) computes the same function with the queries in closed form.
import { float, GraphBuilder } from '../onnx/builder.ts';
import { DataType, type ModelProto } from '../onnx/modelProto.ts';
import { attendHeads } from '../vit/layers.ts';
import {
  fusionNames,
  inferTokenLayout,
  locateBlocks,
  SALIENCY_INPUT,
  zeroFusion,
} from '../vit/saliencyCrossAttention.ts';

/** One trainable fusion tensor: its safetensors name (= graph input name) and shape. */
export interface FusionParam {
  name: string;
  dims: number[];
}

export interface TrainableFusion {
  params: FusionParam[];
  grid: [number, number];
  width: number;
  heads: number;
  lnEps: number;
  blocks: number[];
}

export interface TrainableFusionOptions {
  /** Base blocks that get cross-attention; default all. */
  blocks?: number[];
  /** Cross-attention heads; default width / 64 (at least 1). */
  heads?: number;
  lnEps?: number;
}

/**
 * Adds the `saliency` input, the fusion parameter inputs and the cross-attention to `model`
 * IN PLACE. Towers with a class token are refused (SmolVLM's SigLIP tower has none).
 */
export function addTrainableCrossAttention(model: ModelProto, opts: TrainableFusionOptions = {}): TrainableFusion {
  const found = locateBlocks(model);
  const width = found[0]!.width;
  const { grid, cls } = inferTokenLayout(model, width);
  if (cls) throw new Error('Training IAS-ViT fusion weights for a tower with a class token is not supported');
  const blocks = opts.blocks ?? found.map((blk) => blk.index);
  const byIndex = new Map(found.map((blk) => [blk.index, blk]));
  for (const i of blocks) if (!byIndex.has(i)) throw new Error(`Block ${i} is not in the base encoder`);
  const heads = opts.heads ?? Math.max(1, Math.floor(width / 64));
  if (width % heads !== 0) throw new Error(`Cross-attention heads ${heads} do not divide the width ${width}`);
  const lnEps = opts.lnEps ?? 1e-6;
  const tokens = grid[0] * grid[1];
  const template = zeroFusion(width, tokens, blocks, false);
  const params = template.names().map((name) => ({ name, dims: [...template.get(name).dims] }));

  const b = new GraphBuilder(model);
  const g = model.graph;
  for (const p of params) b.input(p.name, DataType.FLOAT, p.dims);
  const start = g.node.length;
  const sal = b.input(SALIENCY_INPUT, DataType.FLOAT, ['saliency_frames', grid[0], grid[1]]);
  const cells = b.op('Unsqueeze', [b.op('Reshape', [sal, b.ints([0, tokens])]), b.ints([2])]); // [S, T, 1]
  const embed = b.op('Reshape', [fusionNames.saliencyEmbedWeight, b.ints([width])]);
  const s = b.op('Add', [
    b.op('Add', [b.op('Mul', [cells, embed]), fusionNames.saliencyEmbedBias]),
    fusionNames.saliencyPosition,
  ]);
  const prelude = g.node.splice(start);

  const headDim = width / heads;
  // [B, T, D] → [B, h, T, d] (Reshape + Transpose: differentiable with a symbolic batch).
  const splitHeads = (x: string) =>
    b.op('Transpose', [b.op('Reshape', [x, b.ints([0, 0, heads, headDim])])], { perm: [0, 2, 1, 3] });
  const linear = (x: string, name: string) =>
    b.op('Add', [b.op('MatMul', [x, b.op('Transpose', [`${name}.weight`], { perm: [1, 0] })]), `${name}.bias`]);
  const norm = (x: string, name: string) =>
    b.op('LayerNormalization', [x, `${name}.weight`, `${name}.bias`], { axis: -1, epsilon: float(lnEps) });
  for (const i of blocks) {
    const blk = byIndex.get(i)!;
    const n = fusionNames.block(i);
    const at = g.node.length;
    const qScaled = b.op('Mul', [
      linear(norm(s, `${n}.norm_s`), `${n}.cross_attn.q_proj`),
      b.scalar(1 / Math.sqrt(headDim)),
    ]);
    const kvIn = norm(blk.hidden, `${n}.norm_c`);
    const [k, v] = ['k_proj', 'v_proj'].map((p) => splitHeads(linear(kvIn, `${n}.cross_attn.${p}`))) as [
      string,
      string,
    ];
    const merged = attendHeads(b, splitHeads(qScaled), k, v, width);
    const fused = b.op('Add', [blk.hidden, linear(merged, `${n}.cross_attn.out_proj`)]);
    const added = g.node.splice(at);
    for (const node of g.node) node.input = node.input.map((name) => (name === blk.hidden ? fused : name));
    g.node.splice(g.node.indexOf(blk.norm2), 0, ...added);
  }
  g.node.unshift(...prelude);
  return { params, grid, width, heads, lnEps, blocks };
}

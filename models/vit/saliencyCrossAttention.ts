// IAS-ViT: inserts the saliency cross-attention sub-layer into an existing ViT encoder graph.
// In every chosen block, after the self-attention residual and before the MLP's layer norm:
//   x ← x + CrossAttn(q = LN_s(s), k = v = LN_c(x))
// with s the saliency tokens built once from the extra `saliency` input. Everything else
// in the base graph (inputs, masks, connectors, output names) is kept as it is.
import { GraphBuilder } from '../onnx/builder.ts';
import { DataType, type ModelProto, type NodeProto } from '../onnx/modelProto.ts';
import { attendHeads, layerNorm, linear, namedConstant, splitHeads, stackLinear } from './layers.ts';
import { transpose2d, Weights, type Weight } from './weights.ts';

export const SALIENCY_INPUT = 'saliency';
/** Model metadata key: 'trained' when some cross-attention output is non-zero, else 'zero'. */
export const FUSION_METADATA_KEY = 'aeslens.iasvit.fusion';

/** Fusion parameter names (PyTorch state-dict names of an `ias` module, see README.md). */
export const fusionNames = {
  saliencyEmbedWeight: 'ias.saliency_embed.weight',
  saliencyEmbedBias: 'ias.saliency_embed.bias',
  saliencyCls: 'ias.saliency_cls',
  saliencyPosition: 'ias.saliency_position',
  block: (i: number) => `ias.blocks.${i}`,
};

/** A block of the base graph: its index and the hidden state entering its second layer norm. */
export interface EncoderBlock {
  index: number;
  /** The first node of the layer norm in front of the MLP (HF `layer_norm2`). */
  norm2: NodeProto;
  hidden: string;
  width: number;
}

const NORM2 = /(?:^|[./])layers\.(\d+)\.layer_norm2\.weight$/;

/**
 * The input and first node of a layer norm whose scale is applied by `node`: a LayerNormalization,
 * or the spelled-out form exports before opset 17 write (ReduceMean, Sub, Pow, ReduceMean, Add,
 * Sqrt, Div, then Mul by the scale and Add of the bias).
 */
function normInput(
  node: NodeProto,
  scale: string,
  producer: Map<string, NodeProto>,
): { first: NodeProto; x: string } | undefined {
  if (node.opType === 'LayerNormalization')
    return node.input[1] === scale ? { first: node, x: node.input[0]! } : undefined;
  if (node.opType !== 'Mul') return undefined;
  const div = producer.get(node.input.find((i) => i !== scale) ?? '');
  const sub = div?.opType === 'Div' ? producer.get(div.input[0]!) : undefined;
  const mean = sub?.opType === 'Sub' ? producer.get(sub.input[1]!) : undefined;
  if (!sub || mean?.opType !== 'ReduceMean' || mean.input[0] !== sub.input[0]) return undefined;
  return { first: mean, x: sub.input[0]! };
}

/** Finds the encoder blocks by the `layers.N.layer_norm2` scale initializers of their layer norms. */
export function locateBlocks(model: ModelProto): EncoderBlock[] {
  const g = model.graph;
  const producer = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const blocks: EncoderBlock[] = [];
  for (const node of g.node) {
    const scaleName = node.input.find((i) => NORM2.test(i));
    const norm = scaleName ? normInput(node, scaleName, producer) : undefined;
    if (!scaleName || !norm) continue;
    const scale = g.initializer.find((t) => t.name === scaleName);
    if (!scale || scale.dims.length !== 1)
      throw new Error(`Layer norm ${node.name}: its scale is not a 1-D initializer`);
    blocks.push({ index: Number(NORM2.exec(scaleName)![1]), norm2: norm.first, hidden: norm.x, width: scale.dims[0]! });
  }
  if (blocks.length === 0)
    throw new Error(
      'No ViT blocks found: expected layer norms (LayerNormalization, or spelled out) whose scale is named "...layers.N.layer_norm2.weight"',
    );
  return blocks.sort((a, b) => a.index - b.index);
}

/** The patch grid and class-token presence, read from a `...position_embedding(.weight)` initializer [T, D]. */
export function inferTokenLayout(model: ModelProto, width: number): { grid: [number, number]; cls: boolean } {
  const pos = model.graph.initializer.find(
    (t) => /position_embedding(\.weight)?$/.test(t.name) && t.dims.at(-1) === width,
  );
  if (!pos)
    throw new Error('Cannot find the position embeddings to infer the patch grid: pass grid and cls explicitly');
  const tokens = pos.dims.at(-2)!;
  for (const cls of [false, true]) {
    const side = Math.round(Math.sqrt(tokens - (cls ? 1 : 0)));
    if (side * side === tokens - (cls ? 1 : 0)) return { grid: [side, side], cls };
  }
  throw new Error(`Position embeddings have ${tokens} tokens, not a square grid: pass grid and cls explicitly`);
}

export interface IasVitOptions {
  /** Base blocks that get cross-attention; default: every block that has fusion weights (all for 'zero'). */
  blocks?: number[];
  /** Patch grid [rows, cols]; with `cls`, inferred from the position embeddings when absent. */
  grid?: [number, number];
  cls?: boolean;
  /** Cross-attention heads; default: fusion metadata `heads`, else width / 64. */
  heads?: number;
  /** Layer-norm epsilon of LN_s and LN_c; default: fusion metadata `ln_eps`, else 1e-6. */
  lnEps?: number;
}

/** Fusion weights that make IAS-ViT equal its base: projections and embeddings zero, norms identity. */
export function zeroFusion(width: number, tokens: number, blocks: number[], cls: boolean): Weights {
  const map = new Map<string, Weight>();
  const put = (name: string, dims: number[], fill = 0) =>
    map.set(name, { data: new Float32Array(dims.reduce((a, c) => a * c, 1)).fill(fill), dims });
  put(fusionNames.saliencyEmbedWeight, [width, 1]);
  put(fusionNames.saliencyEmbedBias, [width]);
  put(fusionNames.saliencyPosition, [tokens, width]);
  if (cls) put(fusionNames.saliencyCls, [width]);
  for (const i of blocks) {
    const n = fusionNames.block(i);
    for (const norm of ['norm_s', 'norm_c']) {
      put(`${n}.${norm}.weight`, [width], 1);
      put(`${n}.${norm}.bias`, [width]);
    }
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      put(`${n}.cross_attn.${proj}.weight`, [width, width]);
      put(`${n}.cross_attn.${proj}.bias`, [width]);
    }
  }
  return new Weights(map);
}

/** Blocks that have fusion weights (their cross-attention q_proj). */
export function fusionBlocks(fusion: Weights): number[] {
  return fusion
    .names()
    .map((n) => /^ias\.blocks\.(\d+)\.cross_attn\.q_proj\.weight$/.exec(n)?.[1])
    .filter((m): m is string => m !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Adds the saliency input and cross-attention to `model` IN PLACE and returns it.
 * Input `saliency` float32 [S, rows, cols]: the saliency map resized to the patch grid,
 * S = 1 (shared by every frame) or the number of frames in the encoder batch.
 */
export function addSaliencyCrossAttention(model: ModelProto, fusion: Weights, opts: IasVitOptions = {}): ModelProto {
  const found = locateBlocks(model);
  const width = found[0]!.width;
  const layout =
    opts.grid && opts.cls !== undefined ? { grid: opts.grid, cls: opts.cls } : inferTokenLayout(model, width);
  const grid = opts.grid ?? layout.grid;
  const cls = opts.cls ?? layout.cls;
  const chosen = opts.blocks ?? fusionBlocks(fusion);
  if (chosen.length === 0)
    throw new Error('The fusion weights have no cross-attention blocks ("ias.blocks.N.cross_attn...")');
  const byIndex = new Map(found.map((blk) => [blk.index, blk]));
  for (const i of chosen)
    if (!byIndex.has(i))
      throw new Error(
        `Block ${i} is not in the base encoder (it has blocks ${found[0]!.index}..${found.at(-1)!.index})`,
      );
  const heads = opts.heads ?? (fusion.metadata.heads ? Number(fusion.metadata.heads) : width / 64);
  if (!Number.isInteger(heads) || heads <= 0 || width % heads !== 0)
    throw new Error(`Cross-attention heads ${heads} do not divide the width ${width}: pass heads`);
  const lnEps = opts.lnEps ?? (fusion.metadata.ln_eps ? Number(fusion.metadata.ln_eps) : 1e-6);

  const b = new GraphBuilder(model);
  const g = model.graph;
  const start = g.node.length;
  const a = saliencyValues(b, grid, cls);
  const tokens = grid[0] * grid[1] + (cls ? 1 : 0);
  const prelude = g.node.splice(start);

  for (const i of chosen) {
    const blk = byIndex.get(i)!;
    const at = g.node.length;
    const q = saliencyQueries(b, fusion, i, a, width, heads, lnEps, tokens, cls);
    const fused = crossAttentionResidual(b, fusion, i, blk.hidden, q, width, heads, lnEps);
    const added = g.node.splice(at);
    for (const node of g.node) node.input = node.input.map((name) => (name === blk.hidden ? fused : name));
    g.node.splice(g.node.indexOf(blk.norm2), 0, ...added);
  }
  g.node.unshift(...prelude);

  const trained = chosen.some((i) => {
    const n = `${fusionNames.block(i)}.cross_attn.out_proj`;
    return fusion.get(`${n}.weight`).data.some((v) => v !== 0) || fusion.get(`${n}.bias`).data.some((v) => v !== 0);
  });
  const meta = model.metadataProps.filter((e) => !e.key.startsWith('aeslens.iasvit.'));
  meta.push(
    { key: FUSION_METADATA_KEY, value: trained ? 'trained' : 'zero' },
    { key: 'aeslens.iasvit.blocks', value: chosen.join(',') },
  );
  model.metadataProps = meta;
  return model;
}

/**
 * The saliency cell values per token, [S, T]: the map's cells, after a 0 for the class slot.
 * Every saliency token is s_t = a_t·w_t + c_t with a_t this value, w_t the embedding column
 * (0 for the class slot) and c_t = bias + position (class token + position for the slot).
 */
function saliencyValues(b: GraphBuilder, grid: [number, number], cls: boolean): string {
  const cells = grid[0] * grid[1];
  const sal = b.input(SALIENCY_INPUT, DataType.FLOAT, ['saliency_frames', grid[0], grid[1]]);
  const a = b.op('Reshape', [sal, b.ints([0, cells])]);
  return cls ? b.op('Pad', [a, b.ints([0, 1, 0, 0])]) : a;
}

/**
 * q = Linear_q(LN_s(s)) / √d in closed form. s_t = a_t·w_t + c_t is affine in one scalar per
 * token, so LN_s(s_t) = (a_t·ŵ_t + ĉ_t) / √(a_t²·mean(ŵ²) + 2a_t·mean(ŵĉ_t) + mean(ĉ_t²) + ε) ⊙ γ + β
 * (ŵ, ĉ centred over the width), and the projection of every piece is a constant:
 *   q_t = (a_t·u + v_t) / √(a_t²·A2 + a_t·A1_t + A0_t) + z
 * Exact algebra (tested against the literal forward); the D×D query MatMul per block becomes a few
 * elementwise ops on [S, T, D]. The class slot has w = 0, so the a-terms vanish there by themselves.
 */
function saliencyQueries(
  b: GraphBuilder,
  f: Weights,
  i: number,
  a: string,
  width: number,
  heads: number,
  lnEps: number,
  tokens: number,
  cls: boolean,
): string {
  const n = fusionNames.block(i);
  const D = width;
  const scale = 1 / Math.sqrt(D / heads);
  const gamma = f.get(`${n}.norm_s.weight`, [D]).data;
  const beta = f.get(`${n}.norm_s.bias`, [D]).data;
  const wq = f.get(`${n}.cross_attn.q_proj.weight`, [D, D]).data;
  const bq = f.get(`${n}.cross_attn.q_proj.bias`, [D]).data;
  const embed = f.get(fusionNames.saliencyEmbedWeight, [D, 1]).data;
  const embedBias = f.get(fusionNames.saliencyEmbedBias, [D]).data;
  const pos = f.get(fusionNames.saliencyPosition, [tokens, D]).data;
  const clsToken = cls ? f.get(fusionNames.saliencyCls, [D]).data : undefined;

  const centred = (x: Float64Array) => {
    const mean = x.reduce((acc, val) => acc + val, 0) / D;
    return x.map((val) => val - mean);
  };
  /** k·(Wq·x + bias), in float64: D² work, done only for the per-block vectors u and z. */
  const project = (x: Float64Array, bias?: Float32Array) => {
    const out = new Float32Array(D);
    for (let o = 0; o < D; o++) {
      let acc = bias ? bias[o]! : 0;
      for (let j = 0; j < D; j++) acc += wq[o * D + j]! * x[j]!;
      out[o] = acc * scale;
    }
    return out;
  };
  const wHat = centred(Float64Array.from(embed));
  const u = project(wHat.map((val, j) => val * gamma[j]!));
  const z = project(Float64Array.from(beta), bq);
  const A2 = wHat.reduce((acc, val) => acc + val * val, 0) / D;
  // The per-token rows k·(γ ⊙ ĉ_t) go into the graph as a constant times Wqᵀ, a constant MatMul that
  // onnxruntime folds once at session creation (T·D² work, too slow for JavaScript at ViT-B size).
  const gc = new Float32Array(tokens * D);
  const A1 = new Float32Array(tokens);
  const A0 = new Float32Array(tokens);
  for (let t = 0; t < tokens; t++) {
    const c = new Float64Array(D);
    for (let j = 0; j < D; j++) c[j] = pos[t * D + j]! + (cls && t === 0 ? clsToken![j]! : embedBias[j]!);
    const cHat = centred(c);
    let cross = 0;
    let sq = 0;
    for (let j = 0; j < D; j++) {
      gc[t * D + j] = gamma[j]! * cHat[j]! * scale;
      cross += (cls && t === 0 ? 0 : wHat[j]!) * cHat[j]!;
      sq += cHat[j]! * cHat[j]!;
    }
    A1[t] = (2 * cross) / D;
    A0[t] = sq / D + lnEps;
  }
  const v = b.op('MatMul', [
    namedConstant(b, `${n}.query.centred_tokens`, gc, [tokens, D]),
    namedConstant(b, `${n}.cross_attn.q_proj.weight.T`, transpose2d({ data: wq, dims: [D, D] }), [D, D]),
  ]);

  const aCol = b.op('Unsqueeze', [a, b.ints([2])]); // [S, T, 1]
  const num = b.op('Add', [b.op('Mul', [aCol, namedConstant(b, `${n}.query.u`, u, [D])]), v]);
  const quad = b.op('Mul', [
    aCol,
    b.op('Add', [b.op('Mul', [aCol, b.scalar(A2)]), namedConstant(b, `${n}.query.a1`, A1, [tokens, 1])]),
  ]);
  const den = b.op('Sqrt', [b.op('Add', [quad, namedConstant(b, `${n}.query.a0`, A0, [tokens, 1])])]);
  const q = b.op('Add', [b.op('Div', [num, den]), namedConstant(b, `${n}.query.z`, z, [D])]);
  return splitHeads(b, q, 1, heads, D / heads)[0]!;
}

/** x + out_proj(attention(q from the saliency, k = v = LN_c(x))). */
function crossAttentionResidual(
  b: GraphBuilder,
  f: Weights,
  i: number,
  x: string,
  q: string,
  width: number,
  heads: number,
  lnEps: number,
): string {
  const n = fusionNames.block(i);
  const vec = (name: string) => f.get(`${n}.${name}`, [width]);
  const mat = (name: string) => f.get(`${n}.${name}`, [width, width]);
  const kvIn = layerNorm(b, x, `${n}.norm_c`, vec('norm_c.weight'), vec('norm_c.bias'), lnEps);
  const kv = stackLinear([
    { weight: mat('cross_attn.k_proj.weight'), bias: vec('cross_attn.k_proj.bias') },
    { weight: mat('cross_attn.v_proj.weight'), bias: vec('cross_attn.v_proj.bias') },
  ]);
  const [k, v] = splitHeads(
    b,
    linear(b, kvIn, `${n}.cross_attn.kv_proj`, kv.weight, kv.bias),
    2,
    heads,
    width / heads,
  ) as [string, string];
  const merged = attendHeads(b, q, k, v, width);
  return b.op('Add', [
    x,
    linear(b, merged, `${n}.cross_attn.out_proj`, mat('cross_attn.out_proj.weight'), vec('cross_attn.out_proj.bias')),
  ]);
}

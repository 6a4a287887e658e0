// A ViT / CLIP / SigLIP-style vision tower as an ONNX graph, built from named weights
// (HF transformers state-dict names, see README.md).
import { GraphBuilder } from '../onnx/builder.ts';
import { DataType, type ModelProto } from '../onnx/modelProto.ts';
import { activation, attention, layerNorm, linear, type Activation } from './layers.ts';
import type { Weights } from './weights.ts';

export interface VitConfig {
  /** Name prefix of the tower's weights, e.g. 'vision_model.' (HF CLIP) or 'model.vision_model.' (Idefics3). */
  prefix: string;
  hidden: number;
  heads: number;
  layers: number;
  mlp: number;
  patch: number;
  channels: number;
  /** Patch grid side: the input is (grid·patch)² pixels. */
  grid: number;
  /** A class token is prepended (CLIP); absent for SigLIP. */
  cls: boolean;
  activation: Activation;
  lnEps: number;
  /** CLIP's `pre_layrnorm` after the embeddings. */
  preNorm: boolean;
  /** 'tokens': post-LN on every token (SigLIP); 'cls': on the class token only, as `pooler_output` (CLIP). */
  postNorm: 'tokens' | 'cls' | 'none';
  /** Name of a [P, D] projection applied to the pooled output (CLIP `visual_projection.weight`), if any. */
  projection?: string;
}

export type VitOptions = Partial<VitConfig> & Pick<VitConfig, 'heads'>;

/** Infers the architecture from weight shapes; `heads` (not inferable) and overrides come from `opts`. */
export function inferVitConfig(w: Weights, opts: VitOptions): VitConfig {
  const prefix =
    opts.prefix ??
    ['vision_model.', 'model.vision_model.', ''].find((p) => w.has(`${p}embeddings.patch_embedding.weight`));
  if (prefix === undefined)
    throw new Error('No ViT weights found: expected "<prefix>embeddings.patch_embedding.weight"');
  const patchW = w.get(`${prefix}embeddings.patch_embedding.weight`, [-1, -1, -1, -1]);
  const [hidden, channels, patch] = patchW.dims as [number, number, number];
  const pos = w.get(`${prefix}embeddings.position_embedding.weight`, [-1, hidden]).dims[0]!;
  const cls = w.has(`${prefix}embeddings.class_embedding`);
  const grid = Math.round(Math.sqrt(pos - (cls ? 1 : 0)));
  if (grid * grid !== pos - (cls ? 1 : 0)) throw new Error(`Position embeddings (${pos}) are not a square patch grid`);
  let layers = 0;
  while (w.has(`${prefix}encoder.layers.${layers}.layer_norm1.weight`)) layers++;
  if (layers === 0) throw new Error(`No encoder layers under "${prefix}encoder.layers.N"`);
  const mlp = w.get(`${prefix}encoder.layers.0.mlp.fc1.weight`, [-1, hidden]).dims[0]!;
  const projection = w.has('visual_projection.weight') ? 'visual_projection.weight' : undefined;
  return {
    prefix,
    hidden,
    layers,
    mlp,
    patch,
    channels,
    grid,
    cls,
    activation: 'gelu',
    lnEps: cls ? 1e-5 : 1e-6,
    preNorm: w.has(`${prefix}pre_layrnorm.weight`),
    postNorm: w.has(`${prefix}post_layernorm.weight`) ? (cls ? 'cls' : 'tokens') : 'none',
    projection,
    ...opts,
  };
}

/** Token count of the encoder sequence. */
export const vitTokens = (c: VitConfig) => c.grid * c.grid + (c.cls ? 1 : 0);

/**
 * Builds the tower: input `pixel_values` [batch, C, grid·patch, grid·patch]; outputs
 * `last_hidden_state` [batch, T, D], plus `pooler_output` when postNorm is 'cls' and
 * `image_embeds` with a projection. The encoder's block b has its second layer norm's
 * scale named `<prefix>encoder.layers.b.layer_norm2.weight` (IAS-ViT locates blocks by it).
 */
export function buildVit(w: Weights, c: VitConfig): ModelProto {
  const b = new GraphBuilder(undefined, { name: 'vit' });
  const p = c.prefix;
  const D = c.hidden;
  const size = c.grid * c.patch;
  const pixels = b.input('pixel_values', DataType.FLOAT, ['batch', c.channels, size, size]);
  const x = vitEncoder(b, w, c, pixels);
  b.op('Identity', [x], {}, { output: 'last_hidden_state' });
  b.output('last_hidden_state', DataType.FLOAT, ['batch', vitTokens(c), D]);
  if (c.postNorm === 'cls') {
    const first = b.op('Gather', [x, b.scalar(0, DataType.INT64)], { axis: 1 });
    const pooled = layerNorm(
      b,
      first,
      `${p}post_layernorm`,
      w.get(`${p}post_layernorm.weight`, [D]),
      w.get(`${p}post_layernorm.bias`, [D]),
      c.lnEps,
    );
    b.op('Identity', [pooled], {}, { output: 'pooler_output' });
    b.output('pooler_output', DataType.FLOAT, ['batch', D]);
    if (c.projection) {
      const proj = w.get(c.projection, [-1, D]);
      b.op(
        'Identity',
        [linear(b, pooled, c.projection.replace(/\.weight$/, ''), proj)],
        {},
        { output: 'image_embeds' },
      );
      b.output('image_embeds', DataType.FLOAT, ['batch', proj.dims[0]!]);
    }
  }
  return b.toModel();
}

/**
 * Embeddings + blocks (+ post-LN on every token when postNorm is 'tokens') on `pixels`
 * [F, C, H, W]; returns the hidden states [F, T, D]. `attentionBias`, if given, is added
 * to every self-attention's scores (e.g. -∞-like values on padded patches).
 */
export function vitEncoder(b: GraphBuilder, w: Weights, c: VitConfig, pixels: string, attentionBias?: string): string {
  const p = c.prefix;
  const D = c.hidden;
  const conv = w.get(`${p}embeddings.patch_embedding.weight`, [D, c.channels, c.patch, c.patch]);
  const convBias = w.optional(`${p}embeddings.patch_embedding.bias`, [D]);
  const convInputs = [pixels, b.constant(conv.data, conv.dims, { name: `${p}embeddings.patch_embedding.weight` })];
  if (convBias) convInputs.push(b.constant(convBias.data, [D], { name: `${p}embeddings.patch_embedding.bias` }));
  const patches = b.op('Conv', convInputs, { kernel_shape: [c.patch, c.patch], strides: [c.patch, c.patch] });
  let x = b.op('Transpose', [b.op('Reshape', [patches, b.ints([0, D, -1])])], { perm: [0, 2, 1] });
  if (c.cls) {
    const token = w.get(`${p}embeddings.class_embedding`, [D]);
    const batch = b.op('Slice', [b.op('Shape', [x]), b.ints([0]), b.ints([1])]);
    const shape = b.op('Concat', [batch, b.ints([1, D])], { axis: 0 });
    const clsTokens = b.op('Expand', [
      b.constant(token.data, [1, 1, D], { name: `${p}embeddings.class_embedding` }),
      shape,
    ]);
    x = b.op('Concat', [clsTokens, x], { axis: 1 });
  }
  const pos = w.get(`${p}embeddings.position_embedding.weight`, [vitTokens(c), D]);
  x = b.op('Add', [x, b.constant(pos.data, pos.dims, { name: `${p}embeddings.position_embedding.weight` })]);
  if (c.preNorm)
    x = layerNorm(b, x, `${p}pre_layrnorm`, w.get(`${p}pre_layrnorm.weight`), w.get(`${p}pre_layrnorm.bias`), c.lnEps);
  for (let i = 0; i < c.layers; i++) x = vitBlock(b, w, c, i, x, attentionBias);
  if (c.postNorm === 'tokens')
    x = layerNorm(
      b,
      x,
      `${p}post_layernorm`,
      w.get(`${p}post_layernorm.weight`, [D]),
      w.get(`${p}post_layernorm.bias`, [D]),
      c.lnEps,
    );
  return x;
}

function vitBlock(b: GraphBuilder, w: Weights, c: VitConfig, i: number, x: string, attentionBias?: string): string {
  const n = `${c.prefix}encoder.layers.${i}`;
  const D = c.hidden;
  const vec = (name: string, size = D) => w.get(`${n}.${name}`, [size]);
  const mat = (name: string, rows = D, cols = D) => w.get(`${n}.${name}`, [rows, cols]);
  const h1 = layerNorm(b, x, `${n}.layer_norm1`, vec('layer_norm1.weight'), vec('layer_norm1.bias'), c.lnEps);
  const attn = attention(
    b,
    h1,
    h1,
    `${n}.self_attn`,
    {
      q: mat('self_attn.q_proj.weight'),
      qBias: vec('self_attn.q_proj.bias'),
      k: mat('self_attn.k_proj.weight'),
      kBias: vec('self_attn.k_proj.bias'),
      v: mat('self_attn.v_proj.weight'),
      vBias: vec('self_attn.v_proj.bias'),
      out: mat('self_attn.out_proj.weight'),
      outBias: vec('self_attn.out_proj.bias'),
    },
    c.heads,
    attentionBias,
  );
  x = b.op('Add', [x, attn]);
  const h2 = layerNorm(b, x, `${n}.layer_norm2`, vec('layer_norm2.weight'), vec('layer_norm2.bias'), c.lnEps);
  const up = activation(
    b,
    linear(b, h2, `${n}.mlp.fc1`, mat('mlp.fc1.weight', c.mlp), vec('mlp.fc1.bias', c.mlp)),
    c.activation,
  );
  return b.op('Add', [x, linear(b, up, `${n}.mlp.fc2`, mat('mlp.fc2.weight', D, c.mlp), vec('mlp.fc2.bias'))]);
}

// One entry point from file bytes to an IAS-ViT encoder: the base is an ONNX vision encoder
// (extended in place, its inputs and outputs kept) or safetensors weights (a ViT/CLIP/SigLIP
// tower, or an Idefics3/SmolVLM vision_encoder when the connector weight is present).
import type { ModelProto } from '../onnx/modelProto.ts';
import { decodeModel } from '../onnx/decodeModel.ts';
import { encodeModel } from '../onnx/encodeModel.ts';
import { upgradeOpset } from '../onnx/opset.ts';
import {
  addSaliencyCrossAttention,
  FUSION_METADATA_KEY,
  inferTokenLayout,
  locateBlocks,
  zeroFusion,
  fusionBlocks,
  type IasVitOptions,
} from './saliencyCrossAttention.ts';
import { buildIdefics3VisionEncoder, IDEFICS3_CONNECTOR } from './idefics3.ts';
import type { Activation } from './layers.ts';
import { buildVit, inferVitConfig } from './vit.ts';
import { weightsFromSafetensors, type Weights } from './weights.ts';

/** safetensors files start with an 8-byte header length that fits the file, then the JSON header's '{'. */
export function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  return headerLength >= 2n && headerLength <= BigInt(bytes.length - 8);
}

export interface BaseTowerOptions {
  /** Self-attention heads of a safetensors tower (not recorded in the weights); default width / 64. */
  heads?: number;
  activation?: Activation;
}

/** The base encoder graph from ONNX bytes or safetensors weights. */
export function loadBaseEncoder(bytes: Uint8Array, opts: BaseTowerOptions = {}): ModelProto {
  if (!isSafetensors(bytes)) return upgradeOpset(decodeModel(bytes));
  const w = weightsFromSafetensors(bytes);
  const width = inferVitConfig(w, { heads: 1 }).hidden;
  const heads = opts.heads ?? width / 64;
  if (!Number.isInteger(heads)) throw new Error(`Width ${width} is not a multiple of 64: give the number of heads`);
  const connector = w.has(IDEFICS3_CONNECTOR);
  const c = inferVitConfig(w, { heads, activation: opts.activation ?? (connector ? 'gelu_tanh' : 'gelu') });
  if (!connector) return buildVit(w, c);
  const scaleFactor = Math.round(Math.sqrt(w.get(IDEFICS3_CONNECTOR).dims[1]! / c.hidden));
  return buildIdefics3VisionEncoder(w, c, { scaleFactor });
}

export interface IasVitBuild {
  bytes: Uint8Array;
  /** 'trained' only when some cross-attention output projection is non-zero. */
  fusion: 'trained' | 'zero';
  blocks: number[];
  baseBlocks: number;
}

export interface IasVitBuildOptions {
  /** How to build a tower from safetensors weights (ignored for an ONNX base). */
  tower?: BaseTowerOptions;
  /** Blocks with cross-attention; default: the fusion file's blocks, or all for 'zero'. */
  select?: BlockSelection;
  /** Cross-attention heads; default: fusion metadata `heads`, else width / 64. */
  crossHeads?: number;
  /** Patch grid and class token, when they cannot be inferred from the position embeddings. */
  grid?: [number, number];
  cls?: boolean;
  /** LN_s / LN_c epsilon; default: fusion metadata `ln_eps`, else 1e-6. */
  lnEps?: number;
}

/** Which base blocks get cross-attention: 'all', the first N, or explicit indices. */
export type BlockSelection = 'all' | number | number[];

function selectBlocks(available: number[], sel: BlockSelection): number[] {
  if (sel === 'all') return available;
  if (typeof sel === 'number') {
    if (!Number.isInteger(sel) || sel < 1 || sel > available.length)
      throw new Error(`--blocks ${sel}: the base encoder has ${available.length} blocks`);
    return available.slice(0, sel);
  }
  return sel;
}

/**
 * Builds the IAS-ViT encoder. `fusion` is safetensors bytes of trained fusion weights
 * (README.md names) or 'zero' (output projections zero: identical to the base, never
 * saliency-enhanced). `blocks` defaults to the fusion file's blocks, or every block for 'zero'.
 */
export function buildIasVitEncoder(
  base: Uint8Array,
  fusion: Uint8Array | 'zero',
  opts: IasVitBuildOptions = {},
): IasVitBuild {
  const { tower, select, crossHeads, ...layout } = opts;
  const model = loadBaseEncoder(base, tower);
  const ias: IasVitOptions = { ...layout, heads: crossHeads };
  const found = locateBlocks(model).map((b) => b.index);
  let weights: Weights;
  let blocks: number[];
  if (fusion === 'zero') {
    blocks = selectBlocks(found, select ?? 'all');
    const width = locateBlocks(model)[0]!.width;
    const tokensLayout =
      ias.grid && ias.cls !== undefined ? { grid: ias.grid, cls: ias.cls } : inferTokenLayout(model, width);
    const tokens = tokensLayout.grid[0] * tokensLayout.grid[1] + (tokensLayout.cls ? 1 : 0);
    weights = zeroFusion(width, tokens, blocks, tokensLayout.cls);
    // Zero fusion computes nothing that matters: any head count that divides the width will do.
    ias.heads ??= tower?.heads ?? (width % 64 === 0 ? width / 64 : 1);
  } else {
    weights = weightsFromSafetensors(fusion);
    const present = fusionBlocks(weights);
    blocks = select === undefined ? present : selectBlocks(present, select);
    const missing = blocks.filter((i) => !present.includes(i));
    if (missing.length)
      throw new Error(`The fusion weights have no cross-attention for block(s) ${missing.join(', ')}`);
  }
  addSaliencyCrossAttention(model, weights, { ...ias, blocks });
  const kind = model.metadataProps.find((e) => e.key === FUSION_METADATA_KEY)!.value as 'trained' | 'zero';
  return { bytes: encodeModel(model), fusion: kind, blocks, baseBlocks: found.length };
}

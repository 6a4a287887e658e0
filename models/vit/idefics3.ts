// The vision_encoder session of an Idefics3 / SmolVLM transformers.js export, built from
// HF weights: SigLIP tower → pixel shuffle → modality projection. Inputs and output keep the
// export's names, so the result drops into a SmolVLM-layout pack (and IAS-ViT can extend it).
import { GraphBuilder } from '../onnx/builder.ts';
import { DataType, type ModelProto } from '../onnx/modelProto.ts';
import { linear } from './layers.ts';
import { vitEncoder, type VitConfig } from './vit.ts';
import type { Weights } from './weights.ts';

export const IDEFICS3_CONNECTOR = 'model.connector.modality_projection.proj.weight';

export interface Idefics3VisionOptions {
  /** Pixel-shuffle factor (HF `scale_factor`; 4 for SmolVLM-256M: 32×32 patches → 64 tokens). */
  scaleFactor: number;
}

/**
 * pixel_values [B, N, C, S, S] float32 + pixel_attention_mask [B, N, S, S] bool →
 * image_features [B·N, (grid/r)², text hidden]. Patches whose pixels are all masked are
 * excluded as attention keys, as in HF (position ids are the plain grid: full frames only,
 * as with `do_image_splitting: false` and 512² frames).
 */
export function buildIdefics3VisionEncoder(w: Weights, c: VitConfig, opts: Idefics3VisionOptions): ModelProto {
  const r = opts.scaleFactor;
  if (c.cls) throw new Error('Idefics3 vision towers have no class token');
  if (c.grid % r !== 0) throw new Error(`Patch grid ${c.grid} is not divisible by the scale factor ${r}`);
  const D = c.hidden;
  const S = c.grid * c.patch;
  const T = c.grid * c.grid;
  const b = new GraphBuilder(undefined, { name: 'vision_encoder' });
  const px = b.input('pixel_values', DataType.FLOAT, ['batch_size', 'num_images', c.channels, S, S]);
  const mask = b.input('pixel_attention_mask', DataType.BOOL, ['batch_size', 'num_images', S, S]);
  const frames = b.op('Reshape', [px, b.ints([-1, c.channels, S, S])]);

  // A patch is a valid key if any of its pixels is unmasked: 0 there, a large negative bias elsewhere.
  const maskF = b.op('Reshape', [b.op('Cast', [mask], { to: DataType.FLOAT }), b.ints([-1, 1, S, S])]);
  const valid = b.op('MaxPool', [maskF], { kernel_shape: [c.patch, c.patch], strides: [c.patch, c.patch] });
  const keys = b.op('Reshape', [valid, b.ints([-1, 1, 1, T])]);
  const bias = b.op('Mul', [b.op('Sub', [keys, b.scalar(1)]), b.scalar(1e9)]);

  const x = vitEncoder(b, w, c, frames, bias);

  // HF Idefics3Connector.pixel_shuffle: token (i'·r + a, j'·r + b) of the grid lands in
  // output token (i', j') at channels [(a·r + b)·D, (a·r + b + 1)·D).
  const g = c.grid;
  const wide = b.op('Transpose', [b.op('Reshape', [x, b.ints([0, g, g / r, D * r])])], { perm: [0, 2, 1, 3] });
  const shuffled = b.op('Transpose', [b.op('Reshape', [wide, b.ints([0, g / r, g / r, D * r * r])])], {
    perm: [0, 2, 1, 3],
  });
  const flat = b.op('Reshape', [shuffled, b.ints([0, (g / r) * (g / r), D * r * r])]);
  const proj = w.get(IDEFICS3_CONNECTOR, [-1, D * r * r]);
  b.op(
    'Identity',
    [linear(b, flat, 'model.connector.modality_projection.proj', proj)],
    {},
    { output: 'image_features' },
  );
  b.output('image_features', DataType.FLOAT, ['batch_size_x_num_images', (g / r) * (g / r), proj.dims[0]!]);
  return b.toModel();
}

// Seeded random ViT and fusion weights with HF names: for tests, benchmarks and fixtures.
import { mulberry32 } from '../random/mulberry32.ts';
import { fusionNames } from './saliencyCrossAttention.ts';
import { IDEFICS3_CONNECTOR } from './idefics3.ts';
import type { VitConfig } from './vit.ts';
import { Weights, type Weight } from './weights.ts';

class Filler {
  readonly map = new Map<string, Weight>();
  constructor(private readonly rand: () => number) {}

  /** Uniform in [center - scale, center + scale]. */
  put(name: string, dims: number[], scale: number, center = 0): void {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = center + (2 * this.rand() - 1) * scale;
    this.map.set(name, { data, dims });
  }

  linear(name: string, out: number, inp: number): void {
    this.put(`${name}.weight`, [out, inp], 1 / Math.sqrt(inp));
    this.put(`${name}.bias`, [out], 0.02);
  }

  norm(name: string, width: number): void {
    this.put(`${name}.weight`, [width], 0.1, 1);
    this.put(`${name}.bias`, [width], 0.05);
  }
}

/** Random weights for `c`, scaled so activations stay O(1) through the blocks. */
export function randomVitWeights(c: VitConfig, seed: number): Weights {
  const f = new Filler(mulberry32(seed));
  const p = c.prefix;
  const D = c.hidden;
  f.put(
    `${p}embeddings.patch_embedding.weight`,
    [D, c.channels, c.patch, c.patch],
    1 / Math.sqrt(c.channels * c.patch * c.patch),
  );
  f.put(`${p}embeddings.patch_embedding.bias`, [D], 0.02);
  if (c.cls) f.put(`${p}embeddings.class_embedding`, [D], 0.5);
  f.put(`${p}embeddings.position_embedding.weight`, [c.grid * c.grid + (c.cls ? 1 : 0), D], 0.5);
  if (c.preNorm) f.norm(`${p}pre_layrnorm`, D);
  for (let l = 0; l < c.layers; l++) {
    const n = `${p}encoder.layers.${l}`;
    f.norm(`${n}.layer_norm1`, D);
    f.norm(`${n}.layer_norm2`, D);
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) f.linear(`${n}.self_attn.${proj}`, D, D);
    f.linear(`${n}.mlp.fc1`, c.mlp, D);
    f.linear(`${n}.mlp.fc2`, D, c.mlp);
  }
  if (c.postNorm !== 'none') f.norm(`${p}post_layernorm`, D);
  if (c.projection) f.put(c.projection, [D, D], 1 / Math.sqrt(D));
  return new Weights(f.map);
}

/** Random (non-zero) IAS-ViT fusion weights for the given blocks. */
export function randomFusion(
  width: number,
  grid: number,
  cls: boolean,
  blocks: number[],
  seed: number,
  heads: number,
): Weights {
  const f = new Filler(mulberry32(seed));
  f.put(fusionNames.saliencyEmbedWeight, [width, 1], 1);
  f.put(fusionNames.saliencyEmbedBias, [width], 0.1);
  f.put(fusionNames.saliencyPosition, [grid * grid + (cls ? 1 : 0), width], 0.5);
  if (cls) f.put(fusionNames.saliencyCls, [width], 0.5);
  for (const i of blocks) {
    const n = fusionNames.block(i);
    f.norm(`${n}.norm_s`, width);
    f.norm(`${n}.norm_c`, width);
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) f.linear(`${n}.cross_attn.${proj}`, width, width);
  }
  return new Weights(f.map, { heads: String(heads) });
}

/** Random Idefics3 / SmolVLM vision weights: the tower plus the pixel-shuffle connector. */
export function randomIdefics3Weights(c: VitConfig, scaleFactor: number, textHidden: number, seed: number): Weights {
  const tower = randomVitWeights(c, seed);
  const f = new Filler(mulberry32(seed + 1));
  for (const name of tower.names()) f.map.set(name, tower.get(name));
  const inp = c.hidden * scaleFactor * scaleFactor;
  f.put(IDEFICS3_CONNECTOR, [textHidden, inp], 1 / Math.sqrt(inp));
  return new Weights(f.map);
}

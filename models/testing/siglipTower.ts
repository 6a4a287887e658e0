// The small SigLIP-style (Idefics3 / SmolVLM) vision tower that tests and benchmarks build at several
// widths: 32×32 frames as a 4×4 grid of 8-px patches, no class token, layer norm on every output token.
import type { VitConfig } from '../vit/vit.ts';

export function testSiglipTower(sizes: Pick<VitConfig, 'hidden' | 'heads' | 'layers' | 'mlp'>): VitConfig {
  return {
    prefix: 'model.vision_model.',
    ...sizes,
    patch: 8,
    channels: 3,
    grid: 4,
    cls: false,
    activation: 'gelu_tanh',
    lnEps: 1e-6,
    preNorm: false,
    postNorm: 'tokens',
  };
}

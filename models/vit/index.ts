// Public surface of models/vit (see README.md). random.ts (seeded weights) is imported directly.
export * from './weights.ts';
export * from './vit.ts';
export * from './idefics3.ts';
export * from './saliencyCrossAttention.ts';
export * from './build.ts';
export * from './pack.ts';
export * from './quantize.ts';
export type { Activation } from './layers.ts';

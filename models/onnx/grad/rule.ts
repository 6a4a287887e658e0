import type { NodeProto } from '../modelProto.ts';
import type { GradEmitter } from './emitter.ts';

/**
 * A vector-Jacobian product: given the gradients of the node's outputs (undefined = zero or
 * not needed), returns the gradient for each input (undefined where `need[k]` is false).
 */
export type GradRule = (
  e: GradEmitter,
  node: NodeProto,
  gy: (string | undefined)[],
  need: boolean[],
) => (string | undefined)[];

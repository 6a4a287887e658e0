// Every shape rule inference knows, keyed by op type; ops without one get unknown outputs.
import { CONSTANT_SHAPES } from './constant.ts';
import { ELEMENTWISE_SHAPES } from './elementwise.ts';
import type { ShapeRule } from './info.ts';
import { LINALG_SHAPES } from './linalg.ts';
import { REDUCE_SHAPES } from './reduce.ts';
import { RESHAPE_SHAPES } from './reshape.ts';

export const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...ELEMENTWISE_SHAPES,
  ...REDUCE_SHAPES,
  ...LINALG_SHAPES,
  ...RESHAPE_SHAPES,
  ...CONSTANT_SHAPES,
};

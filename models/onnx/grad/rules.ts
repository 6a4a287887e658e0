// Every vector-Jacobian product the autodiff knows, keyed by op type ("domain.OpType" outside the default domain).
import { ELEMENTWISE_RULES } from './elementwise.ts';
import { LINALG_RULES } from './linalg.ts';
import { NORMALIZE_RULES } from './normalize.ts';
import { RESHAPE_RULES } from './reshape.ts';
import type { GradRule } from './rule.ts';
import { SPATIAL_RULES } from './spatial.ts';

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  ...ELEMENTWISE_RULES,
  ...LINALG_RULES,
  ...NORMALIZE_RULES,
  ...RESHAPE_RULES,
  ...SPATIAL_RULES,
};

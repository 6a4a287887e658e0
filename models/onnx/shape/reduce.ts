// Shape rules of reductions, with `axes` as an attribute or (ReduceSum from opset 13, the rest
// from 18) as an input.
import { attrInt, attrInts } from '../attrs.ts';
import { productOf } from '../dims.ts';
import { DataType, type Dim } from '../modelProto.ts';
import { normAxis, numeric, ruleFor, type ShapeRule } from './info.ts';

const REDUCE_OPS = [
  'ReduceMean',
  'ReduceSum',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceSumSquare',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ArgMax',
  'ArgMin',
];

/** Whether the op takes `axes` as its second input at `opset` (before that: an attribute). */
export function reduceAxesFromInput(op: string, opset: number): boolean {
  return op === 'ReduceSum' ? opset >= 13 : opset >= 18;
}

const reduce: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  const op = n.opType;
  const t0 = x.elemType;
  const keep = attrInt(n, 'keepdims', 1) === 1;
  const isArg = op.startsWith('Arg');
  const axesFromInput = !isArg && reduceAxesFromInput(op, opset);
  let axes = isArg ? [attrInt(n, 'axis', 0)] : axesFromInput ? numeric(ins[1]?.value) : attrInts(n, 'axes');
  const axesGiven = isArg || (axesFromInput ? Boolean(n.input[1]) : attrInts(n, 'axes') !== undefined);
  if (axesGiven && !axes) return [{ elemType: t0 }];
  if (!x.shape) return [{ elemType: isArg ? DataType.INT64 : t0 }];
  const r = x.shape.length;
  if (!axesGiven || axes!.length === 0) {
    if (attrInt(n, 'noop_with_empty_axes', 0) === 1) return [{ elemType: t0, shape: x.shape, value: x.value }];
    axes = x.shape.map((_, i) => i);
  }
  const set = new Set(axes!.map((a) => normAxis(a, r)));
  const shape = keep ? x.shape.map((d, i) => (set.has(i) ? 1 : d)) : x.shape.filter((_, i) => !set.has(i));
  let value: Dim[] | undefined;
  if (op === 'ReduceProd' && x.value && r === 1 && !keep) value = [productOf(x.value)];
  return [{ elemType: isArg ? DataType.INT64 : t0, shape, value }];
};

export const REDUCE_SHAPES: Record<string, ShapeRule> = ruleFor(REDUCE_OPS, reduce);

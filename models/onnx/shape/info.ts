// What shape inference knows about a tensor, and the helpers every per-op rule shares.
import type { DataTypeCode, Dim, NodeProto, TensorProto } from '../modelProto.ts';
import { DataType } from '../modelProto.ts';
import { isStatic } from '../dims.ts';
import { numel, tensorToArray, type ExternalDataResolver } from '../tensor.ts';

export interface TensorInfo {
  elemType?: DataTypeCode;
  /** undefined = unknown rank; string dims are symbolic. */
  shape?: Dim[];
  /** Values of a small integer (or scalar) tensor, flattened; strings are symbolic. */
  value?: Dim[];
}

/** Infers the outputs of one node from what is known of its inputs, under the model's opset. */
export type ShapeRule = (n: NodeProto, ins: TensorInfo[], opset: number) => TensorInfo[];

/** The same rule for each of `ops`. */
export function ruleFor(ops: readonly string[], rule: ShapeRule): Record<string, ShapeRule> {
  return Object.fromEntries(ops.map((op) => [op, rule]));
}

/** Tensors up to this many elements have their values tracked. */
export const MAX_VALUE_ELEMENTS = 64;

export const INT_TYPES = new Set<number>([
  DataType.INT64,
  DataType.INT32,
  DataType.INT16,
  DataType.INT8,
  DataType.UINT8,
  DataType.UINT16,
  DataType.UINT32,
  DataType.UINT64,
  DataType.BOOL,
]);

export function initializerInfo(t: TensorProto, external?: ExternalDataResolver): TensorInfo {
  const info: TensorInfo = { elemType: t.dataType, shape: [...t.dims] };
  const n = numel(t.dims);
  const small = n <= MAX_VALUE_ELEMENTS && (INT_TYPES.has(t.dataType) || n === 1);
  const readable = !t.externalData || external;
  if (small && readable && t.dataType !== DataType.FLOAT16 && t.dataType !== DataType.BFLOAT16)
    info.value = Array.from(tensorToArray(t, external) as ArrayLike<number | bigint>, Number);
  return info;
}

/** The values when all are known numbers. */
export function numeric(v: Dim[] | undefined): number[] | undefined {
  return v && v.every((d) => typeof d === 'number') ? (v as number[]) : undefined;
}

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Static start and count of a Slice along one axis, or undefined if the dim is symbolic. */
export function sliceRange(
  dim: Dim,
  start: number,
  end: number,
  step: number,
): { start: number; count: number } | undefined {
  if (!isStatic(dim)) {
    // Slicing a symbolic dim is only static when both ends are counted from the start.
    if (step === 1 && start >= 0 && end >= 0 && end < 2 ** 31) return { start, count: Math.max(end - start, 0) };
    return undefined;
  }
  const clampIdx = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
  if (step > 0) {
    const s = clampIdx(start, 0, dim);
    const e = clampIdx(end, 0, dim);
    return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  const s = clampIdx(start, -1, dim - 1);
  const e = clampIdx(end, -1, dim - 1);
  return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
}

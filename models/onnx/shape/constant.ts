// Shape rules of ops that make tensors from attributes or shapes (Constant, Shape, Range, …),
// change types, resize, or select (TopK).
import { attrInt } from '../attrs.ts';
import { freshDim, isStatic, productOf } from '../dims.ts';
import { DataType, type Dim } from '../modelProto.ts';
import { numel } from '../tensor.ts';
import { INT_TYPES, MAX_VALUE_ELEMENTS, initializerInfo, normAxis, numeric, type ShapeRule } from './info.ts';

const constant: ShapeRule = (n) => {
  const a = n.attribute[0];
  if (!a) throw new Error('Constant without a value');
  const v = a.attr;
  if (v.type === 'tensor') return [initializerInfo(v.value)];
  if (a.name === 'value_int') return [{ elemType: DataType.INT64, shape: [], value: [v.value as number] }];
  if (a.name === 'value_ints' && v.type === 'ints')
    return [{ elemType: DataType.INT64, shape: [v.value.length], value: v.value }];
  if (a.name === 'value_float') return [{ elemType: DataType.FLOAT, shape: [], value: [v.value as number] }];
  if (a.name === 'value_floats' && v.type === 'floats') return [{ elemType: DataType.FLOAT, shape: [v.value.length] }];
  return [{}];
};

const shapeOf: ShapeRule = (n, [x = {}]) => {
  if (!x.shape) return [{ elemType: DataType.INT64 }];
  const r = x.shape.length;
  const clamp = (v: number) => Math.min(r, Math.max(0, normAxis(v, r)));
  const start = clamp(attrInt(n, 'start', 0));
  const end = clamp(attrInt(n, 'end', r));
  const value = x.shape.slice(start, Math.max(start, end));
  return [{ elemType: DataType.INT64, shape: [value.length], value }];
};

const cast: ShapeRule = (n, [x = {}]) => {
  const to = attrInt(n, 'to', 0);
  const v = numeric(x.value);
  return [{ elemType: to, shape: x.shape, value: INT_TYPES.has(to) && v ? v.map(Math.trunc) : x.value }];
};

const constantOfShape: ShapeRule = (n, [x = {}]) => {
  const target = x.value;
  const t = n.attribute.find((a) => a.name === 'value')?.attr;
  const elemType = t?.type === 'tensor' ? t.value.dataType : DataType.FLOAT;
  if (!target) return [{ elemType }];
  const count = numeric(target) ? numel(target as number[]) : Infinity;
  let value: Dim[] | undefined;
  if (count <= MAX_VALUE_ELEMENTS && t?.type === 'tensor') {
    const fill = initializerInfo(t.value).value?.[0];
    if (fill !== undefined) value = Array<Dim>(count).fill(fill);
  } else if (count <= MAX_VALUE_ELEMENTS) value = Array<Dim>(count).fill(0);
  return [{ elemType, shape: target, value }];
};

const range: ShapeRule = (_n, ins) => {
  const t0 = ins[0]?.elemType;
  const [s, l, d] = [numeric(ins[0]?.value)?.[0], numeric(ins[1]?.value)?.[0], numeric(ins[2]?.value)?.[0]];
  if (s === undefined || l === undefined || d === undefined) return [{ elemType: t0, shape: [freshDim()] }];
  const count = Math.max(Math.ceil((l - s) / d), 0);
  const value = count <= MAX_VALUE_ELEMENTS ? Array.from({ length: count }, (_, i) => s + i * d) : undefined;
  return [{ elemType: t0, shape: [count], value }];
};

const resize: ShapeRule = (_n, ins) => {
  const x = ins[0] ?? {};
  const t0 = x.elemType;
  if (!x.shape) return [{ elemType: t0 }];
  const sizes = numeric(ins[3]?.value);
  const scales = ins[2]?.value as number[] | undefined;
  if (sizes?.length === x.shape.length) return [{ elemType: t0, shape: sizes }];
  if (scales?.length === x.shape.length)
    return [
      {
        elemType: t0,
        shape: x.shape.map((d, i) => (isStatic(d) ? Math.floor(d * scales[i]!) : scales[i] === 1 ? d : freshDim())),
      },
    ];
  return [{ elemType: t0, shape: x.shape.map(freshDim) }];
};

const topK: ShapeRule = (n, [x = {}, kIn]) => {
  const k = numeric(kIn?.value)?.[0];
  if (!x.shape) return [{ elemType: x.elemType }, { elemType: DataType.INT64 }];
  const axis = normAxis(attrInt(n, 'axis', -1), x.shape.length);
  const shape = x.shape.map((d, i) => (i === axis ? (k ?? freshDim()) : d));
  return [
    { elemType: x.elemType, shape },
    { elemType: DataType.INT64, shape },
  ];
};

export const CONSTANT_SHAPES: Record<string, ShapeRule> = {
  Constant: constant,
  Shape: shapeOf,
  Size: (_n, [x = {}]) => [{ elemType: DataType.INT64, shape: [], value: x.shape ? [productOf(x.shape)] : undefined }],
  Cast: cast,
  CastLike: (_n, [x = {}, like]) => [{ elemType: like?.elemType, shape: x.shape, value: x.value }],
  Dropout: (_n, [x = {}]) => [
    { elemType: x.elemType, shape: x.shape },
    { elemType: DataType.BOOL, shape: x.shape },
  ],
  ConstantOfShape: constantOfShape,
  Range: range,
  Resize: resize,
  TopK: topK,
  Einsum: (_n, [x = {}]) => [{ elemType: x.elemType }],
};

// Shape rules of ops that move elements without computing: reshapes, transposes, slices,
// gathers, concatenation, splitting, padding and broadcasting copies.
import { attrInt, attrInts } from '../attrs.ts';
import { addDims, broadcastShapes, divDims, freshDim, isStatic, mulDims, productOf } from '../dims.ts';
import type { Dim } from '../modelProto.ts';
import { normAxis, numeric, sliceRange, type ShapeRule } from './info.ts';

const transpose: ShapeRule = (n, [x = {}]) => {
  if (!x.shape) return [{ elemType: x.elemType }];
  const perm = attrInts(n, 'perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
  return [{ elemType: x.elemType, shape: perm.map((p) => x.shape![p]!) }];
};

const reshape: ShapeRule = (n, [x = {}, shapeIn]) => {
  const t0 = x.elemType;
  const target = shapeIn?.value;
  if (!target)
    return [
      {
        elemType: t0,
        shape:
          shapeIn?.shape && isStatic(shapeIn.shape[0]) ? Array.from({ length: shapeIn.shape[0] }, freshDim) : undefined,
      },
    ];
  const allowZero = attrInt(n, 'allowzero', 0) === 1;
  const shape: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? (x.shape?.[i] ?? freshDim()) : d));
  const inferIdx = shape.indexOf(-1);
  if (inferIdx >= 0) {
    const rest = productOf(shape.filter((_, i) => i !== inferIdx));
    shape[inferIdx] = x.shape ? divDims(productOf(x.shape), rest) : freshDim();
  }
  return [{ elemType: t0, shape, value: x.value }];
};

const flatten: ShapeRule = (n, [x = {}]) => {
  if (!x.shape) return [{ elemType: x.elemType }];
  const axis = normAxis(attrInt(n, 'axis', 1), x.shape.length);
  return [
    {
      elemType: x.elemType,
      shape: [productOf(x.shape.slice(0, axis)), productOf(x.shape.slice(axis))],
      value: x.value,
    },
  ];
};

const squeeze: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  if (!x.shape) return [{ elemType: x.elemType }];
  const axes = opset >= 13 ? (n.input[1] ? numeric(ins[1]?.value) : undefined) : attrInts(n, 'axes');
  const given = opset >= 13 ? Boolean(n.input[1]) : axes !== undefined;
  if (given && !axes) return [{ elemType: x.elemType }];
  const r = x.shape.length;
  const set = new Set(given ? axes!.map((a) => normAxis(a, r)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  return [{ elemType: x.elemType, shape: x.shape.filter((_, i) => !set.has(i)), value: x.value }];
};

const unsqueeze: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  const axes = opset >= 13 ? numeric(ins[1]?.value) : attrInts(n, 'axes');
  if (!x.shape || !axes) return [{ elemType: x.elemType }];
  const r = x.shape.length + axes.length;
  const set = new Set(axes.map((a) => normAxis(a, r)));
  const shape: Dim[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) shape.push(set.has(i) ? 1 : x.shape[k++]!);
  return [{ elemType: x.elemType, shape, value: x.value }];
};

const concat: ShapeRule = (n, ins) => {
  const t0 = ins[0]?.elemType;
  const shapes = ins.map((i) => i.shape);
  const first = shapes.find((s) => s);
  let value: Dim[] | undefined;
  if (ins.every((i) => i.value)) value = ins.flatMap((i) => i.value!);
  if (!first || !shapes.every((s) => s)) return [{ elemType: t0, value }];
  const axis = normAxis(attrInt(n, 'axis', 0), first.length);
  const shape = [...first];
  shape[axis] = shapes.reduce<Dim>((acc, s) => addDims(acc, s![axis]!), 0);
  return [{ elemType: t0, shape, value }];
};

const split: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  const t0 = x.elemType;
  const outs = n.output.length;
  if (!x.shape) return n.output.map(() => ({ elemType: t0 }));
  const axis = normAxis(attrInt(n, 'axis', 0), x.shape.length);
  const sizes = opset >= 13 ? numeric(ins[1]?.value) : attrInts(n, 'split');
  const dim = x.shape[axis]!;
  return n.output.map((_, k) => {
    const shape = [...x.shape!];
    if (sizes) shape[axis] = sizes[k]!;
    else if (isStatic(dim)) {
      const chunk = Math.ceil(dim / outs);
      shape[axis] = Math.min(chunk, dim - chunk * k);
    } else shape[axis] = freshDim();
    return { elemType: t0, shape };
  });
};

const slice: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  const t0 = x.elemType;
  if (!x.shape) return [{ elemType: t0 }];
  const r = x.shape.length;
  const starts = opset >= 10 ? numeric(ins[1]?.value) : attrInts(n, 'starts');
  const ends = opset >= 10 ? numeric(ins[2]?.value) : attrInts(n, 'ends');
  if (!starts || !ends) return [{ elemType: t0, shape: x.shape.map(freshDim) }];
  const axes =
    (opset >= 10 ? (n.input[3] ? numeric(ins[3]?.value) : undefined) : attrInts(n, 'axes')) ?? starts.map((_, i) => i);
  const steps = (opset >= 10 && n.input[4] ? numeric(ins[4]?.value) : undefined) ?? starts.map(() => 1);
  const shape = [...x.shape];
  let value = x.value ? [...x.value] : undefined;
  axes.forEach((a, k) => {
    const ax = normAxis(a, r);
    const d = x.shape![ax]!;
    const range = sliceRange(d, starts[k]!, ends[k]!, steps[k]!);
    shape[ax] = range ? range.count : freshDim();
    if (value && r === 1)
      value = range ? Array.from({ length: range.count }, (_, i) => value![range.start + i * steps[k]!]!) : undefined;
  });
  return [{ elemType: t0, shape, value }];
};

const gather: ShapeRule = (n, [x = {}, idx]) => {
  const t0 = x.elemType;
  if (!x.shape || !idx?.shape) return [{ elemType: t0 }];
  const axis = normAxis(attrInt(n, 'axis', 0), x.shape.length);
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  const iv = numeric(idx.value);
  let value: Dim[] | undefined;
  if (x.value && x.shape.length === 1 && iv && isStatic(x.shape[0])) {
    const len = x.shape[0];
    value = iv.map((i) => x.value![i < 0 ? i + len : i]!);
  }
  return [{ elemType: t0, shape, value }];
};

const expand: ShapeRule = (_n, [x = {}, shapeIn]) => {
  const target = shapeIn?.value;
  if (!x.shape || !target) return [{ elemType: x.elemType }];
  return [{ elemType: x.elemType, shape: broadcastShapes(x.shape, target) }];
};

const tile: ShapeRule = (_n, [x = {}, repeats]) => {
  const reps = numeric(repeats?.value);
  if (!x.shape || !reps) return [{ elemType: x.elemType }];
  return [{ elemType: x.elemType, shape: x.shape.map((d, i) => mulDims(d, reps[i]!)) }];
};

const pad: ShapeRule = (n, ins, opset) => {
  const x = ins[0] ?? {};
  const t0 = x.elemType;
  const pads = opset >= 11 ? numeric(ins[1]?.value) : attrInts(n, 'pads');
  if (!x.shape || !pads) return [{ elemType: t0 }];
  const r = x.shape.length;
  const axes = opset >= 18 && n.input[3] ? numeric(ins[3]?.value) : x.shape.map((_, i) => i);
  if (!axes) return [{ elemType: t0 }];
  const shape = [...x.shape];
  axes.forEach((a, k) => {
    const ax = normAxis(a, r);
    shape[ax] = addDims(shape[ax]!, pads[k]! + pads[k + axes.length]!);
  });
  return [{ elemType: t0, shape }];
};

export const RESHAPE_SHAPES: Record<string, ShapeRule> = {
  Transpose: transpose,
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  GatherElements: (_n, [x = {}, idx]) => [{ elemType: x.elemType, shape: idx?.shape }],
  Expand: expand,
  Tile: tile,
  Pad: pad,
};

// Shape and type inference with symbolic dims, plus the values of small integer tensors
// (shape arithmetic: Shape → Gather → Concat → Reshape …) so exported models with
// dynamic-shape plumbing still get static shapes, and that plumbing can be folded away.
import { attrInt, attrInts, attrString, describeNode, opsetVersion } from './attrs.ts';
import { addDims, broadcastShapes, divDims, freshDim, isStatic, mulDims, productOf, subDims } from './dims.ts';
import { DataType, type DataTypeCode, type Dim, type ModelProto, type NodeProto, type TensorProto } from './model.ts';
import { numel, tensorToArray, makeTensor, type ExternalDataResolver } from './tensor.ts';
import { topologicalOrder } from './graph.ts';

export interface TensorInfo {
  elemType?: DataTypeCode;
  /** undefined = unknown rank; string dims are symbolic. */
  shape?: Dim[];
  /** Values of a small integer (or scalar) tensor, flattened; strings are symbolic. */
  value?: Dim[];
}

/** Tensors up to this many elements have their values tracked. */
const MAX_VALUE_ELEMENTS = 64;

const INT_TYPES = new Set<number>([
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

function initializerInfo(t: TensorProto, external?: ExternalDataResolver): TensorInfo {
  const info: TensorInfo = { elemType: t.dataType, shape: [...t.dims] };
  const n = numel(t.dims);
  const small = n <= MAX_VALUE_ELEMENTS && (INT_TYPES.has(t.dataType) || n === 1);
  const readable = !t.externalData || external;
  if (small && readable && t.dataType !== DataType.FLOAT16 && t.dataType !== DataType.BFLOAT16)
    info.value = Array.from(tensorToArray(t, external) as ArrayLike<number | bigint>, Number);
  return info;
}

const SAME_SHAPE_OPS = new Set([
  'Relu',
  'Neg',
  'Sqrt',
  'Sigmoid',
  'Tanh',
  'Erf',
  'Gelu',
  'Exp',
  'Log',
  'Abs',
  'Reciprocal',
  'Identity',
  'Clip',
  'Softmax',
  'LogSoftmax',
  'LeakyRelu',
  'HardSigmoid',
  'HardSwish',
  'Elu',
  'Selu',
  'Floor',
  'Ceil',
  'Round',
  'Not',
  'Sin',
  'Cos',
  'Sign',
  'Softplus',
  'FastGelu',
  'QuickGelu',
  'BiasGelu',
  'LpNormalization',
  'InstanceNormalization',
  'CumSum',
  'Trilu',
  'Mish',
  'Celu',
  'ThresholdedRelu',
  'Shrink',
]);
const BROADCAST_OPS = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'Mod',
  'PRelu',
  'Equal',
  'Greater',
  'Less',
  'GreaterOrEqual',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
  'Where',
]);
const BOOL_OPS = new Set(['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor', 'Not']);
const REDUCE_OPS = new Set([
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
]);

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function numeric(v: Dim[] | undefined): number[] | undefined {
  return v && v.every((d) => typeof d === 'number') ? (v as number[]) : undefined;
}

function elementwiseValue(op: string, a: Dim[], b: Dim[]): Dim[] | undefined {
  const n = Math.max(a.length, b.length);
  if ((a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length === 1 ? 0 : i]!;
    const y = b[b.length === 1 ? 0 : i]!;
    const both = typeof x === 'number' && typeof y === 'number';
    switch (op) {
      case 'Add':
        out.push(addDims(x, y));
        break;
      case 'Sub':
        out.push(subDims(x, y));
        break;
      case 'Mul':
        out.push(mulDims(x, y));
        break;
      case 'Div':
        out.push(both ? Math.trunc(x / y) : divDims(x, y));
        break;
      case 'Equal':
        out.push(both ? Number(x === y) : x === y ? 1 : freshDim());
        break;
      case 'Max':
        out.push(both ? Math.max(x, y) : freshDim());
        break;
      case 'Min':
        out.push(both ? Math.min(x, y) : freshDim());
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** Output spatial size of a window op (Conv, pools). */
function windowOut(n: NodeProto, inSpatial: Dim[], kernel: number[], opts: { transpose?: boolean } = {}): Dim[] {
  const r = inSpatial.length;
  const strides = attrInts(n, 'strides') ?? Array<number>(r).fill(1);
  const dil = attrInts(n, 'dilations') ?? Array<number>(r).fill(1);
  const pads = attrInts(n, 'pads') ?? Array<number>(2 * r).fill(0);
  const autoPad = attrString(n, 'auto_pad', 'NOTSET');
  const ceil = attrInt(n, 'ceil_mode', 0) === 1;
  return inSpatial.map((d, i) => {
    const s = strides[i] ?? 1;
    const k = ((kernel[i] ?? 1) - 1) * (dil[i] ?? 1) + 1;
    if (opts.transpose) {
      const outShape = attrInts(n, 'output_shape');
      if (outShape) return outShape[outShape.length - r + i]!;
      if (!isStatic(d)) return freshDim();
      const op = attrInts(n, 'output_padding')?.[i] ?? 0;
      if (autoPad.startsWith('SAME')) return d * s;
      return s * (d - 1) + op + k - (pads[i] ?? 0) - (pads[i + r] ?? 0);
    }
    if (!isStatic(d)) return freshDim();
    if (autoPad.startsWith('SAME')) return Math.ceil(d / s);
    if (autoPad === 'VALID') return Math.floor((d - k) / s) + 1;
    const span = d + (pads[i] ?? 0) + (pads[i + r] ?? 0) - k;
    return (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  });
}

/** Infers elem types, shapes and small values for every tensor of the model's main graph. */
export function inferShapes(
  model: ModelProto,
  opts: { external?: ExternalDataResolver } = {},
): Map<string, TensorInfo> {
  const g = model.graph;
  const info = new Map<string, TensorInfo>();
  for (const v of g.input)
    info.set(v.name, { elemType: v.elemType, shape: v.shape?.map((d) => (d === -1 ? freshDim() : d)) });
  for (const t of g.initializer) info.set(t.name, initializerInfo(t, opts.external));
  const declared = new Map([...g.valueInfo, ...g.output].map((v) => [v.name, v]));
  const opset = opsetVersion(model.opsetImport);
  for (const n of topologicalOrder(g)) {
    let outs: TensorInfo[];
    try {
      outs = inferNode(
        n,
        n.input.map((i) => (i ? (info.get(i) ?? {}) : {})),
        opset,
      );
    } catch (err) {
      throw new Error(
        `Shape inference failed at ${describeNode(n)}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    n.output.forEach((o, k) => {
      if (!o) return;
      const inferred = outs[k] ?? {};
      const d = declared.get(o);
      // Exporter-declared shapes fill what inference could not derive.
      if (d) {
        inferred.elemType ??= d.elemType;
        if (!inferred.shape && d.shape) inferred.shape = d.shape.map((x) => (x === -1 ? freshDim() : x));
      }
      info.set(o, inferred);
    });
  }
  return info;
}

function inferNode(n: NodeProto, ins: TensorInfo[], opset: number): TensorInfo[] {
  const x = ins[0] ?? {};
  const op = n.opType;
  const t0 = x.elemType;
  if (SAME_SHAPE_OPS.has(op)) {
    const out: TensorInfo = { elemType: BOOL_OPS.has(op) ? DataType.BOOL : t0, shape: x.shape };
    if (op === 'Identity') out.value = x.value;
    return [out];
  }
  if (BROADCAST_OPS.has(op)) {
    const shapes = ins.map((i) => i.shape);
    const shape = shapes.every((s) => s) ? shapes.reduce((a, b) => broadcastShapes(a!, b!)) : undefined;
    const elemType = BOOL_OPS.has(op) ? DataType.BOOL : op === 'Where' ? ins[1]?.elemType : t0;
    let value: Dim[] | undefined;
    if (op === 'Where') {
      const [c, a, b] = [numeric(ins[0]?.value), ins[1]?.value, ins[2]?.value];
      if (c && a && b) value = c.map((ci, i) => (ci ? a[a.length === 1 ? 0 : i] : b[b.length === 1 ? 0 : i])!);
    } else if (ins.length === 2 && ins[0]?.value && ins[1]?.value)
      value = elementwiseValue(op, ins[0].value, ins[1].value);
    return [{ elemType, shape, value }];
  }
  if (REDUCE_OPS.has(op)) {
    const keep = attrInt(n, 'keepdims', 1) === 1;
    const isArg = op.startsWith('Arg');
    const axesFromInput = !isArg && (op === 'ReduceSum' ? opset >= 13 : opset >= 18);
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
  }
  switch (op) {
    case 'Constant': {
      const a = n.attribute[0];
      if (!a) throw new Error('Constant without a value');
      const v = a.attr;
      if (v.type === 'tensor') return [initializerInfo(v.value)];
      if (a.name === 'value_int') return [{ elemType: DataType.INT64, shape: [], value: [v.value as number] }];
      if (a.name === 'value_ints' && v.type === 'ints')
        return [{ elemType: DataType.INT64, shape: [v.value.length], value: v.value }];
      if (a.name === 'value_float') return [{ elemType: DataType.FLOAT, shape: [], value: [v.value as number] }];
      if (a.name === 'value_floats' && v.type === 'floats')
        return [{ elemType: DataType.FLOAT, shape: [v.value.length] }];
      return [{}];
    }
    case 'Shape': {
      if (!x.shape) return [{ elemType: DataType.INT64 }];
      const r = x.shape.length;
      const clamp = (v: number) => Math.min(r, Math.max(0, normAxis(v, r)));
      const start = clamp(attrInt(n, 'start', 0));
      const end = clamp(attrInt(n, 'end', r));
      const value = x.shape.slice(start, Math.max(start, end));
      return [{ elemType: DataType.INT64, shape: [value.length], value }];
    }
    case 'Size':
      return [{ elemType: DataType.INT64, shape: [], value: x.shape ? [productOf(x.shape)] : undefined }];
    case 'Cast': {
      const to = attrInt(n, 'to', 0);
      const v = numeric(x.value);
      return [{ elemType: to, shape: x.shape, value: INT_TYPES.has(to) && v ? v.map(Math.trunc) : x.value }];
    }
    case 'CastLike':
      return [{ elemType: ins[1]?.elemType, shape: x.shape, value: x.value }];
    case 'Dropout':
      return [
        { elemType: t0, shape: x.shape },
        { elemType: DataType.BOOL, shape: x.shape },
      ];
    case 'MatMul':
    case 'MatMulInteger': {
      const a = x.shape;
      const b = ins[1]?.shape;
      const elemType = op === 'MatMulInteger' ? DataType.INT32 : t0;
      if (!a || !b) return [{ elemType }];
      const a2 = a.length === 1 ? [1, a[0]!] : a;
      const b2 = b.length === 1 ? [b[0]!, 1] : b;
      const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
      const shape = [...batch];
      if (a.length > 1) shape.push(a2[a2.length - 2]!);
      if (b.length > 1) shape.push(b2[b2.length - 1]!);
      return [{ elemType, shape }];
    }
    case 'MatMulNBits': {
      const N = attrInt(n, 'N', 0);
      return [{ elemType: t0, shape: x.shape ? [...x.shape.slice(0, -1), N] : undefined }];
    }
    case 'Gemm': {
      const a = x.shape;
      const b = ins[1]?.shape;
      if (!a || !b) return [{ elemType: t0 }];
      const m = attrInt(n, 'transA', 0) ? a[1]! : a[0]!;
      const nn = attrInt(n, 'transB', 0) ? b[0]! : b[1]!;
      return [{ elemType: t0, shape: [m, nn] }];
    }
    case 'Conv':
    case 'ConvTranspose':
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool': {
      if (!x.shape) return [{ elemType: t0 }];
      const w = ins[1]?.shape;
      const isConv = op === 'Conv' || op === 'ConvTranspose';
      const kernel = attrInts(n, 'kernel_shape') ?? (isConv && w ? (w.slice(2) as number[]) : undefined);
      if (!kernel) return [{ elemType: t0 }];
      const spatial = windowOut(n, x.shape.slice(2), kernel, { transpose: op === 'ConvTranspose' });
      const group = attrInt(n, 'group', 1);
      const channels =
        op === 'Conv' ? w?.[0] : op === 'ConvTranspose' ? (w ? mulDims(w[1]!, group) : undefined) : x.shape[1];
      const shape = [x.shape[0]!, channels ?? freshDim(), ...spatial];
      return op === 'MaxPool'
        ? [
            { elemType: t0, shape },
            { elemType: DataType.INT64, shape },
          ]
        : [{ elemType: t0, shape }];
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
      return [{ elemType: t0, shape: x.shape?.map((d, i) => (i < 2 ? d : 1)) }];
    case 'BatchNormalization':
      return [{ elemType: t0, shape: x.shape }];
    case 'LayerNormalization': {
      if (!x.shape) return [{ elemType: t0 }, { elemType: DataType.FLOAT }, { elemType: DataType.FLOAT }];
      const axis = normAxis(attrInt(n, 'axis', -1), x.shape.length);
      const stat = x.shape.map((d, i) => (i < axis ? d : 1));
      return [
        { elemType: t0, shape: x.shape },
        { elemType: DataType.FLOAT, shape: stat },
        { elemType: DataType.FLOAT, shape: stat },
      ];
    }
    case 'SkipLayerNormalization': {
      const stat = x.shape ? [...x.shape.slice(0, -1), 1] : undefined;
      const f = DataType.FLOAT;
      return [
        { elemType: t0, shape: x.shape },
        { elemType: f, shape: stat },
        { elemType: f, shape: stat },
        { elemType: t0, shape: x.shape },
      ];
    }
    case 'Transpose': {
      if (!x.shape) return [{ elemType: t0 }];
      const perm = attrInts(n, 'perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
      return [{ elemType: t0, shape: perm.map((p) => x.shape![p]!) }];
    }
    case 'Reshape': {
      const target = ins[1]?.value;
      if (!target)
        return [
          {
            elemType: t0,
            shape:
              ins[1]?.shape && isStatic(ins[1].shape[0])
                ? Array.from({ length: ins[1].shape[0] }, freshDim)
                : undefined,
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
    }
    case 'Flatten': {
      if (!x.shape) return [{ elemType: t0 }];
      const axis = normAxis(attrInt(n, 'axis', 1), x.shape.length);
      return [
        { elemType: t0, shape: [productOf(x.shape.slice(0, axis)), productOf(x.shape.slice(axis))], value: x.value },
      ];
    }
    case 'Squeeze': {
      if (!x.shape) return [{ elemType: t0 }];
      const axes = opset >= 13 ? (n.input[1] ? numeric(ins[1]?.value) : undefined) : attrInts(n, 'axes');
      const given = opset >= 13 ? Boolean(n.input[1]) : axes !== undefined;
      if (given && !axes) return [{ elemType: t0 }];
      const r = x.shape.length;
      const set = new Set(given ? axes!.map((a) => normAxis(a, r)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
      return [{ elemType: t0, shape: x.shape.filter((_, i) => !set.has(i)), value: x.value }];
    }
    case 'Unsqueeze': {
      const axes = opset >= 13 ? numeric(ins[1]?.value) : attrInts(n, 'axes');
      if (!x.shape || !axes) return [{ elemType: t0 }];
      const r = x.shape.length + axes.length;
      const set = new Set(axes.map((a) => normAxis(a, r)));
      const shape: Dim[] = [];
      let k = 0;
      for (let i = 0; i < r; i++) shape.push(set.has(i) ? 1 : x.shape[k++]!);
      return [{ elemType: t0, shape, value: x.value }];
    }
    case 'Concat': {
      const shapes = ins.map((i) => i.shape);
      const first = shapes.find((s) => s);
      let value: Dim[] | undefined;
      if (ins.every((i) => i.value)) value = ins.flatMap((i) => i.value!);
      if (!first || !shapes.every((s) => s)) return [{ elemType: t0, value }];
      const axis = normAxis(attrInt(n, 'axis', 0), first.length);
      const shape = [...first];
      shape[axis] = shapes.reduce<Dim>((acc, s) => addDims(acc, s![axis]!), 0);
      return [{ elemType: t0, shape, value }];
    }
    case 'Split': {
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
    }
    case 'Slice': {
      if (!x.shape) return [{ elemType: t0 }];
      const r = x.shape.length;
      const starts = opset >= 10 ? numeric(ins[1]?.value) : attrInts(n, 'starts');
      const ends = opset >= 10 ? numeric(ins[2]?.value) : attrInts(n, 'ends');
      if (!starts || !ends) return [{ elemType: t0, shape: x.shape.map(freshDim) }];
      const axes =
        (opset >= 10 ? (n.input[3] ? numeric(ins[3]?.value) : undefined) : attrInts(n, 'axes')) ??
        starts.map((_, i) => i);
      const steps = (opset >= 10 && n.input[4] ? numeric(ins[4]?.value) : undefined) ?? starts.map(() => 1);
      const shape = [...x.shape];
      let value = x.value ? [...x.value] : undefined;
      axes.forEach((a, k) => {
        const ax = normAxis(a, r);
        const d = x.shape![ax]!;
        const range = sliceRange(d, starts[k]!, ends[k]!, steps[k]!);
        shape[ax] = range ? range.count : freshDim();
        if (value && r === 1)
          value = range
            ? Array.from({ length: range.count }, (_, i) => value![range.start + i * steps[k]!]!)
            : undefined;
      });
      return [{ elemType: t0, shape, value }];
    }
    case 'Gather': {
      const idx = ins[1];
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
    }
    case 'GatherElements':
      return [{ elemType: t0, shape: ins[1]?.shape }];
    case 'Expand': {
      const target = ins[1]?.value;
      if (!x.shape || !target) return [{ elemType: t0 }];
      return [{ elemType: t0, shape: broadcastShapes(x.shape, target) }];
    }
    case 'Tile': {
      const reps = numeric(ins[1]?.value);
      if (!x.shape || !reps) return [{ elemType: t0 }];
      return [{ elemType: t0, shape: x.shape.map((d, i) => mulDims(d, reps[i]!)) }];
    }
    case 'Pad': {
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
    }
    case 'ConstantOfShape': {
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
    }
    case 'Range': {
      const [s, l, d] = [numeric(ins[0]?.value)?.[0], numeric(ins[1]?.value)?.[0], numeric(ins[2]?.value)?.[0]];
      if (s === undefined || l === undefined || d === undefined) return [{ elemType: t0, shape: [freshDim()] }];
      const count = Math.max(Math.ceil((l - s) / d), 0);
      const value = count <= MAX_VALUE_ELEMENTS ? Array.from({ length: count }, (_, i) => s + i * d) : undefined;
      return [{ elemType: t0, shape: [count], value }];
    }
    case 'Resize': {
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
    }
    case 'DequantizeLinear':
      return [{ elemType: ins[1]?.elemType ?? DataType.FLOAT, shape: x.shape }];
    case 'QuantizeLinear':
      return [
        {
          elemType: (ins[2]?.elemType ?? attrInt(n, 'output_dtype', DataType.UINT8)) || DataType.UINT8,
          shape: x.shape,
        },
      ];
    case 'DynamicQuantizeLinear':
      return [
        { elemType: DataType.UINT8, shape: x.shape },
        { elemType: DataType.FLOAT, shape: [] },
        { elemType: DataType.UINT8, shape: [] },
      ];
    case 'TopK': {
      const k = numeric(ins[1]?.value)?.[0];
      if (!x.shape) return [{ elemType: t0 }, { elemType: DataType.INT64 }];
      const axis = normAxis(attrInt(n, 'axis', -1), x.shape.length);
      const shape = x.shape.map((d, i) => (i === axis ? (k ?? freshDim()) : d));
      return [
        { elemType: t0, shape },
        { elemType: DataType.INT64, shape },
      ];
    }
    case 'Einsum':
      return [{ elemType: t0 }];
    default:
      // Unknown op: types and shapes stay unknown rather than guessed.
      return n.output.map(() => ({}));
  }
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

/**
 * Replaces nodes whose outputs are fully known small integer tensors (shape arithmetic on
 * static dims) by initializers. Returns the number of nodes folded. Dead producers are left
 * for removeDeadNodes.
 */
export function foldShapeArithmetic(model: ModelProto, info = inferShapes(model)): number {
  const g = model.graph;
  const outputs = new Set(g.output.map((o) => o.name));
  let folded = 0;
  const keep: NodeProto[] = [];
  for (const n of g.node) {
    const vals = n.output.map((o) => info.get(o));
    const foldable =
      n.output.length === 1 &&
      !outputs.has(n.output[0]!) &&
      vals.every(
        (v) =>
          v?.value &&
          numeric(v.value) &&
          v.shape &&
          v.shape.every(isStatic) &&
          v.elemType !== undefined &&
          INT_TYPES.has(v.elemType),
      );
    if (!foldable) {
      keep.push(n);
      continue;
    }
    const v = vals[0]!;
    g.initializer.push(
      makeTensor(n.output[0]!, typedFor(v.elemType!, numeric(v.value)!), v.shape as number[], v.elemType),
    );
    folded++;
  }
  g.node.splice(0, g.node.length, ...keep);
  return folded;
}

function typedFor(elemType: DataTypeCode, values: number[]) {
  switch (elemType) {
    case DataType.INT64:
      return BigInt64Array.from(values, (v) => BigInt(v));
    case DataType.INT32:
      return Int32Array.from(values);
    case DataType.INT16:
      return Int16Array.from(values);
    case DataType.INT8:
      return Int8Array.from(values);
    case DataType.UINT64:
      return BigUint64Array.from(values, (v) => BigInt(v));
    case DataType.UINT32:
      return Uint32Array.from(values);
    case DataType.UINT16:
      return Uint16Array.from(values);
    default:
      return Uint8Array.from(values);
  }
}

/** Writes the inferred types and shapes of intermediate tensors into graph.valueInfo. */
export function annotateShapes(model: ModelProto, info = inferShapes(model)): void {
  const g = model.graph;
  const known = new Set([...g.input, ...g.output, ...g.valueInfo].map((v) => v.name));
  for (const n of g.node)
    for (const o of n.output) {
      const i = info.get(o);
      if (!o || known.has(o) || i?.elemType === undefined) continue;
      g.valueInfo.push(i.shape ? { name: o, elemType: i.elemType, shape: i.shape } : { name: o, elemType: i.elemType });
    }
}

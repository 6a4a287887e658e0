// Shape rules of matrix products, window ops (Conv, pools), normalisations and quantization.
import { attrInt, attrInts, attrString } from '../attrs.ts';
import { broadcastShapes, freshDim, isStatic, mulDims } from '../dims.ts';
import { DataType, type Dim, type NodeProto } from '../modelProto.ts';
import { normAxis, ruleFor, type ShapeRule } from './info.ts';

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

const matMul: ShapeRule = (n, [x = {}, w]) => {
  const a = x.shape;
  const b = w?.shape;
  const elemType = n.opType === 'MatMulInteger' ? DataType.INT32 : x.elemType;
  if (!a || !b) return [{ elemType }];
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const shape = [...batch];
  if (a.length > 1) shape.push(a2[a2.length - 2]!);
  if (b.length > 1) shape.push(b2[b2.length - 1]!);
  return [{ elemType, shape }];
};

const matMulNBits: ShapeRule = (n, [x = {}]) => {
  const N = attrInt(n, 'N', 0);
  return [{ elemType: x.elemType, shape: x.shape ? [...x.shape.slice(0, -1), N] : undefined }];
};

const gemm: ShapeRule = (n, [x = {}, w]) => {
  const a = x.shape;
  const b = w?.shape;
  if (!a || !b) return [{ elemType: x.elemType }];
  const m = attrInt(n, 'transA', 0) ? a[1]! : a[0]!;
  const nn = attrInt(n, 'transB', 0) ? b[0]! : b[1]!;
  return [{ elemType: x.elemType, shape: [m, nn] }];
};

const windowOp: ShapeRule = (n, [x = {}, wInfo]) => {
  const op = n.opType;
  const t0 = op === 'ConvInteger' ? DataType.INT32 : x.elemType;
  if (!x.shape) return [{ elemType: t0 }];
  const w = wInfo?.shape;
  const isConv = op === 'Conv' || op === 'ConvInteger' || op === 'ConvTranspose';
  const kernel = attrInts(n, 'kernel_shape') ?? (isConv && w ? (w.slice(2) as number[]) : undefined);
  if (!kernel) return [{ elemType: t0 }];
  const spatial = windowOut(n, x.shape.slice(2), kernel, { transpose: op === 'ConvTranspose' });
  const group = attrInt(n, 'group', 1);
  const channels = op === 'ConvTranspose' ? (w ? mulDims(w[1]!, group) : undefined) : isConv ? w?.[0] : x.shape[1];
  const shape = [x.shape[0]!, channels ?? freshDim(), ...spatial];
  return op === 'MaxPool'
    ? [
        { elemType: t0, shape },
        { elemType: DataType.INT64, shape },
      ]
    : [{ elemType: t0, shape }];
};

const globalPool: ShapeRule = (_n, [x = {}]) => [
  { elemType: x.elemType, shape: x.shape?.map((d, i) => (i < 2 ? d : 1)) },
];

const layerNorm: ShapeRule = (n, [x = {}]) => {
  const t0 = x.elemType;
  if (!x.shape) return [{ elemType: t0 }, { elemType: DataType.FLOAT }, { elemType: DataType.FLOAT }];
  const axis = normAxis(attrInt(n, 'axis', -1), x.shape.length);
  const stat = x.shape.map((d, i) => (i < axis ? d : 1));
  return [
    { elemType: t0, shape: x.shape },
    { elemType: DataType.FLOAT, shape: stat },
    { elemType: DataType.FLOAT, shape: stat },
  ];
};

const skipLayerNorm: ShapeRule = (_n, [x = {}]) => {
  const stat = x.shape ? [...x.shape.slice(0, -1), 1] : undefined;
  const f = DataType.FLOAT;
  return [
    { elemType: x.elemType, shape: x.shape },
    { elemType: f, shape: stat },
    { elemType: f, shape: stat },
    { elemType: x.elemType, shape: x.shape },
  ];
};

export const LINALG_SHAPES: Record<string, ShapeRule> = {
  ...ruleFor(['MatMul', 'MatMulInteger'], matMul),
  MatMulNBits: matMulNBits,
  Gemm: gemm,
  ...ruleFor(['Conv', 'ConvInteger', 'ConvTranspose', 'MaxPool', 'AveragePool', 'LpPool'], windowOp),
  ...ruleFor(['GlobalAveragePool', 'GlobalMaxPool'], globalPool),
  BatchNormalization: (_n, [x = {}]) => [{ elemType: x.elemType, shape: x.shape }],
  LayerNormalization: layerNorm,
  SkipLayerNormalization: skipLayerNorm,
  DequantizeLinear: (_n, [x = {}, scale]) => [{ elemType: scale?.elemType ?? DataType.FLOAT, shape: x.shape }],
  QuantizeLinear: (n, [x = {}, , zeroPoint]) => [
    {
      elemType: (zeroPoint?.elemType ?? attrInt(n, 'output_dtype', DataType.UINT8)) || DataType.UINT8,
      shape: x.shape,
    },
  ],
  DynamicQuantizeLinear: (_n, [x = {}]) => [
    { elemType: DataType.UINT8, shape: x.shape },
    { elemType: DataType.FLOAT, shape: [] },
    { elemType: DataType.UINT8, shape: [] },
  ],
};

// Shape rules of element-wise ops: unary ops keep the shape, the others broadcast.
import { addDims, broadcastShapes, divDims, freshDim, mulDims, subDims } from '../dims.ts';
import { DataType, type Dim } from '../modelProto.ts';
import { numeric, ruleFor, type ShapeRule } from './info.ts';

const SAME_SHAPE_OPS = [
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
];
const BROADCAST_OPS = [
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
];
const BOOL_OPS = new Set(['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor', 'Not']);

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

const sameShape: ShapeRule = (n, [x = {}]) => [
  {
    elemType: BOOL_OPS.has(n.opType) ? DataType.BOOL : x.elemType,
    shape: x.shape,
    ...(n.opType === 'Identity' ? { value: x.value } : {}),
  },
];

const broadcast: ShapeRule = (n, ins) => {
  const op = n.opType;
  const shapes = ins.map((i) => i.shape);
  const shape = shapes.every((s) => s) ? shapes.reduce((a, b) => broadcastShapes(a!, b!)) : undefined;
  const elemType = BOOL_OPS.has(op) ? DataType.BOOL : op === 'Where' ? ins[1]?.elemType : ins[0]?.elemType;
  let value: Dim[] | undefined;
  if (op === 'Where') {
    const [c, a, b] = [numeric(ins[0]?.value), ins[1]?.value, ins[2]?.value];
    if (c && a && b) value = c.map((ci, i) => (ci ? a[a.length === 1 ? 0 : i] : b[b.length === 1 ? 0 : i])!);
  } else if (ins.length === 2 && ins[0]?.value && ins[1]?.value)
    value = elementwiseValue(op, ins[0].value, ins[1].value);
  return [{ elemType, shape, value }];
};

export const ELEMENTWISE_SHAPES: Record<string, ShapeRule> = {
  ...ruleFor(SAME_SHAPE_OPS, sameShape),
  ...ruleFor(BROADCAST_OPS, broadcast),
};

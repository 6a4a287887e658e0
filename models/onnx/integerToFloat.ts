// Rewrites the integer ops of a dynamically quantized model (DynamicQuantizeLinear, MatMulInteger,
// ConvInteger, Casts of 8-bit tensors) into float ops that onnxruntime's WebGPU EP has kernels for,
// computing the same values: activations are still quantized to the same uint8 grid (with float
// ops), and the uint8 weights are dequantized by DequantizeLinear (onnxruntime folds that into
// float weights when it loads the graph). Runs after the backward pass, whose nodes it rewrites alike.
import { attrInt, describeNode, opsetVersion } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { DataType, type ModelProto, type NodeProto } from './modelProto.ts';
import { inferShapes } from './shapes.ts';

const EIGHT_BIT = new Set<number>([DataType.UINT8, DataType.INT8]);
/** Ops that only move elements: on a quantized activation they move its float form. */
const MOVEMENT_OPS = new Set(['Slice', 'Gather', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Expand']);

/**
 * Rewrites `model` in place; returns the number of nodes rewritten. Differences from the integer
 * kernels: rounding is half up (Floor(v + 0.5)) where they round half to even, and products are
 * summed in float32, so values agree to float rounding. `perSample`: each activation's range is
 * taken per batch item (axis 0), so a batch quantizes each image as it would be quantized alone.
 */
export function integerOpsToFloat(model: ModelProto, options: { perSample?: boolean } = {}): number {
  const g = model.graph;
  const opset = opsetVersion(model.opsetImport);
  if (opset < 13)
    throw new Error(`Per-column DequantizeLinear needs opset 13; upgrade the model (opset ${opset}) first`);
  const info = inferShapes(model);
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const b = new GraphBuilder(model);
  const source = g.node;
  g.node = [];
  /** uint8 tensor -> float tensor with the same values (outputs of rewritten DynamicQuantizeLinear). */
  const asFloat = new Map<string, string>();
  let rewritten = 0;

  const k = (v: number) => b.scalar(v);
  const op = (type: string, inputs: string[], attrs = {}) => b.op(type, inputs, attrs);
  /** The float values of a uint8/int8 tensor: rewritten ones by name, initializers dequantized with scale 1. */
  const floatOf = (t: string, zeroPoint?: string, axis?: number): string => {
    const mapped = asFloat.get(t);
    if (mapped) return zeroPoint ? op('Sub', [mapped, floatOf(zeroPoint)]) : mapped;
    const init = inits.get(t);
    if (!init || !EIGHT_BIT.has(init.dataType))
      throw new Error(`"${t}" is neither a quantized activation nor an 8-bit initializer`);
    const zp = zeroPoint ? inits.get(zeroPoint) : undefined;
    if (zeroPoint && !zp) throw new Error(`zero point "${zeroPoint}" is not an initializer`);
    const perAxis = zp !== undefined && zp.dims.length === 1 && axis !== undefined;
    const ones = perAxis ? b.constant(new Float32Array(zp.dims[0]!).fill(1), zp.dims) : k(1);
    const inputs = [t, ones, ...(zeroPoint ? [zeroPoint] : [])];
    return b.op('DequantizeLinear', inputs, perAxis ? { axis } : {});
  };

  for (const n of source) {
    const at = g.node.length;
    try {
      if (n.domain !== '' && n.domain !== 'ai.onnx') g.node.push(n);
      else if (n.opType === 'DynamicQuantizeLinear') {
        // ONNX DynamicQuantizeLinear: the range includes 0; scale = range / 255, zero point and
        // values rounded and saturated to [0, 255].
        const x = n.input[0]!;
        const reduce = (type: string) => {
          if (!options.perSample) return op(type, [x], { keepdims: 0 });
          const rank = info.get(x)?.shape?.length;
          if (rank === undefined || rank < 2) throw new Error(`the rank of "${x}" is not known: no batch axis`);
          const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
          return opset >= 18 ? op(type, [x, b.ints(axes)], { keepdims: 1 }) : op(type, [x], { axes, keepdims: 1 });
        };
        const lo = op('Neg', [op('Relu', [op('Neg', [reduce('ReduceMin')])])]);
        const hi = op('Relu', [reduce('ReduceMax')]);
        const range = op('Sub', [hi, lo]);
        const scale = op('Where', [op('Equal', [range, k(0)]), k(1), op('Div', [range, k(255)])]);
        const round = (v: string) => op('Floor', [op('Add', [v, k(0.5)])]);
        const zero = round(op('Clip', [op('Neg', [op('Div', [lo, scale])]), k(0), k(255)]));
        const q = op('Clip', [op('Add', [round(op('Div', [x, scale])), zero]), k(0), k(255)]);
        const [y, yScale, yZero] = n.output as [string, string, string];
        rewritten++;
        asFloat.set(y, q);
        asFloat.set(yZero, zero);
        // The scale keeps its name: float already, read by the dequantizing Mul and the backward pass.
        const named = (t: string) => (t === scale ? yScale : t);
        for (const m of g.node.slice(at)) {
          m.input = m.input.map(named);
          m.output = m.output.map(named);
        }
        continue;
      } else if (n.opType === 'MatMulInteger' || n.opType === 'ConvInteger') {
        const [a, w, aZero, wZero] = n.input;
        const isMatMul = n.opType === 'MatMulInteger';
        const left = floatOf(a!, aZero || undefined);
        const right = floatOf(w!, wZero || undefined, isMatMul ? 1 : 0);
        g.node.push({ ...n, opType: isMatMul ? 'MatMul' : 'Conv', input: [left, right] });
      } else if (n.opType === 'Cast' && EIGHT_BIT.has(info.get(n.input[0]!)?.elemType ?? -1)) {
        if (attrInt(n, 'to', 0) !== DataType.FLOAT) throw new Error('only casts to float are rewritten');
        g.node.push({ ...n, input: [floatOf(n.input[0]!)] });
      } else if (MOVEMENT_OPS.has(n.opType) && asFloat.has(n.input[0]!)) {
        // Row slices and reshapes of quantized activations (compact-row gradients) move floats instead.
        g.node.push({ ...n, input: n.input.map((i) => asFloat.get(i) ?? i) });
        for (const o of n.output) asFloat.set(o, o);
      } else {
        const integerInput = n.input.find((i) => asFloat.has(i));
        if (integerInput) throw new Error(`it reads the quantized tensor "${integerInput}"`);
        g.node.push(n);
      }
    } catch (err) {
      throw new Error(`Cannot rewrite ${describeNode(n)} for WebGPU: ${err instanceof Error ? err.message : err}`);
    }
    if (g.node.length !== at + 1 || g.node[at] !== n) rewritten++;
  }
  // Integer products became float: their declared types follow.
  const floatNow = new Set(source.filter((n) => n.opType.endsWith('Integer')).map((n) => n.output[0]!));
  g.valueInfo = g.valueInfo.map((v) => (floatNow.has(v.name) ? { ...v, elemType: DataType.FLOAT } : v));
  return rewritten;
}

/** Whether the model has ops this pass rewrites. */
export function hasIntegerOps(model: ModelProto): boolean {
  return model.graph.node.some((n: NodeProto) =>
    ['DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger'].includes(n.opType),
  );
}

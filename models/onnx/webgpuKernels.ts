// The ops onnxruntime's WebGPU execution provider has kernels for (default ONNX domain), as
// declared in onnxruntime/core/providers/webgpu/webgpu_execution_provider.cc (microsoft/onnxruntime
// at 003f772b, read December 2026). A node of any other op runs on the CPU inside a WebGPU session.
import { DataType, type ModelProto, type NodeProto } from './modelProto.ts';
import { inferShapes } from './shapes.ts';

export const WEBGPU_KERNEL_OPS: ReadonlySet<string> = new Set(
  (
    'Abs Neg Floor Ceil Reciprocal Sqrt Exp Erf Sigmoid HardSigmoid Log Sin Cos Tan Asin Acos Atan Sinh Cosh ' +
    'Asinh Acosh Atanh Tanh Not Cast Clip Elu Relu LeakyRelu ThresholdedRelu Gelu ReduceMax ReduceMean ' +
    'ReduceMin ReduceProd ReduceSum ReduceL1 ReduceL2 ReduceLogSum ReduceSumSquare ReduceLogSumExp Add Sub ' +
    'Mul Div Pow Equal Greater GreaterOrEqual Less LessOrEqual Shape Reshape Squeeze Unsqueeze Where ' +
    'Transpose DepthToSpace Conv ConvTranspose MaxPool AveragePool GlobalAveragePool GlobalMaxPool Gemm ' +
    'MatMul ArgMax ArgMin Softmax Concat Split Expand Resize Gather GatherElements Slice Flatten Tile ' +
    'LayerNormalization InstanceNormalization Range Einsum Pad If BatchNormalization CumSum DequantizeLinear'
  ).split(' '),
);

/** Contrib (com.microsoft) ops our graphs use that the WebGPU EP also implements. */
const WEBGPU_CONTRIB_OPS: ReadonlySet<string> = new Set(['MatMulNBits']);

/** DequantizeLinear kernels exist for these input types only; Clip's for float (and float16). */
const DEQUANTIZE_TYPES = new Set<number>([DataType.UINT8, DataType.INT8, DataType.INT32]);

/** The nodes of `model` that a WebGPU session would run on the CPU. */
export function webGpuFallbackNodes(model: ModelProto): NodeProto[] {
  const info = inferShapes(model);
  return model.graph.node.filter((n) => {
    // Constant nodes become initializers when onnxruntime loads the graph.
    if (n.opType === 'Constant') return false;
    if (n.domain === 'com.microsoft') return !WEBGPU_CONTRIB_OPS.has(n.opType);
    if (n.domain !== '' && n.domain !== 'ai.onnx') return true;
    if (!WEBGPU_KERNEL_OPS.has(n.opType)) return true;
    const t = info.get(n.input[0] ?? '')?.elemType;
    if (n.opType === 'DequantizeLinear') return t === undefined || !DEQUANTIZE_TYPES.has(t);
    // Counted as CPU (conservatively): WebGPU has no 8-bit storage type.
    if (n.opType === 'Cast') return t === DataType.UINT8 || t === DataType.INT8;
    return false;
  });
}

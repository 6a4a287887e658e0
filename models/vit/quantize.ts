// Weight-only quantisation of an encoder graph's MatMul weights: int8 (per output column,
// symmetric, DequantizeLinear → MatMul) or 4-bit blocks (com.microsoft MatMulNBits, as
// transformers.js q4 exports use). Activations stay float32.
import { GraphBuilder } from '../onnx/builder.ts';
import { DataType, type ModelProto, type TensorProto } from '../onnx/modelProto.ts';
import { makeTensor, tensorToFloat32 } from '../onnx/tensor.ts';

export type WeightQuantization = 'int8' | 'q4';

export interface QuantizeOptions {
  /** MatMulNBits block size along K (a power of two ≥ 16). */
  blockSize?: number;
  /** Weights with fewer elements stay float (embedding-sized tails are not worth it). */
  minElements?: number;
}

/** W [K, N] → int8 with one scale per column n: W ≈ q · scale[n]. */
export function quantizeInt8(w: Float32Array, K: number, N: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) scales[n] = Math.max(scales[n]!, Math.abs(w[k * N + n]!));
  for (let n = 0; n < N; n++) scales[n] = scales[n]! / 127 || 1;
  const q = new Int8Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) q[k * N + n] = Math.round(w[k * N + n]! / scales[n]!);
  return { q, scales };
}

/**
 * W [K, N] → MatMulNBits inputs: B uint8 [N, kBlocks, blockSize/2], two 4-bit values per byte
 * (low nibble = even k), scales [N·kBlocks]; symmetric with the default zero point 8:
 * W[k, n] ≈ (q − 8) · scale[n, k / blockSize]. K is zero-padded to whole blocks.
 */
export function quantizeBlocks4(w: Float32Array, K: number, N: number, blockSize: number) {
  const kBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  for (let n = 0; n < N; n++)
    for (let kb = 0; kb < kBlocks; kb++) {
      let absMax = 0;
      for (let k = kb * blockSize; k < Math.min(K, (kb + 1) * blockSize); k++)
        absMax = Math.max(absMax, Math.abs(w[k * N + n]!));
      const scale = absMax / 7 || 1;
      scales[n * kBlocks + kb] = scale;
      for (let i = 0; i < blockSize; i++) {
        const k = kb * blockSize + i;
        const q = k < K ? Math.max(0, Math.min(15, Math.round(w[k * N + n]! / scale) + 8)) : 8;
        packed[(n * kBlocks + kb) * blob + (i >> 1)]! |= i % 2 === 0 ? q : q << 4;
      }
    }
  return { packed, scales, kBlocks, blob };
}

/** Rewrites eligible MatMul weights in place; returns the model and how many were quantised. */
export function quantizeMatMulWeights(
  model: ModelProto,
  mode: WeightQuantization,
  opts: QuantizeOptions = {},
): { model: ModelProto; quantized: number } {
  const blockSize = opts.blockSize ?? 32;
  const minElements = opts.minElements ?? 1024;
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0)
    throw new Error(`Block size ${blockSize} is not a power of two ≥ 16`);
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const uses = new Map<string, number>();
  for (const n of g.node) for (const i of n.input) uses.set(i, (uses.get(i) ?? 0) + 1);
  const b = new GraphBuilder(model);
  const replaced = new Set<string>();
  const rewritten = [];
  let quantized = 0;
  for (const node of g.node) {
    const weight = node.opType === 'MatMul' && node.domain === '' ? inits.get(node.input[1]!) : undefined;
    if (!weight || !eligible(weight, minElements) || uses.get(weight.name) !== 1) {
      rewritten.push(node);
      continue;
    }
    const [K, N] = weight.dims as [number, number];
    const w = tensorToFloat32(weight);
    const at = g.node.length;
    if (mode === 'int8') {
      const { q, scales } = quantizeInt8(w, K, N);
      const qName = b.unique(`${weight.name}.int8`);
      g.initializer.push(makeTensor(qName, q, [K, N]));
      const zero = b.constant(new Int8Array(N), [N]);
      const deq = b.op('DequantizeLinear', [qName, b.constant(scales, [N]), zero], { axis: 1 });
      g.node.push({
        name: b.unique('MatMul_int8'),
        opType: 'MatMul',
        domain: '',
        input: [node.input[0]!, deq],
        output: node.output,
        attribute: [],
      });
    } else {
      const q = quantizeBlocks4(w, K, N, blockSize);
      const qName = b.unique(`${weight.name}.q4`);
      g.initializer.push(makeTensor(qName, q.packed, [N, q.kBlocks, q.blob]));
      const ints = Object.entries({ K, N, bits: 4, block_size: blockSize });
      g.node.push({
        name: b.unique('MatMulNBits_q4'),
        opType: 'MatMulNBits',
        domain: 'com.microsoft',
        input: [node.input[0]!, qName, b.constant(q.scales, [N * q.kBlocks])],
        output: node.output,
        attribute: ints.map(([name, value]) => ({ name, attr: { type: 'int' as const, value } })),
      });
      if (!model.opsetImport.some((o) => o.domain === 'com.microsoft'))
        model.opsetImport.push({ domain: 'com.microsoft', version: 1 });
    }
    rewritten.push(...g.node.splice(at));
    replaced.add(weight.name);
    quantized++;
  }
  g.node = rewritten;
  g.initializer = g.initializer.filter((t) => !replaced.has(t.name));
  return { model, quantized };
}

function eligible(t: TensorProto, minElements: number): boolean {
  return (
    t.dims.length === 2 &&
    (t.dataType === DataType.FLOAT || t.dataType === DataType.FLOAT16) &&
    !t.externalData &&
    t.dims[0]! * t.dims[1]! >= minElements
  );
}

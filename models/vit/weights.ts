// Named float32 weights for the graph builders, read from safetensors or from an ONNX
// model's initializers. Names are the PyTorch state-dict names (see README.md).
import type { ModelProto } from '../onnx/modelProto.ts';
import { DataType } from '../onnx/modelProto.ts';
import { tensorToFloat32 } from '../onnx/tensor.ts';
import {
  fromFloat32,
  readSafetensors,
  tensorToFloat32Values,
  writeSafetensors,
  type SafetensorsInput,
} from '../safetensors/safetensors.ts';

export interface Weight {
  data: Float32Array;
  dims: number[];
}

/** A read-only map of named weights with shape-checked access. */
export class Weights {
  readonly metadata: Record<string, string>;

  constructor(
    private readonly map: Map<string, Weight>,
    metadata: Record<string, string> = {},
  ) {
    this.metadata = metadata;
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  names(): string[] {
    return [...this.map.keys()];
  }

  /** The weight, checked against `dims` (-1 matches any size); throws naming what is missing. */
  get(name: string, dims?: readonly number[]): Weight {
    const w = this.map.get(name);
    if (!w) throw new Error(`Weight "${name}" is missing`);
    if (dims && (dims.length !== w.dims.length || dims.some((d, i) => d !== -1 && d !== w.dims[i])))
      throw new Error(`Weight "${name}" has shape [${w.dims.join(', ')}], expected [${dims.join(', ')}]`);
    return w;
  }

  optional(name: string, dims?: readonly number[]): Weight | undefined {
    return this.map.has(name) ? this.get(name, dims) : undefined;
  }
}

/** Floating-point tensors of a safetensors file (F16/BF16 widened to float32; F32 viewed). */
export function weightsFromSafetensors(bytes: Uint8Array): Weights {
  const file = readSafetensors(bytes);
  const map = new Map<string, Weight>();
  for (const [name, t] of file.tensors)
    if (t.dtype !== 'I64') map.set(name, { data: tensorToFloat32Values(t), dims: t.shape });
  return new Weights(map, file.metadata);
}

/** Serialises weights (and their metadata) as safetensors, F32 or narrowed to F16/BF16. */
export function weightsToSafetensors(w: Weights, dtype: 'F32' | 'F16' | 'BF16' = 'F32'): Uint8Array {
  const tensors: Record<string, SafetensorsInput> = {};
  for (const name of w.names()) {
    const t = w.get(name);
    tensors[name] = fromFloat32(t.data, t.dims, dtype);
  }
  return writeSafetensors(tensors, w.metadata);
}

/** Floating-point initializers of an ONNX model, by initializer name. */
export function weightsFromOnnx(model: ModelProto): Weights {
  const map = new Map<string, Weight>();
  for (const t of model.graph.initializer) {
    if (t.dataType !== DataType.FLOAT && t.dataType !== DataType.FLOAT16 && t.dataType !== DataType.DOUBLE) continue;
    if (t.externalData) continue;
    map.set(t.name, { data: tensorToFloat32(t), dims: t.dims });
  }
  return new Weights(map);
}

/** Pytorch Linear weight [out, in] transposed to the [in, out] layout MatMul takes. */
export function transpose2d(w: Weight): Float32Array {
  const [rows, cols] = w.dims as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c]!;
  return out;
}

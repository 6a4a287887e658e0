// The safetensors file format (huggingface/safetensors): an 8-byte little-endian header
// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
// little-endian tensor bytes. Reading returns views into the input, never copies.
import { floatToHalf, halfToFloat } from '../onnx/tensor.ts';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I64';

const ELEMENT_BYTES: Record<SafetensorsDtype, number> = { I64: 8, F32: 4, F16: 2, BF16: 2 };

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** The tensor's little-endian bytes: a view into the file. */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  /** The optional `__metadata__` string map. */
  metadata: Record<string, string>;
}

/** What the writer takes: F16 and BF16 values are 16-bit patterns in a Uint16Array. */
export type SafetensorsInput =
  | { dtype: 'F32'; shape: number[]; data: Float32Array }
  | { dtype: 'F16' | 'BF16'; shape: number[]; data: Uint16Array }
  | { dtype: 'I64'; shape: number[]; data: BigInt64Array };

const isDtype = (d: unknown): d is SafetensorsDtype => typeof d === 'string' && d in ELEMENT_BYTES;
const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Parses a safetensors file; throws a message naming the problem if it is not one. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new Error('Not a safetensors file: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    throw new Error(`Not a safetensors file: header length ${headerLength} exceeds the file size`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new Error('Not a safetensors file: the header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error('Not a safetensors file: the header is not a JSON object');
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: unknown; shape: unknown; data_offsets: unknown };
    if (!isDtype(dtype))
      throw new Error(`safetensors tensor "${name}": unsupported dtype ${String(dtype)} (F32, F16, BF16, I64 are)`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new Error(`safetensors tensor "${name}": bad shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2)
      throw new Error(`safetensors tensor "${name}": bad data_offsets`);
    const [begin, end] = offsets as [number, number];
    if (!(begin >= 0 && end >= begin && end <= data.length))
      throw new Error(`safetensors tensor "${name}": byte range [${begin}, ${end}) is outside the file`);
    if (end - begin !== numel(shape) * ELEMENT_BYTES[dtype])
      throw new Error(`safetensors tensor "${name}": ${end - begin} bytes do not match ${dtype}[${shape.join(', ')}]`);
    tensors.set(name, { dtype, shape: shape as number[], bytes: data.subarray(begin, end) });
  }
  return { tensors, metadata };
}

/**
 * Serialises tensors. They are laid out largest element first so every tensor stays
 * aligned to its element size (the header is padded to 8 bytes), letting readers view them.
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = Object.entries(tensors).sort(([, a], [, b]) => ELEMENT_BYTES[b.dtype] - ELEMENT_BYTES[a.dtype]);
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (t.data.length !== numel(t.shape))
      throw new Error(
        `safetensors tensor "${name}": ${t.data.length} values do not fill shape [${t.shape.join(', ')}]`,
      );
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** A typed array over the tensor's bytes: a view when aligned, else an aligned copy. */
export function tensorValues(t: SafetensorsTensor): Float32Array | Uint16Array | BigInt64Array {
  const size = ELEMENT_BYTES[t.dtype];
  const b = t.bytes.byteOffset % size === 0 ? t.bytes : t.bytes.slice();
  const n = b.byteLength / size;
  if (t.dtype === 'F32') return new Float32Array(b.buffer, b.byteOffset, n);
  if (t.dtype === 'I64') return new BigInt64Array(b.buffer, b.byteOffset, n);
  return new Uint16Array(b.buffer, b.byteOffset, n);
}

const bf16Scratch = new Float32Array(1);
const bf16Bits = new Uint32Array(bf16Scratch.buffer);

export function bfloat16ToFloat(h: number): number {
  bf16Bits[0] = h << 16;
  return bf16Scratch[0]!;
}

/** bfloat16 bit pattern of `v`, round-to-nearest-even (NaN kept as a quiet NaN). */
export function floatToBfloat16(v: number): number {
  bf16Scratch[0] = v;
  const x = bf16Bits[0]!;
  if (Number.isNaN(v)) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 values of a floating-point tensor (a view for aligned F32). */
export function tensorToFloat32Values(t: SafetensorsTensor): Float32Array {
  const v = tensorValues(t);
  if (v instanceof Float32Array) return v;
  if (v instanceof BigInt64Array) throw new Error(`safetensors ${t.dtype} tensor is not floating point`);
  return Float32Array.from(v, t.dtype === 'F16' ? halfToFloat : bfloat16ToFloat);
}

/** Encodes float32 values as the given floating dtype, for the writer. */
export function fromFloat32(
  data: Float32Array,
  shape: number[],
  dtype: 'F32' | 'F16' | 'BF16' = 'F32',
): SafetensorsInput {
  if (dtype === 'F32') return { dtype, shape, data };
  return { dtype, shape, data: Uint16Array.from(data, dtype === 'F16' ? floatToHalf : floatToBfloat16) };
}

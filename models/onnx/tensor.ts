// Conversions between TensorProto and typed arrays.
import { DataType, type DataTypeCode, type TensorProto } from './modelProto.ts';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Element sizes in bytes (0 for types stored another way). */
export const ELEMENT_BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
};

export const DATA_TYPE_NAME: Record<number, string> = Object.fromEntries(
  Object.entries(DataType).map(([k, v]) => [v, k.toLowerCase()]),
);

/** The transpose of a row-major rows×columns matrix, as a new columns×rows array. */
export function transposeMatrix(m: Float32Array, rows: number, columns: number): Float32Array {
  const t = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) t[c * rows + r] = m[r * columns + c]!;
  return t;
}

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Resolves an external-data location (relative file name) to its bytes. */
export type ExternalDataResolver = (location: string) => Uint8Array;

/** The tensor's bytes in little-endian raw form, whatever field they are stored in. */
export function tensorBytes(t: TensorProto, external?: ExternalDataResolver): Uint8Array {
  if (t.externalData) {
    const get = (k: string) => t.externalData!.find((e) => e.key === k)?.value;
    const location = get('location');
    if (!location) throw new Error(`Tensor ${t.name}: external data without a location`);
    if (!external) throw new Error(`Tensor ${t.name}: stored in external file "${location}", which was not provided`);
    const file = external(location);
    const offset = Number(get('offset') ?? 0);
    const length = get('length') !== undefined ? Number(get('length')) : file.length - offset;
    if (offset + length > file.length)
      throw new Error(`Tensor ${t.name}: external file "${location}" is too short (${file.length} bytes)`);
    return file.subarray(offset, offset + length);
  }
  if (t.rawData) return t.rawData;
  const n = numel(t.dims);
  const size = ELEMENT_BYTES[t.dataType];
  if (!size) throw new Error(`Tensor ${t.name}: unsupported data type ${t.dataType}`);
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  const dt = t.dataType;
  if (dt === DataType.FLOAT) (t.floatData ?? []).forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (dt === DataType.DOUBLE) (t.doubleData ?? []).forEach((v, i) => view.setFloat64(i * 8, v, true));
  else if (dt === DataType.INT64) (t.int64Data ?? []).forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  else {
    // int32_data carries INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16 and BFLOAT16 (as bit patterns).
    const src = t.int32Data ?? [];
    src.forEach((v, i) => {
      if (size === 1) view.setUint8(i, v & 0xff);
      else if (size === 2) view.setUint16(i * 2, v & 0xffff, true);
      else view.setInt32(i * 4, v, true);
    });
  }
  return out;
}

/** Copies bytes into a fresh, aligned typed array of the tensor's type. */
export function bytesToTyped(bytes: Uint8Array, dataType: DataTypeCode): TypedArray {
  // new Uint8Array(view) always copies into a fresh, exactly sized buffer (Node Buffer.slice would not).
  const copy = new Uint8Array(bytes);
  const b = copy.buffer;
  switch (dataType) {
    case DataType.FLOAT:
      return new Float32Array(b);
    case DataType.DOUBLE:
      return new Float64Array(b);
    case DataType.INT8:
      return new Int8Array(b);
    case DataType.UINT8:
    case DataType.BOOL:
      return new Uint8Array(b);
    case DataType.INT16:
      return new Int16Array(b);
    case DataType.UINT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return new Uint16Array(b);
    case DataType.INT32:
      return new Int32Array(b);
    case DataType.UINT32:
      return new Uint32Array(b);
    case DataType.INT64:
      return new BigInt64Array(b);
    case DataType.UINT64:
      return new BigUint64Array(b);
    default:
      throw new Error(`Unsupported tensor data type ${dataType}`);
  }
}

export function tensorToArray(t: TensorProto, external?: ExternalDataResolver): TypedArray {
  return bytesToTyped(tensorBytes(t, external), t.dataType);
}

/** float32 values of a FLOAT, FLOAT16 or DOUBLE tensor. */
export function tensorToFloat32(t: TensorProto, external?: ExternalDataResolver): Float32Array {
  const a = tensorToArray(t, external);
  if (a instanceof Float32Array) return a;
  if (t.dataType === DataType.FLOAT16) return Float32Array.from(a as Uint16Array, halfToFloat);
  if (a instanceof Float64Array) return Float32Array.from(a);
  throw new Error(`Tensor ${t.name}: not a float tensor (type ${t.dataType})`);
}

export function dataTypeOf(a: TypedArray): DataTypeCode {
  if (a instanceof Float32Array) return DataType.FLOAT;
  if (a instanceof Float64Array) return DataType.DOUBLE;
  if (a instanceof Int8Array) return DataType.INT8;
  if (a instanceof Uint8Array) return DataType.UINT8;
  if (a instanceof Int16Array) return DataType.INT16;
  if (a instanceof Uint16Array) return DataType.UINT16;
  if (a instanceof Int32Array) return DataType.INT32;
  if (a instanceof Uint32Array) return DataType.UINT32;
  if (a instanceof BigInt64Array) return DataType.INT64;
  return DataType.UINT64;
}

/** A tensor whose raw data is a view of `data` (no copy). Pass `dataType` for FLOAT16/BOOL/BFLOAT16. */
export function makeTensor(
  name: string,
  data: TypedArray,
  dims: readonly number[],
  dataType?: DataTypeCode,
): TensorProto {
  if (numel(dims) !== data.length)
    throw new Error(`Tensor ${name}: ${data.length} values do not fill shape [${dims.join(', ')}]`);
  return {
    name,
    dataType: dataType ?? dataTypeOf(data),
    dims: [...dims],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** IEEE half from float, round-to-nearest-even. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

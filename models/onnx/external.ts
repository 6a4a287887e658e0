// Models whose large initializers live in a separate data file (ONNX "external data").
import type { ModelProto, TensorProto } from './modelProto.ts';
import { encodeModel } from './encodeModel.ts';
import { tensorBytes, type ExternalDataResolver } from './tensor.ts';

/** Offsets in the data file are aligned so a reader can map tensors as typed arrays. */
const ALIGNMENT = 64;

export interface ExternalDataOptions {
  /** Initializers of at least this many bytes go to the data file (default 1024). */
  threshold?: number;
  /** File name of the data file, relative to the model file (default "model.onnx.data"). */
  location?: string;
  /** Resolves data files the input model already refers to. */
  external?: ExternalDataResolver;
}

/** A copy of `t` whose values are stored only where `data` says. */
function withData(t: TensorProto, data: Pick<TensorProto, 'rawData' | 'externalData'>): TensorProto {
  const copy: TensorProto = { ...t, ...data };
  if (!data.externalData) delete copy.externalData;
  if (!data.rawData) delete copy.rawData;
  delete copy.floatData;
  delete copy.int32Data;
  delete copy.int64Data;
  delete copy.doubleData;
  return copy;
}

/**
 * Encodes `model` with its large initializers moved to one data file. The input model is not
 * modified. Returns the .onnx bytes (which refer to `location`) and the data file's bytes.
 */
export function encodeModelWithExternalData(
  model: ModelProto,
  opts: ExternalDataOptions = {},
): { model: Uint8Array; data: Uint8Array } {
  const threshold = opts.threshold ?? 1024;
  const location = opts.location ?? 'model.onnx.data';
  if (!location || location.includes('..') || location.startsWith('/'))
    throw new Error(`External data location must be a relative file name, got "${location}"`);
  const chunks: { offset: number; bytes: Uint8Array }[] = [];
  let size = 0;
  const initializer = model.graph.initializer.map((t): TensorProto => {
    const bytes = t.stringData ? undefined : tensorBytes(t, opts.external);
    if (!bytes || bytes.length < threshold) {
      if (!t.externalData) return t;
      // Small tensors already stored externally come back inline, so the output stands alone.
      return withData(t, { rawData: bytes });
    }
    const offset = Math.ceil(size / ALIGNMENT) * ALIGNMENT;
    chunks.push({ offset, bytes });
    size = offset + bytes.length;
    return withData(t, {
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.length) },
      ],
    });
  });
  const data = new Uint8Array(size);
  for (const c of chunks) data.set(c.bytes, c.offset);
  const bytes = encodeModel({ ...model, graph: { ...model.graph, initializer } });
  return { model: bytes, data };
}

/** Makes every externally stored initializer inline (its raw data a view into the resolved file). In place. */
export function inlineExternalData(model: ModelProto, external: ExternalDataResolver): void {
  model.graph.initializer = model.graph.initializer.map((t) => {
    if (!t.externalData) return t;
    return withData(t, { rawData: tensorBytes(t, external) });
  });
}

/**
 * Encodes `model` with every initializer of at least `threshold` bytes whose data is a view into
 * `file` (as decodeModel leaves the tensors of the model it decoded) stored as external data at its
 * place in that file, named `location`: a model derived from `file` then carries only what it adds,
 * and runs with `file` given as its external data. Other initializers stay inline.
 */
export function encodeModelSharingData(
  model: ModelProto,
  file: Uint8Array,
  location: string,
  threshold = 1024,
): Uint8Array {
  const initializer = model.graph.initializer.map((t): TensorProto => {
    const raw = t.rawData;
    if (!raw || raw.length < threshold || raw.buffer !== file.buffer) return t;
    const offset = raw.byteOffset - file.byteOffset;
    if (offset < 0 || offset + raw.length > file.length) return t;
    return withData(t, {
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.length) },
      ],
    });
  });
  return encodeModel({ ...model, graph: { ...model.graph, initializer } });
}

// ONNX model as plain data (the subset of onnx.proto that models use), with
// decode/encode. Fields this module does not model are kept as raw bytes in
// `unknown` and written back unchanged, so a read/write round trip is lossless.
import { ProtoReader, ProtoWriter, WireType } from './protobuf.ts';

export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
  UINT4: 21,
  INT4: 22,
} as const;
export type DataTypeCode = number;

export interface StringStringEntry {
  key: string;
  value: string;
}

export interface TensorProto {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Little-endian bytes; a view into the source buffer when decoded. */
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  stringData?: Uint8Array[];
  /** Set when the data lives in an external file (data_location = EXTERNAL). */
  externalData?: StringStringEntry[];
  docString?: string;
  unknown?: Uint8Array[];
}

export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: Uint8Array }
  | { type: 'tensor'; value: TensorProto }
  | { type: 'graph'; value: GraphProto }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: Uint8Array[] }
  | { type: 'tensors'; value: TensorProto[] }
  | { type: 'graphs'; value: GraphProto[] };

export interface AttributeProto {
  name: string;
  attr: AttributeValue;
  unknown?: Uint8Array[];
}

export interface NodeProto {
  name: string;
  opType: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
  docString?: string;
  unknown?: Uint8Array[];
}

export type Dim = number | string;

export interface ValueInfoProto {
  name: string;
  /** Absent for non-tensor types (kept in `unknown`). */
  elemType?: DataTypeCode;
  /** undefined = unknown rank; a string dim is a symbolic dimension; -1 marks a dim with neither. */
  shape?: Dim[];
  docString?: string;
  unknown?: Uint8Array[];
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  docString?: string;
  unknown?: Uint8Array[];
}

export interface OpsetId {
  domain: string;
  version: number;
}

export interface ModelProto {
  irVersion: number;
  opsetImport: OpsetId[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphProto;
  metadataProps: StringStringEntry[];
  unknown?: Uint8Array[];
}

// ---------------------------------------------------------------- decode

function keep(list: Uint8Array[] | undefined, bytes: Uint8Array): Uint8Array[] {
  const l = list ?? [];
  l.push(bytes);
  return l;
}

function readEntry(r: ProtoReader): StringStringEntry {
  const e: StringStringEntry = { key: '', value: '' };
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    if (field === 1) e.key = r.string();
    else if (field === 2) e.value = r.string();
    else r.skip(wire, start);
  }
  return e;
}

export function readTensor(r: ProtoReader): TensorProto {
  const t: TensorProto = { name: '', dataType: 0, dims: [] };
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        r.repeated(wire, () => r.int64(), t.dims);
        break;
      case 2:
        t.dataType = r.varint();
        break;
      case 4:
        r.repeated(wire, () => r.float(), (t.floatData ??= []));
        break;
      case 5:
        r.repeated(wire, () => r.int64(), (t.int32Data ??= []));
        break;
      case 6:
        (t.stringData ??= []).push(r.bytes());
        break;
      case 7:
        r.repeated(wire, () => r.int64(), (t.int64Data ??= []));
        break;
      case 8:
        t.name = r.string();
        break;
      case 9:
        t.rawData = r.bytes();
        break;
      case 10:
        r.repeated(wire, () => r.double(), (t.doubleData ??= []));
        break;
      case 12:
        t.docString = r.string();
        break;
      case 13:
        (t.externalData ??= []).push(readEntry(r.sub()));
        break;
      case 14:
        r.varint(); // data_location: implied by externalData
        break;
      default:
        t.unknown = keep(t.unknown, r.skip(wire, start));
    }
  }
  return t;
}

function readAttribute(r: ProtoReader): AttributeProto {
  let name = '';
  let type = 0;
  let f = 0;
  let i = 0;
  let s: Uint8Array = new Uint8Array();
  let t: TensorProto | undefined;
  let g: GraphProto | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: Uint8Array[] = [];
  const tensors: TensorProto[] = [];
  const graphs: GraphProto[] = [];
  let unknown: Uint8Array[] | undefined;
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        name = r.string();
        break;
      case 2:
        f = r.float();
        break;
      case 3:
        i = r.int64();
        break;
      case 4:
        s = r.bytes();
        break;
      case 5:
        t = readTensor(r.sub());
        break;
      case 6:
        g = readGraph(r.sub());
        break;
      case 7:
        r.repeated(wire, () => r.float(), floats);
        break;
      case 8:
        r.repeated(wire, () => r.int64(), ints);
        break;
      case 9:
        strings.push(r.bytes());
        break;
      case 10:
        tensors.push(readTensor(r.sub()));
        break;
      case 11:
        graphs.push(readGraph(r.sub()));
        break;
      case 20:
        type = r.varint();
        break;
      default:
        unknown = keep(unknown, r.skip(wire, start));
    }
  }
  const attr = ((): AttributeValue => {
    switch (type) {
      case 1:
        return { type: 'float', value: f };
      case 2:
        return { type: 'int', value: i };
      case 3:
        return { type: 'string', value: s };
      case 4:
        if (!t) throw new Error(`ONNX attribute ${name}: tensor attribute without a tensor`);
        return { type: 'tensor', value: t };
      case 5:
        if (!g) throw new Error(`ONNX attribute ${name}: graph attribute without a graph`);
        return { type: 'graph', value: g };
      case 6:
        return { type: 'floats', value: floats };
      case 7:
        return { type: 'ints', value: ints };
      case 8:
        return { type: 'strings', value: strings };
      case 9:
        return { type: 'tensors', value: tensors };
      case 10:
        return { type: 'graphs', value: graphs };
      default:
        throw new Error(`ONNX attribute ${name}: unsupported attribute type ${type}`);
    }
  })();
  return unknown ? { name, attr, unknown } : { name, attr };
}

function readNode(r: ProtoReader): NodeProto {
  const n: NodeProto = { name: '', opType: '', domain: '', input: [], output: [], attribute: [] };
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        n.input.push(r.string());
        break;
      case 2:
        n.output.push(r.string());
        break;
      case 3:
        n.name = r.string();
        break;
      case 4:
        n.opType = r.string();
        break;
      case 5:
        n.attribute.push(readAttribute(r.sub()));
        break;
      case 6:
        n.docString = r.string();
        break;
      case 7:
        n.domain = r.string();
        break;
      default:
        n.unknown = keep(n.unknown, r.skip(wire, start));
    }
  }
  return n;
}

function readShape(r: ProtoReader): Dim[] {
  const dims: Dim[] = [];
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    if (field !== 1) {
      r.skip(wire, start);
      continue;
    }
    const d = r.sub();
    let dim: Dim = -1;
    while (!d.done()) {
      const s2 = d.pos;
      const tg = d.tag();
      if (tg.field === 1) dim = d.int64();
      else if (tg.field === 2) dim = d.string();
      else d.skip(tg.wire, s2);
    }
    dims.push(dim);
  }
  return dims;
}

function readValueInfo(r: ProtoReader): ValueInfoProto {
  const v: ValueInfoProto = { name: '' };
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    if (field === 1) v.name = r.string();
    else if (field === 3) v.docString = r.string();
    else if (field === 2) {
      const typeStart = start;
      const tr = r.sub();
      let isTensor = false;
      while (!tr.done()) {
        const s2 = tr.pos;
        const tg = tr.tag();
        if (tg.field === 1) {
          isTensor = true;
          const tt = tr.sub();
          while (!tt.done()) {
            const s3 = tt.pos;
            const t3 = tt.tag();
            if (t3.field === 1) v.elemType = tt.varint();
            else if (t3.field === 2) v.shape = readShape(tt.sub());
            else tt.skip(t3.wire, s3);
          }
        } else tr.skip(tg.wire, s2);
      }
      if (!isTensor) v.unknown = keep(v.unknown, r.buf.subarray(typeStart, r.pos));
    } else v.unknown = keep(v.unknown, r.skip(wire, start));
  }
  return v;
}

export function readGraph(r: ProtoReader): GraphProto {
  const g: GraphProto = { name: '', node: [], initializer: [], input: [], output: [], valueInfo: [] };
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        g.node.push(readNode(r.sub()));
        break;
      case 2:
        g.name = r.string();
        break;
      case 5:
        g.initializer.push(readTensor(r.sub()));
        break;
      case 10:
        g.docString = r.string();
        break;
      case 11:
        g.input.push(readValueInfo(r.sub()));
        break;
      case 12:
        g.output.push(readValueInfo(r.sub()));
        break;
      case 13:
        g.valueInfo.push(readValueInfo(r.sub()));
        break;
      default:
        g.unknown = keep(g.unknown, r.skip(wire, start));
    }
  }
  return g;
}

/** Decodes an ONNX model. Tensor bytes are views into `bytes`: keep it alive and unmodified. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const r = new ProtoReader(bytes);
  const m: ModelProto = {
    irVersion: 0,
    opsetImport: [],
    graph: { name: '', node: [], initializer: [], input: [], output: [], valueInfo: [] },
    metadataProps: [],
  };
  let sawGraph = false;
  while (!r.done()) {
    const start = r.pos;
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        m.irVersion = r.int64();
        break;
      case 2:
        m.producerName = r.string();
        break;
      case 3:
        m.producerVersion = r.string();
        break;
      case 4:
        m.domain = r.string();
        break;
      case 5:
        m.modelVersion = r.int64();
        break;
      case 6:
        m.docString = r.string();
        break;
      case 7:
        m.graph = readGraph(r.sub());
        sawGraph = true;
        break;
      case 8: {
        const o = r.sub();
        const op: OpsetId = { domain: '', version: 0 };
        while (!o.done()) {
          const s2 = o.pos;
          const tg = o.tag();
          if (tg.field === 1) op.domain = o.string();
          else if (tg.field === 2) op.version = o.int64();
          else o.skip(tg.wire, s2);
        }
        m.opsetImport.push(op);
        break;
      }
      case 14:
        m.metadataProps.push(readEntry(r.sub()));
        break;
      default:
        m.unknown = keep(m.unknown, r.skip(wire, start));
    }
  }
  if (!sawGraph) throw new Error('Not an ONNX model: no graph found');
  return m;
}

// ---------------------------------------------------------------- encode

const textEncoder = new TextEncoder();

function writeUnknown(w: ProtoWriter, unknown: Uint8Array[] | undefined): void {
  if (unknown) for (const u of unknown) w.raw(u);
}

function writeEntry(w: ProtoWriter, field: number, e: StringStringEntry): void {
  w.messageField(field, (x) => {
    x.stringField(1, e.key);
    x.stringField(2, e.value);
  });
}

export function writeTensor(w: ProtoWriter, t: TensorProto): void {
  w.packedInt64(1, t.dims);
  w.varintField(2, t.dataType);
  w.packedFloat(4, t.floatData);
  w.packedInt64(5, t.int32Data);
  if (t.stringData) for (const s of t.stringData) w.bytesField(6, s);
  w.packedInt64(7, t.int64Data);
  w.stringField(8, t.name);
  if (t.rawData) w.bytesField(9, t.rawData);
  w.packedDouble(10, t.doubleData);
  w.stringField(12, t.docString);
  if (t.externalData) {
    for (const e of t.externalData) writeEntry(w, 13, e);
    w.varintField(14, 1);
  }
  writeUnknown(w, t.unknown);
}

const ATTR_TYPE_CODE: Record<AttributeValue['type'], number> = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
  graphs: 10,
};

function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.stringField(1, a.name);
  const { attr } = a;
  switch (attr.type) {
    case 'float':
      w.tag(2, WireType.Fixed32);
      w.float(attr.value);
      break;
    case 'int':
      w.tag(3, WireType.Varint);
      w.int64(attr.value);
      break;
    case 'string':
      w.bytesField(4, attr.value);
      break;
    case 'tensor':
      w.messageField(5, (x) => writeTensor(x, attr.value));
      break;
    case 'graph':
      w.messageField(6, (x) => writeGraph(x, attr.value));
      break;
    case 'floats':
      w.packedFloat(7, attr.value);
      break;
    case 'ints':
      w.packedInt64(8, attr.value);
      break;
    case 'strings':
      for (const s of attr.value) w.bytesField(9, s);
      break;
    case 'tensors':
      for (const t of attr.value) w.messageField(10, (x) => writeTensor(x, t));
      break;
    case 'graphs':
      for (const g of attr.value) w.messageField(11, (x) => writeGraph(x, g));
      break;
  }
  w.varintField(20, ATTR_TYPE_CODE[attr.type]);
  writeUnknown(w, a.unknown);
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  // Empty names are meaningful (omitted optional inputs/outputs): write them positionally.
  for (const i of n.input) w.bytesField(1, textEncoder.encode(i));
  for (const o of n.output) w.bytesField(2, textEncoder.encode(o));
  w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attribute) w.messageField(5, (x) => writeAttribute(x, a));
  w.stringField(6, n.docString);
  w.stringField(7, n.domain);
  writeUnknown(w, n.unknown);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.stringField(1, v.name);
  if (v.elemType !== undefined) {
    w.messageField(2, (tp) =>
      tp.messageField(1, (tt) => {
        tt.varintField(1, v.elemType);
        if (v.shape) {
          const shape = v.shape;
          tt.messageField(2, (sh) => {
            for (const d of shape) {
              sh.messageField(1, (dim) => {
                if (typeof d === 'string') dim.stringField(2, d);
                else if (d >= 0) {
                  dim.tag(1, WireType.Varint);
                  dim.int64(d);
                }
              });
            }
          });
        }
      }),
    );
  }
  w.stringField(3, v.docString);
  writeUnknown(w, v.unknown);
}

export function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.node) w.messageField(1, (x) => writeNode(x, n));
  w.stringField(2, g.name);
  for (const t of g.initializer) w.messageField(5, (x) => writeTensor(x, t));
  w.stringField(10, g.docString);
  for (const v of g.input) w.messageField(11, (x) => writeValueInfo(x, v));
  for (const v of g.output) w.messageField(12, (x) => writeValueInfo(x, v));
  for (const v of g.valueInfo) w.messageField(13, (x) => writeValueInfo(x, v));
  writeUnknown(w, g.unknown);
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.varintField(1, m.irVersion);
  w.stringField(2, m.producerName);
  w.stringField(3, m.producerVersion);
  w.stringField(4, m.domain);
  w.varintField(5, m.modelVersion);
  w.stringField(6, m.docString);
  w.messageField(7, (x) => writeGraph(x, m.graph));
  for (const o of m.opsetImport)
    w.messageField(8, (x) => {
      x.stringField(1, o.domain);
      x.varintField(2, o.version);
    });
  for (const e of m.metadataProps) writeEntry(w, 14, e);
  writeUnknown(w, m.unknown);
  return w.finish();
}

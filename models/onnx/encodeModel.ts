// Encodes the plain data of modelProto.ts as ONNX protobuf bytes, writing the kept
// `unknown` fields back unchanged.
import { ProtoWriter, WireType } from './protobuf.ts';
import type {
  AttributeProto,
  AttributeValue,
  GraphProto,
  ModelProto,
  NodeProto,
  StringStringEntry,
  TensorProto,
  ValueInfoProto,
} from './modelProto.ts';

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

function writeTensor(w: ProtoWriter, t: TensorProto): void {
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

function writeGraph(w: ProtoWriter, g: GraphProto): void {
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

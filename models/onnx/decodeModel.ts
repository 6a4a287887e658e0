// Decodes ONNX protobuf bytes into the plain data of modelProto.ts; fields it does
// not model are kept as raw bytes in `unknown`, so a decode/encode round trip is lossless.
import { ProtoReader } from './protobuf.ts';
import type {
  AttributeProto,
  AttributeValue,
  Dim,
  GraphProto,
  ModelProto,
  NodeProto,
  OpsetId,
  StringStringEntry,
  TensorProto,
  ValueInfoProto,
} from './modelProto.ts';

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

function readTensor(r: ProtoReader): TensorProto {
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

function readGraph(r: ProtoReader): GraphProto {
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

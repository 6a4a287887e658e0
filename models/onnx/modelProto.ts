// ONNX model as plain data: the subset of onnx.proto that models use. Fields not
// modelled here are kept as raw bytes in `unknown` and written back unchanged.

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

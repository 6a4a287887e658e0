// Builds or extends an ONNX graph with unique names and typed-array constants.
import {
  DataType,
  type AttributeProto,
  type AttributeValue,
  type DataTypeCode,
  type Dim,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './modelProto.ts';
import { makeTensor, type TypedArray } from './tensor.ts';

export const DEFAULT_OPSET = 17;

/** Plain numbers and number arrays are INT/INTS; use float()/floats() for FLOAT attributes. */
export type AttrInput = number | number[] | string | TensorProto | AttributeValue;

export const float = (value: number): AttributeValue => ({ type: 'float', value });
export const floats = (value: number[]): AttributeValue => ({ type: 'floats', value });

const textEncoder = new TextEncoder();

/** Clamps to the int64 range, so "to the end" sentinels such as Infinity stay large. */
export function toInt64(v: number): bigint {
  // 2 ** 63 is exact as a double; the largest int64 (2^63 - 1) is not.
  if (v >= 2 ** 63) return 9223372036854775807n;
  if (v <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(v));
}

function toAttribute(name: string, v: AttrInput): AttributeProto {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`Attribute ${name}=${v} is not an integer: wrap it in float()`);
    return { name, attr: { type: 'int', value: v } };
  }
  if (typeof v === 'string') return { name, attr: { type: 'string', value: textEncoder.encode(v) } };
  if (Array.isArray(v)) {
    if (v.some((x) => !Number.isInteger(x))) throw new Error(`Attribute ${name} has non-integers: wrap it in floats()`);
    return { name, attr: { type: 'ints', value: v } };
  }
  if ('type' in v && 'value' in v && typeof v.type === 'string' && !('dims' in v)) return { name, attr: v };
  return { name, attr: { type: 'tensor', value: v as TensorProto } };
}

export interface NodeOptions {
  /** Output names, or a count of outputs to name automatically (default 1). */
  outputs?: string[] | number;
  name?: string;
  domain?: string;
}

export class GraphBuilder {
  readonly graph: GraphProto;
  readonly opsetImport: ModelProto['opsetImport'];
  private readonly used = new Set<string>();
  private counter = 0;

  /** Starts a new graph, or extends `base` in place (its nodes, names and opsets are kept). */
  constructor(base?: ModelProto, opts: { name?: string; opset?: number } = {}) {
    if (base) {
      this.graph = base.graph;
      this.opsetImport = base.opsetImport;
      const g = base.graph;
      for (const v of [...g.input, ...g.output, ...g.valueInfo]) this.used.add(v.name);
      for (const t of g.initializer) this.used.add(t.name);
      for (const n of g.node) {
        if (n.name) this.used.add(n.name);
        for (const o of n.output) this.used.add(o);
      }
    } else {
      this.graph = { name: opts.name ?? 'graph', node: [], initializer: [], input: [], output: [], valueInfo: [] };
      this.opsetImport = [{ domain: '', version: opts.opset ?? DEFAULT_OPSET }];
    }
  }

  /** A name not yet used in the graph, starting with `prefix`. */
  unique(prefix: string): string {
    let name = prefix;
    while (this.used.has(name)) name = `${prefix}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name; throws if it is taken. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`Name "${name}" is already used in the graph`);
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: DataTypeCode, shape: Dim[]): string {
    this.graph.input.push({ name: this.reserve(name), elemType, shape });
    return name;
  }

  /** Marks an existing value as a graph output (optionally with type and shape). */
  output(name: string, elemType: DataTypeCode = DataType.FLOAT, shape?: Dim[]): void {
    this.graph.output.push(shape ? { name, elemType, shape } : { name, elemType });
  }

  /** Adds an initializer holding `data` (not copied) and returns its name. */
  constant(data: TypedArray, dims: readonly number[], opts: { name?: string; dataType?: DataTypeCode } = {}): string {
    const name = opts.name ? this.reserve(opts.name) : this.unique('const');
    this.graph.initializer.push(makeTensor(name, data, dims, opts.dataType));
    return name;
  }

  scalar(value: number, dataType: DataTypeCode = DataType.FLOAT): string {
    if (dataType === DataType.INT64) return this.constant(BigInt64Array.of(BigInt(value)), []);
    if (dataType === DataType.FLOAT) return this.constant(Float32Array.of(value), []);
    throw new Error(`scalar(): unsupported data type ${dataType}`);
  }

  /** An int64 1-D constant, as shape-like ops (Reshape, Slice, Expand, …) take. */
  ints(values: readonly number[]): string {
    return this.constant(BigInt64Array.from(values, toInt64), [values.length]);
  }

  addInitializer(t: TensorProto): string {
    this.reserve(t.name);
    this.graph.initializer.push(t);
    return t.name;
  }

  /** Appends a node; returns its output names. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, opts: NodeOptions = {}): string[] {
    const base = opType.toLowerCase();
    const outputs = Array.isArray(opts.outputs)
      ? opts.outputs.map((o) => (o === '' ? '' : this.reserve(o)))
      : Array.from({ length: opts.outputs ?? 1 }, () => this.unique(base));
    const node: NodeProto = {
      name: opts.name ? this.reserve(opts.name) : this.unique(`${opType}_node`),
      opType,
      domain: opts.domain ?? '',
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    };
    if (node.domain && !this.opsetImport.some((o) => o.domain === node.domain))
      this.opsetImport.push({ domain: node.domain, version: 1 });
    this.graph.node.push(node);
    return outputs;
  }

  /** A single-output node; returns its output name. */
  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrInput> = {},
    opts: Omit<NodeOptions, 'outputs'> & { output?: string } = {},
  ): string {
    const { output, ...rest } = opts;
    return this.node(opType, inputs, attrs, { ...rest, outputs: output ? [output] : 1 })[0]!;
  }

  toModel(extra: Partial<Omit<ModelProto, 'graph' | 'opsetImport'>> = {}): ModelProto {
    return {
      irVersion: 8,
      producerName: 'aeslens',
      metadataProps: [],
      ...extra,
      opsetImport: this.opsetImport,
      graph: this.graph,
    };
  }
}

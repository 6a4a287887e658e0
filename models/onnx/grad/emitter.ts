// Helpers the vector-Jacobian-product rules use to emit plain ONNX ops into the graph.
import { attrInt, describeNode } from '../attrs.ts';
import type { GraphBuilder, AttrInput } from '../builder.ts';
import { isStatic, productOf } from '../dims.ts';
import { DataType, type DataTypeCode, type Dim, type NodeProto } from '../modelProto.ts';
import { normAxis, type TensorInfo } from '../shapes.ts';
import { floatToHalf, type TypedArray } from '../tensor.ts';

export const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** Thrown for an op or configuration the autodiff does not cover; names the node. */
export class UnsupportedGradientError extends Error {}

export class GradEmitter {
  /** Float type of the node being differentiated: constants are created in this type. */
  dtype: DataTypeCode = DataType.FLOAT;
  /** The node being differentiated (for error messages). */
  node?: NodeProto;
  /**
   * Set while a rule runs on `view`, node `of` restricted to rows start … start+len−1 of `axis`
   * (models/onnx/grad/compact.ts): forward outputs it asks for are `of`'s, sliced the same way.
   */
  rowView?: { view: NodeProto; of: NodeProto; axis: number; start: number; len: number };
  private readonly shapeCache = new Map<string, string>();
  private readonly rowsCache = new Map<string, string>();
  private readonly constCache = new Map<string, string>();

  constructor(
    readonly b: GraphBuilder,
    readonly info: Map<string, TensorInfo>,
    readonly opset: number,
  ) {}

  /** An error naming the node being differentiated; rules `throw e.error(...)`. */
  error(why: string): UnsupportedGradientError {
    return new UnsupportedGradientError(
      `Cannot differentiate ${this.node ? describeNode(this.node) : 'graph'}: ${why}`,
    );
  }

  op(type: string, inputs: string[], attrs: Record<string, AttrInput> = {}): string {
    return this.b.op(type, inputs, attrs);
  }

  /**
   * Outputs `indices` of forward node `n`, named and added to the node where it does not produce
   * them yet (optional statistics the forward pass computes anyway, so the backward pass need not
   * recompute them); `info` gives their types and shapes. Undefined if `n` is not in this graph.
   */
  forwardOutputs(n: NodeProto, indices: readonly number[], info: readonly TensorInfo[]): string[] | undefined {
    const rows = this.rowView;
    if (rows && n === rows.view) {
      const full = this.shape(rows.of.input[0]!)[rows.axis]!;
      const wide = info.map((t) => ({ ...t, shape: t.shape?.map((d, i) => (i === rows.axis ? full : d)) }));
      return this.forwardOutputs(rows.of, indices, wide)?.map((t) => this.rows(t, rows.axis, rows.start, rows.len));
    }
    if (!this.b.graph.node.includes(n)) return undefined;
    const output = [...n.output];
    indices.forEach((i, k) => {
      while (output.length <= i) output.push('');
      if (output[i]) return;
      output[i] = this.b.unique(`${n.output[0]}_${i}`);
      this.info.set(output[i], info[k]!);
    });
    n.output = output;
    return indices.map((i) => output[i]!);
  }

  /**
   * Rows start … start+len−1 of tensor `t` along `axis`, with their shape recorded; one Slice per
   * distinct request, so ops that share an operand share its rows.
   */
  rows(t: string, axis: number, start: number, len: number): string {
    const key = `${t}|${axis}|${start}|${len}`;
    let rows = this.rowsCache.get(key);
    if (!rows) {
      rows = this.slice(t, [start], [start + len], [axis]);
      const info = this.info.get(t);
      this.info.set(rows, { elemType: info?.elemType, shape: info?.shape?.map((d, i) => (i === axis ? len : d)) });
      this.rowsCache.set(key, rows);
    }
    return rows;
  }

  /** Static shape of a forward tensor (symbolic dims allowed); throws if the rank is unknown. */
  shape(t: string): Dim[] {
    const s = this.info.get(t)?.shape;
    if (!s) throw this.error(`the rank of "${t}" is unknown (run shape inference or declare the input shapes)`);
    return s;
  }

  rank(t: string): number {
    return this.shape(t).length;
  }

  /** Static dims of `t`, or a failure naming `what` needs them. */
  staticShape(t: string, what: string): number[] {
    const s = this.shape(t);
    if (!s.every(isStatic)) throw this.error(`${what} needs static dims, "${t}" has shape [${s.join(', ')}]`);
    return s;
  }

  elemType(t: string): DataTypeCode | undefined {
    return this.info.get(t)?.elemType;
  }

  /** Runtime shape of a tensor (one Shape node per tensor). */
  shapeOf(t: string): string {
    let s = this.shapeCache.get(t);
    if (!s) {
      s = this.op('Shape', [t]);
      this.shapeCache.set(t, s);
    }
    return s;
  }

  /** A shape operand for Reshape/Expand: a constant when `t` has static dims, else Shape(t). */
  shapeTensor(t: string): string {
    const s = this.info.get(t)?.shape;
    return s && s.every(isStatic) ? this.ints(s) : this.shapeOf(t);
  }

  ints(values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    let c = this.constCache.get(key);
    if (!c) {
      c = this.b.ints(values);
      this.constCache.set(key, c);
    }
    return c;
  }

  /** A float constant of the current dtype. */
  floats(values: readonly number[], dims: readonly number[]): string {
    let data: TypedArray;
    if (this.dtype === DataType.DOUBLE) data = Float64Array.from(values);
    else if (this.dtype === DataType.FLOAT16) data = Uint16Array.from(values, floatToHalf);
    else if (this.dtype === DataType.FLOAT) data = Float32Array.from(values);
    else throw this.error(`unsupported float type ${this.dtype}`);
    return this.b.constant(data, dims, { dataType: this.dtype });
  }

  /** A scalar constant of the current dtype (shared between uses). */
  k(value: number): string {
    const key = `${this.dtype}:${value}`;
    let c = this.constCache.get(key);
    if (!c) {
      c = this.floats([value], []);
      this.constCache.set(key, c);
    }
    return c;
  }

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  neg(a: string): string {
    return this.op('Neg', [a]);
  }

  transpose(t: string, perm: number[]): string {
    return this.op('Transpose', [t], { perm });
  }

  reshape(t: string, shape: readonly number[]): string {
    return this.op('Reshape', [t, this.ints(shape)]);
  }

  /** Reshapes `g` to the shape of forward tensor `like`. */
  reshapeLike(g: string, like: string): string {
    return this.op('Reshape', [g, this.shapeTensor(like)]);
  }

  expandLike(g: string, like: string): string {
    return this.op('Expand', [g, this.shapeTensor(like)]);
  }

  zerosLike(t: string): string {
    return this.expandLike(this.k(0), t);
  }

  reduceSum(t: string, axes: readonly number[], keepdims: boolean): string {
    if (!axes.length) return t;
    const keep = keepdims ? 1 : 0;
    if (this.opset >= 13) return this.op('ReduceSum', [t, this.ints(axes)], { keepdims: keep });
    return this.op('ReduceSum', [t], { axes: [...axes], keepdims: keep });
  }

  reduceMean(t: string, axes: readonly number[], keepdims: boolean): string {
    const keep = keepdims ? 1 : 0;
    if (this.opset >= 18) return this.op('ReduceMean', [t, this.ints(axes)], { keepdims: keep });
    return this.op('ReduceMean', [t], { axes: [...axes], keepdims: keep });
  }

  unsqueeze(t: string, axes: readonly number[]): string {
    if (!axes.length) return t;
    if (this.opset >= 13) return this.op('Unsqueeze', [t, this.ints(axes)]);
    return this.op('Unsqueeze', [t], { axes: [...axes] });
  }

  /** Slice along `axes` with static starts/ends (step 1). */
  slice(t: string, starts: readonly number[], ends: readonly number[], axes: readonly number[]): string {
    return this.op('Slice', [t, this.ints(starts), this.ints(ends), this.ints(axes)]);
  }

  /** Zero-pads `t`: pads = [begin_0..begin_r-1, end_0..end_r-1]. */
  pad(t: string, pads: readonly number[]): string {
    if (pads.every((p) => p === 0)) return t;
    return this.op('Pad', [t, this.ints(pads)], { mode: 'constant' });
  }

  cast(t: string, to: DataTypeCode): string {
    return this.op('Cast', [t], { to });
  }

  /** 1 / (number of elements of x over `axes`): a constant when those dims are static. */
  inverseCount(x: string, axes: readonly number[]): string {
    const s = this.shape(x);
    const count = productOf(axes.map((a) => s[a]!));
    if (isStatic(count)) return this.k(1 / count);
    const dims = this.op('Gather', [this.shapeOf(x), this.ints(axes)], { axis: 0 });
    return this.div(this.k(1), this.cast(this.op('ReduceProd', [dims], { keepdims: 0 }), this.dtype));
  }

  /**
   * Sums gradient `g` (shape `gShape`, broadcast from forward tensor `x`) back to x's shape:
   * over leading extra axes and over axes where x has a static 1 that g does not.
   */
  unbroadcast(g: string, gShape: readonly Dim[], x: string): string {
    const xs = this.shape(x);
    const lead = gShape.length - xs.length;
    if (lead < 0) throw this.error(`gradient of rank ${gShape.length} cannot reduce to "${x}" of rank ${xs.length}`);
    const axes: number[] = [];
    for (let i = 0; i < gShape.length; i++) if (i < lead || (xs[i - lead] === 1 && gShape[i] !== 1)) axes.push(i);
    if (!axes.length && lead === 0) return g;
    const summed = this.reduceSum(g, axes, true);
    return lead ? this.reshapeLike(summed, x) : summed;
  }

  /** Normalised reduce axes of a Reduce* node over input `x` (all axes when none are given). */
  reduceAxes(n: NodeProto, x: string): number[] | 'noop' {
    const r = this.rank(x);
    const fromInput = n.opType === 'ReduceSum' ? this.opset >= 13 : this.opset >= 18;
    let axes: Dim[] | undefined;
    if (fromInput) {
      if (n.input[1]) {
        axes = this.info.get(n.input[1])?.value;
        if (!axes || !axes.every((a) => typeof a === 'number')) throw this.error('reduce axes must be constant');
      }
    } else
      axes = n.attribute.find((a) => a.name === 'axes' && a.attr.type === 'ints')?.attr.value as number[] | undefined;
    if (!axes || !axes.length) {
      if (attrInt(n, 'noop_with_empty_axes', 0) === 1) return 'noop';
      return Array.from({ length: r }, (_, i) => i);
    }
    return [...new Set((axes as number[]).map((a) => normAxis(a, r)))].sort((a, b) => a - b);
  }
}

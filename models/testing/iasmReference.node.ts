// Independent LayerCAM reference for tests: the forward graph is split at the target A, the
// downstream half runs in float64 with onnxruntime-node, ∂y/∂A comes from central finite differences
// (y computed in plain TypeScript from the model output), and the CAM, the bilinear upsampling and
// the normalisation are plain TypeScript. Nothing here uses the IASM graph code.
import * as ort from 'onnxruntime-node';
import { addOutput, removeDeadNodes, setOutputs } from '../onnx/graph.ts';
import {
  DataType,
  encodeModel,
  makeTensor,
  tensorToFloat32,
  type ModelProto,
  type TensorProto,
} from '../onnx/index.ts';
import { cloneModelShallow } from '../iasm/graphEdit.ts';
import { LAION_HEADS } from '../iasm/heads.ts';

/** Runs `model` and returns the named tensors as float64 arrays with their dims. */
export async function runFloat(model: ModelProto, feeds: Record<string, ort.Tensor>, names: string[]) {
  const session = await ort.InferenceSession.create(encodeModel(model));
  const out = await session.run(feeds, names);
  await session.release();
  return Object.fromEntries(
    names.map((n) => [n, { data: Float64Array.from(out[n]!.data as Float32Array), dims: [...out[n]!.dims] }]),
  );
}

/** The source model with `target` exposed as an extra output. */
export function withOutput(model: ModelProto, target: string): ModelProto {
  const m = cloneModelShallow(model);
  addOutput(m.graph, target, { elemType: DataType.FLOAT });
  return m;
}

/** The part of the graph from `target` (now an input) to `output`, converted to float64. */
export function downstreamFloat64(model: ModelProto, target: string, output: string): ModelProto {
  const m = cloneModelShallow(model);
  const g = m.graph;
  for (const n of g.node) n.output = n.output.map((o) => (o === target ? `${target}__cut` : o));
  g.input.push({ name: target, elemType: DataType.FLOAT });
  setOutputs(g, [output]);
  removeDeadNodes(g);
  g.input = g.input.filter((v) => g.node.some((n) => n.input.includes(v.name)));
  for (const v of [...g.input, ...g.output]) if (v.elemType === DataType.FLOAT) v.elemType = DataType.DOUBLE;
  g.valueInfo = [];
  g.initializer = g.initializer.map(toDouble);
  for (const n of g.node) {
    for (const a of n.attribute) {
      if (n.opType === 'Cast' && a.name === 'to' && a.attr.type === 'int' && a.attr.value === DataType.FLOAT)
        a.attr = { type: 'int', value: DataType.DOUBLE };
      if (a.attr.type === 'tensor') a.attr = { type: 'tensor', value: toDouble(a.attr.value) };
    }
  }
  return m;
}

function toDouble(t: TensorProto): TensorProto {
  if (t.dataType !== DataType.FLOAT) return t;
  return makeTensor(t.name, Float64Array.from(tensorToFloat32(t)), t.dims);
}

/**
 * Central-difference gradient of y = score(output of `downstream`) w.r.t. every element of `a`,
 * perturbations run as float64 batches (the downstream graph must accept a batch dimension).
 */
export async function finiteDifferenceGradient(
  downstream: ModelProto,
  target: string,
  output: string,
  a: { data: Float64Array; dims: number[] },
  score: (row: Float64Array) => number,
  step = 1e-4,
): Promise<Float64Array> {
  const n = a.data.length;
  // Basic optimisation only: ORT's extended fusions (e.g. QuickGelu) have float32-only kernels.
  const session = await ort.InferenceSession.create(encodeModel(downstream), { graphOptimizationLevel: 'basic' });
  const rows = 2 * n;
  const chunk = 256;
  const ys = new Float64Array(rows);
  for (let start = 0; start < rows; start += chunk) {
    const count = Math.min(chunk, rows - start);
    const batch = new Float64Array(count * n);
    for (let r = 0; r < count; r++) {
      const row = start + r;
      const j = row >> 1;
      batch.set(a.data, r * n);
      batch[r * n + j]! += (row & 1 ? -1 : 1) * stepFor(a.data[j]!, step);
    }
    const feed = new ort.Tensor('float64', batch, [count, ...a.dims.slice(1)]);
    const values = (await session.run({ [target]: feed }))[output]!.data as Float64Array;
    const width = values.length / count;
    for (let r = 0; r < count; r++) ys[start + r] = score(values.subarray(r * width, (r + 1) * width));
  }
  await session.release();
  return Float64Array.from({ length: n }, (_, j) => (ys[2 * j]! - ys[2 * j + 1]!) / (2 * stepFor(a.data[j]!, step)));
}

const stepFor = (value: number, step: number) => step * Math.max(1, Math.abs(value));

/** Relu(Σ_channels Relu(g) ⊙ A) as a row-major h×w grid. */
export function layerCam(
  a: Float64Array,
  g: Float64Array,
  dims: number[],
  layout: 'nchw' | 'tokens',
  clsToken: boolean,
): { cam: Float64Array; h: number; w: number } {
  if (layout === 'nchw') {
    const [, c, h, w] = dims as [number, number, number, number];
    const cam = new Float64Array(h * w);
    for (let k = 0; k < c; k++)
      for (let i = 0; i < h * w; i++) cam[i]! += Math.max(0, g[k * h * w + i]!) * a[k * h * w + i]!;
    return { cam: cam.map((v) => Math.max(0, v)), h, w };
  }
  const [, t, d] = dims as [number, number, number];
  const first = clsToken ? 1 : 0;
  const side = Math.round(Math.sqrt(t - first));
  const cam = new Float64Array(side * side);
  for (let i = 0; i < side * side; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += Math.max(0, g[(i + first) * d + k]!) * a[(i + first) * d + k]!;
    cam[i] = Math.max(0, s);
  }
  return { cam, h: side, w: side };
}

/** Bilinear resize with half-pixel centres and edge clamping (ONNX Resize linear / half_pixel). */
export function resizeBilinear(src: Float64Array, h: number, w: number, H: number, W: number): Float64Array {
  const out = new Float64Array(H * W);
  const coord = (o: number, inSize: number, outSize: number) => {
    const x = Math.min(Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    const x0 = Math.floor(x);
    return { x0, x1: Math.min(x0 + 1, inSize - 1), f: x - x0 };
  };
  for (let y = 0; y < H; y++) {
    const cy = coord(y, h, H);
    for (let x = 0; x < W; x++) {
      const cx = coord(x, w, W);
      const top = src[cy.x0 * w + cx.x0]! * (1 - cx.f) + src[cy.x0 * w + cx.x1]! * cx.f;
      const bottom = src[cy.x1 * w + cx.x0]! * (1 - cx.f) + src[cy.x1 * w + cx.x1]! * cx.f;
      out[y * W + x] = top * (1 - cy.f) + bottom * cy.f;
    }
  }
  return out;
}

export function minMaxNormalise(x: Float64Array, eps = 1e-7): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return x.map((v) => (v - min) / (max - min + eps));
}

/** Largest |a − b| over the arrays, divided by the largest |b| (relative error on the map's scale). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

const laion = LAION_HEADS['laion-v1-vit-b-16'];

/** The LAION-Aesthetics V1 ViT-B/16 score of a CLIP embedding, in plain TypeScript. */
export const laionScore = (e: Float64Array): number => {
  const norm = Math.sqrt(e.reduce((s, v) => s + v * v, 0));
  return e.reduce((s, v, i) => s + (v / norm) * laion.weight[i]!, 0) + laion.bias;
};

export interface LayerCamReference {
  score: number;
  classIndex: number;
  cam: Float64Array;
  camH: number;
  camW: number;
  saliency: Float64Array;
}

/** Finite-difference LayerCAM of `source` at `target`, with y = score(output) in TypeScript. */
export async function layerCamReference(
  source: ModelProto,
  inputName: string,
  pixels: Float32Array,
  size: number,
  target: string,
  output: string,
  score: (row: Float64Array) => number,
  classOf: (row: Float64Array) => number,
  layout: 'nchw' | 'tokens',
  clsToken: boolean,
): Promise<LayerCamReference> {
  const feeds = { [inputName]: new ort.Tensor('float32', pixels, [1, 3, size, size]) };
  const forward = await runFloat(withOutput(source, target), feeds, [target, output]);
  const a = forward[target]!;
  const out = forward[output]!.data;
  const g = await finiteDifferenceGradient(downstreamFloat64(source, target, output), target, output, a, score);
  const { cam, h, w } = layerCam(a.data, g, a.dims, layout, clsToken);
  return {
    score: score(out),
    classIndex: classOf(out),
    cam,
    camH: h,
    camW: w,
    saliency: minMaxNormalise(resizeBilinear(cam, h, w, size, size)),
  };
}

// Plain float64 forward pass of the ViT and IAS-ViT, written loop by loop from the
// definitions: the independent oracle the ONNX graphs are tested against. Slow; tiny configs only.
import type { VitConfig } from '../vit/vit.ts';
import type { Weights } from '../vit/weights.ts';

type Matrix = Float64Array[]; // rows of tokens

const f64 = (w: Weights, name: string) => Float64Array.from(w.get(name).data);

/** erf to ~1e-15 (Taylor series near 0, continued fraction in the tails). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
  let frac = ax;
  for (let n = 60; n >= 1; n--) frac = ax + n / 2 / frac;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / frac);
}

function act(v: number, kind: VitConfig['activation']): number {
  if (kind === 'quick_gelu') return v / (1 + Math.exp(-1.702 * v));
  if (kind === 'gelu') return 0.5 * v * (1 + erf(v / Math.SQRT2));
  return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
}

function norm(x: Matrix, gamma: Float64Array, beta: Float64Array, eps: number): Matrix {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[j]! + beta[j]!);
  });
}

/** y = x·Wᵀ + b with W in PyTorch [out, in] layout. */
function dense(x: Matrix, w: Float64Array, b: Float64Array | undefined, out: number): Matrix {
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let acc = b ? b[o]! : 0;
      for (let k = 0; k < row.length; k++) acc += row[k]! * w[o * row.length + k]!;
      y[o] = acc;
    }
    return y;
  });
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
}

function mha(qIn: Matrix, kvIn: Matrix, w: Weights, name: string, heads: number): Matrix {
  const D = qIn[0]!.length;
  const hd = D / heads;
  const q = dense(qIn, f64(w, `${name}.q_proj.weight`), f64(w, `${name}.q_proj.bias`), D);
  const k = dense(kvIn, f64(w, `${name}.k_proj.weight`), f64(w, `${name}.k_proj.bias`), D);
  const v = dense(kvIn, f64(w, `${name}.v_proj.weight`), f64(w, `${name}.v_proj.bias`), D);
  const ctx = q.map(() => new Float64Array(D));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < q.length; i++) {
      const scores = k.map((kr) => {
        let dot = 0;
        for (let d = 0; d < hd; d++) dot += q[i]![h * hd + d]! * kr[h * hd + d]!;
        return dot / Math.sqrt(hd);
      });
      const max = Math.max(...scores);
      const e = scores.map((sc) => Math.exp(sc - max));
      const z = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < k.length; j++)
        for (let d = 0; d < hd; d++) ctx[i]![h * hd + d]! += (e[j]! / z) * v[j]![h * hd + d]!;
    }
  }
  return dense(ctx, f64(w, `${name}.out_proj.weight`), f64(w, `${name}.out_proj.bias`), D);
}

export interface ReferenceFusion {
  weights: Weights;
  blocks: number[];
  heads: number;
  lnEps: number;
  /** The saliency map at the patch grid, row-major [grid·grid]. */
  saliency: Float64Array;
}

/** last_hidden_state [T][D] of one image (pixels CHW, row-major), optionally with IAS-ViT fusion. */
export function referenceForward(w: Weights, c: VitConfig, pixels: Float64Array, fusion?: ReferenceFusion): Matrix {
  const p = c.prefix;
  const D = c.hidden;
  const side = c.grid * c.patch;
  const conv = f64(w, `${p}embeddings.patch_embedding.weight`);
  const convBias = w.has(`${p}embeddings.patch_embedding.bias`)
    ? f64(w, `${p}embeddings.patch_embedding.bias`)
    : undefined;
  let x: Matrix = [];
  if (c.cls) x.push(f64(w, `${p}embeddings.class_embedding`));
  for (let gy = 0; gy < c.grid; gy++)
    for (let gx = 0; gx < c.grid; gx++) {
      const t = new Float64Array(D);
      for (let o = 0; o < D; o++) {
        let acc = convBias ? convBias[o]! : 0;
        for (let ch = 0; ch < c.channels; ch++)
          for (let ky = 0; ky < c.patch; ky++)
            for (let kx = 0; kx < c.patch; kx++)
              acc +=
                conv[((o * c.channels + ch) * c.patch + ky) * c.patch + kx]! *
                pixels[(ch * side + gy * c.patch + ky) * side + gx * c.patch + kx]!;
        t[o] = acc;
      }
      x.push(t);
    }
  const pos = f64(w, `${p}embeddings.position_embedding.weight`);
  x = x.map((row, i) => row.map((v, j) => v + pos[i * D + j]!));
  if (c.preNorm) x = norm(x, f64(w, `${p}pre_layrnorm.weight`), f64(w, `${p}pre_layrnorm.bias`), c.lnEps);

  let s: Matrix | undefined;
  if (fusion) {
    const fw = fusion.weights;
    const ew = f64(fw, 'ias.saliency_embed.weight');
    const eb = f64(fw, 'ias.saliency_embed.bias');
    const spos = f64(fw, 'ias.saliency_position');
    s = [];
    if (c.cls) s.push(f64(fw, 'ias.saliency_cls'));
    for (const cell of fusion.saliency) s.push(ew.map((wv, j) => wv * cell + eb[j]!));
    s = s.map((row, i) => row.map((v, j) => v + spos[i * D + j]!));
  }

  for (let l = 0; l < c.layers; l++) {
    const n = `${p}encoder.layers.${l}`;
    const h1 = norm(x, f64(w, `${n}.layer_norm1.weight`), f64(w, `${n}.layer_norm1.bias`), c.lnEps);
    x = add(x, mha(h1, h1, w, `${n}.self_attn`, c.heads));
    if (fusion && s && fusion.blocks.includes(l)) {
      const fn = `ias.blocks.${l}`;
      const fw = fusion.weights;
      const qIn = norm(s, f64(fw, `${fn}.norm_s.weight`), f64(fw, `${fn}.norm_s.bias`), fusion.lnEps);
      const kvIn = norm(x, f64(fw, `${fn}.norm_c.weight`), f64(fw, `${fn}.norm_c.bias`), fusion.lnEps);
      x = add(x, mha(qIn, kvIn, fw, `${fn}.cross_attn`, fusion.heads));
    }
    const h = norm(x, f64(w, `${n}.layer_norm2.weight`), f64(w, `${n}.layer_norm2.bias`), c.lnEps);
    const up = dense(h, f64(w, `${n}.mlp.fc1.weight`), f64(w, `${n}.mlp.fc1.bias`), c.mlp).map((r) =>
      r.map((v) => act(v, c.activation)),
    );
    x = add(x, dense(up, f64(w, `${n}.mlp.fc2.weight`), f64(w, `${n}.mlp.fc2.bias`), D));
  }
  if (c.postNorm === 'tokens')
    x = norm(x, f64(w, `${p}post_layernorm.weight`), f64(w, `${p}post_layernorm.bias`), c.lnEps);
  return x;
}

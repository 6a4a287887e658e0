// Bicubic resampling as Pillow does it for CLIP's preprocessing (`Image.resize(..., BICUBIC)`, the
// resample CLIPImageProcessor and OpenAI's CLIP transform use): a separable filter whose support
// widens with the downscale factor (antialiasing), weights normalised per output pixel, the
// horizontal pass first, each pass rounded and clamped to 8 bits as Pillow does for 8-bit images.
import type { RgbaImage } from './preprocess.ts';

/** Keys' cubic with a = −0.5 (Pillow's BICUBIC), support 2. */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/** A window of output pixels [x, x + width) × [y, y + height) of the full resized image. */
export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Taps {
  /** First input index of each output pixel. */
  first: Int32Array;
  /** Number of taps of each output pixel. */
  count: Int32Array;
  /** Weights, `stride` per output pixel. */
  weights: Float32Array;
  stride: number;
}

/** Pillow's precompute_coeffs for output pixels [from, from + n) of an inSize → outSize resize. */
function taps(inSize: number, outSize: number, from: number, n: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float32Array(n * stride);
  for (let i = 0; i < n; i++) {
    const centre = (from + i + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let total = 0;
    for (let x = lo; x < hi; x++) total += cubic((x - centre + 0.5) / filterScale);
    for (let x = lo; x < hi; x++)
      weights[i * stride + x - lo] = total === 0 ? 0 : cubic((x - centre + 0.5) / filterScale) / total;
    first[i] = lo;
    count[i] = hi - lo;
  }
  return { first, count, weights, stride };
}

const clamp8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/**
 * The `window` of `src` resized to outWidth × outHeight (aspect as given) with Pillow's bicubic, as
 * RGBA (alpha 255). Only the source rows and columns the window needs are read.
 */
export function resizeBicubic(
  src: RgbaImage,
  outWidth: number,
  outHeight: number,
  window: Window = { x: 0, y: 0, width: outWidth, height: outHeight },
): RgbaImage {
  const { width: w, height: h } = window;
  const cols = taps(src.width, outWidth, window.x, w);
  const rows = taps(src.height, outHeight, window.y, h);
  const rowLo = rows.first[0]!;
  const rowHi = rows.first[h - 1]! + rows.count[h - 1]!;
  // Horizontal pass over the source rows the window's rows read: RGB, 8 bits.
  const mid = new Uint8ClampedArray((rowHi - rowLo) * w * 3);
  const data = src.data;
  for (let r = rowLo; r < rowHi; r++) {
    const srcRow = r * src.width;
    const midRow = (r - rowLo) * w * 3;
    for (let j = 0; j < w; j++) {
      const n = cols.count[j]!;
      const k0 = j * cols.stride;
      let p = (srcRow + cols.first[j]!) * 4;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let k = 0; k < n; k++, p += 4) {
        const wt = cols.weights[k0 + k]!;
        sr += data[p]! * wt;
        sg += data[p + 1]! * wt;
        sb += data[p + 2]! * wt;
      }
      const o = midRow + j * 3;
      mid[o] = clamp8(sr);
      mid[o + 1] = clamp8(sg);
      mid[o + 2] = clamp8(sb);
    }
  }
  // Vertical pass.
  const out = new Uint8ClampedArray(w * h * 4);
  const rowStride = w * 3;
  for (let i = 0; i < h; i++) {
    const n = rows.count[i]!;
    const k0 = i * rows.stride;
    const base = (rows.first[i]! - rowLo) * rowStride;
    for (let j = 0; j < w; j++) {
      let p = base + j * 3;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let k = 0; k < n; k++, p += rowStride) {
        const wt = rows.weights[k0 + k]!;
        sr += mid[p]! * wt;
        sg += mid[p + 1]! * wt;
        sb += mid[p + 2]! * wt;
      }
      const o = (i * w + j) * 4;
      out[o] = clamp8(sr);
      out[o + 1] = clamp8(sg);
      out[o + 2] = clamp8(sb);
      out[o + 3] = 255;
    }
  }
  return { data: out, width: w, height: h };
}

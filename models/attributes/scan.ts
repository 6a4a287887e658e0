// The one full-resolution pass over a photo: every statistic that needs all pixels is gathered here,
// together with the luma plane resized to the focus/composition working size.
import type { RgbaPixels } from './types.ts';

/** Longest side of the resized luma plane the focus and horizon measurements use. */
export const WORKING_SIZE = 1024;

/** Clipping thresholds on max(R, G, B). */
export const HIGHLIGHT_CLIP = 250;
export const SHADOW_CLIP = 5;

export interface PixelScan {
  width: number;
  height: number;
  pixels: number;
  /** Counts, 256 bins each. */
  lumaCounts: Uint32Array;
  redCounts: Uint32Array;
  greenCounts: Uint32Array;
  blueCounts: Uint32Array;
  /** Sums of Y (0–255) and Y². */
  lumaSum: number;
  lumaSquares: number;
  highlightCount: number;
  shadowCount: number;
  /** Sums of rg = R − G and 2·yb = R + G − 2B, and of their squares (exact integers). */
  rgSum: number;
  rgSquares: number;
  yb2Sum: number;
  yb2Squares: number;
  /** Luma (0–255) resized so the longest side is WORKING_SIZE. */
  luma: Float32Array;
  lumaWidth: number;
  lumaHeight: number;
}

export function workingSize(width: number, height: number): { width: number; height: number } {
  const scale = WORKING_SIZE / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** For each source index, the target bin when shrinking n to m ≤ n (each source pixel in exactly one bin). */
function bins(n: number, m: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor((i * m) / n);
  return out;
}

export function scanPixels(image: RgbaPixels): PixelScan {
  const { data, width: W, height: H } = image;
  if (W < 1 || H < 1 || data.length < W * H * 4) throw new Error(`scanPixels: bad image ${W}×${H}`);
  const target = workingSize(W, H);
  // Shrinking averages the source pixels of each target pixel; growing is bilinear, after this pass.
  const shrink = target.width < W;
  const BW = shrink ? target.width : W;
  const BH = shrink ? target.height : H;
  const colBin = bins(W, BW);
  const rowBin = bins(H, BH);
  const binned = new Float64Array(BW * BH);

  // Two copies of each histogram (even and odd columns): neighbouring pixels often share a value,
  // and alternating copies keeps the increments from waiting on each other.
  const hy = new Uint32Array(512);
  const hr = new Uint32Array(512);
  const hg = new Uint32Array(512);
  const hb = new Uint32Array(512);
  let lumaSquares = 0;
  let highlights = 0;
  let shadows = 0;
  let rgSquares = 0;
  let ybSquares = 0;
  // Luma summed per source column over the rows of one working row, folded into it when it ends.
  const columns = new Float64Array(W);
  const words = rgbaWords(data, W * H);
  let p = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++, p++) {
      const v = words[p]!;
      const r = v & 255;
      const g = (v >>> 8) & 255;
      const b = (v >>> 16) & 255;
      const copy = (x & 1) << 8;
      hr[copy + r]!++;
      hg[copy + g]!++;
      hb[copy + b]!++;
      const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      columns[x]! += l;
      lumaSquares += l * l;
      hy[copy + ((l + 0.5) | 0)]!++;
      // max(R, G, B) ≥ 250 and ≤ 5 without branches: in a photo the channel order is unpredictable.
      highlights += (r >= HIGHLIGHT_CLIP ? 1 : 0) | (g >= HIGHLIGHT_CLIP ? 1 : 0) | (b >= HIGHLIGHT_CLIP ? 1 : 0);
      shadows += (r <= SHADOW_CLIP ? 1 : 0) & (g <= SHADOW_CLIP ? 1 : 0) & (b <= SHADOW_CLIP ? 1 : 0);
      const rg = r - g;
      const yb = r + g - 2 * b;
      rgSquares += rg * rg;
      ybSquares += yb * yb;
    }
    if (y === H - 1 || rowBin[y + 1] !== rowBin[y]) {
      const rowOffset = rowBin[y]! * BW;
      for (let x = 0; x < W; x++) binned[rowOffset + colBin[x]!]! += columns[x]!;
      columns.fill(0);
    }
  }
  const [lumaCounts, redCounts, greenCounts, blueCounts] = [hy, hr, hg, hb].map(merge) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  // Plain sums follow exactly from the channel histograms.
  const [sr, sg, sb] = [redCounts, greenCounts, blueCounts].map((h) => h.reduce((s, c, v) => s + c * v, 0)) as [
    number,
    number,
    number,
  ];
  const luma = shrink ? averageBins(binned, colBin, rowBin, BW, BH) : growBilinear(binned, W, H, target);
  return {
    width: W,
    height: H,
    pixels: W * H,
    lumaCounts,
    redCounts,
    greenCounts,
    blueCounts,
    lumaSum: 0.2126 * sr + 0.7152 * sg + 0.0722 * sb,
    lumaSquares,
    highlightCount: highlights,
    shadowCount: shadows,
    rgSum: sr - sg,
    rgSquares,
    yb2Sum: sr + sg - 2 * sb,
    yb2Squares: ybSquares,
    luma,
    lumaWidth: target.width,
    lumaHeight: target.height,
  };
}

const merge = (h: Uint32Array): Uint32Array => h.subarray(0, 256).map((c, v) => c + h[256 + v]!);

/**
 * The pixels as one 32-bit word each (R in the low byte: little-endian, as every platform the app
 * runs on); copied first only when the bytes do not start on a 4-byte boundary.
 */
function rgbaWords(data: RgbaPixels['data'], n: number): Uint32Array {
  const bytes = data.byteOffset % 4 === 0 ? data : new Uint8Array(data.subarray(0, n * 4));
  return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
}

function averageBins(sums: Float64Array, colBin: Int32Array, rowBin: Int32Array, BW: number, BH: number): Float32Array {
  const cols = new Float64Array(BW);
  const rows = new Float64Array(BH);
  for (const c of colBin) cols[c]!++;
  for (const r of rowBin) rows[r]!++;
  const out = new Float32Array(BW * BH);
  for (let y = 0; y < BH; y++) for (let x = 0; x < BW; x++) out[y * BW + x] = sums[y * BW + x]! / (rows[y]! * cols[x]!);
  return out;
}

/** Bilinear resampling with pixel centres aligned ((i + 0.5) · n / m − 0.5), edges clamped. */
export function growBilinear(
  src: ArrayLike<number>,
  W: number,
  H: number,
  target: { width: number; height: number },
): Float32Array {
  const { width: TW, height: TH } = target;
  const out = new Float32Array(TW * TH);
  for (let y = 0; y < TH; y++) {
    const sy = Math.min(H - 1, Math.max(0, ((y + 0.5) * H) / TH - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(H - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < TW; x++) {
      const sx = Math.min(W - 1, Math.max(0, ((x + 0.5) * W) / TW - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(W - 1, x0 + 1);
      const fx = sx - x0;
      const top = src[y0 * W + x0]! * (1 - fx) + src[y0 * W + x1]! * fx;
      const bottom = src[y1 * W + x0]! * (1 - fx) + src[y1 * W + x1]! * fx;
      out[y * TW + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

// The one full-resolution pass over a photo: every statistic that needs all pixels is gathered here,
// together with the luma plane resized to the focus/composition working size.
import type { RgbaPixels } from './types.ts';

/** Longest side of the resized luma plane the focus and horizon measurements use. */
export const WORKING_SIZE = 1024;

/** Rec. 709 luma weights on the sRGB values. */
const LUMA_R = 0.2126;
const LUMA_G = 0.7152;
const LUMA_B = 0.0722;

/** Clipping thresholds on max(R, G, B); the pass tests them bitwise (250 = 128 + 122, 5). */
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

  // Two copies of the luma histogram (even and odd columns): neighbouring pixels often share a
  // value, and alternating copies keeps the increments from waiting on each other.
  const hy = new Uint32Array(512);
  // Joint histograms of (R, G) and (G, B): the channel histograms and Σ R·G, Σ G·B follow from
  // them, for two increments a pixel.
  const rgJoint = new Uint32Array(65536);
  const gbJoint = new Uint32Array(65536);
  // With the channels' sums of squares, Σ R·G, Σ R·B and Σ G·B give Σ Y², Σ rg² and Σ (2·yb)² exactly.
  let rbSum = 0;
  let highlights = 0;
  let shadows = 0;
  // 10⁴ · Y, an exact integer, summed per source column over the rows of one working row and folded
  // into it when the row ends (six rows at most: within int32).
  const columns = new Int32Array(W);
  const words = rgbaWords(data, W * H);
  let p = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++, p++) {
      const v = words[p]!;
      const r = v & 255;
      const g = (v >>> 8) & 255;
      const b = (v >>> 16) & 255;
      const copy = (x & 1) << 8;
      rgJoint[v & 0xffff]!++;
      gbJoint[(v >>> 8) & 0xffff]!++;
      const l = 2126 * r + 7152 * g + 722 * b;
      columns[x]! += l;
      // round(Y), halves up, in integers.
      hy[copy + (((l + 5000) / 10000) | 0)]!++;
      // Per byte, on the low 7 bits plus the top bit (no carry crosses a byte): some channel ≥ 250
      // (top bit set and low 7 bits ≥ 122), and every channel ≤ 5 (top bit clear and low 7 bits ≤ 5).
      const low = v & 0x7f7f7f;
      highlights += (v & (low + 0x060606) & 0x808080) !== 0 ? 1 : 0;
      shadows += ((v | (low + 0x7a7a7a)) & 0x808080) === 0 ? 1 : 0;
      rbSum += r * b;
    }
    if (y === H - 1 || rowBin[y + 1] !== rowBin[y]) {
      const rowOffset = rowBin[y]! * BW;
      for (let x = 0; x < W; x++) binned[rowOffset + colBin[x]!]! += columns[x]! / 10000;
      columns.fill(0);
    }
  }
  const lumaCounts = merge(hy);
  const redCounts = new Uint32Array(256);
  const greenCounts = new Uint32Array(256);
  const blueCounts = new Uint32Array(256);
  let rgSum = 0;
  let gbSum = 0;
  for (let hi = 0; hi < 256; hi++)
    for (let lo = 0; lo < 256; lo++) {
      const rg = rgJoint[hi * 256 + lo]!;
      const gb = gbJoint[hi * 256 + lo]!;
      redCounts[lo]! += rg;
      greenCounts[hi]! += rg;
      blueCounts[hi]! += gb;
      rgSum += rg * lo * hi;
      gbSum += gb * lo * hi;
    }
  // Plain sums follow exactly from the channel histograms.
  const [sr, sg, sb] = [redCounts, greenCounts, blueCounts].map((h) => h.reduce((s, c, v) => s + c * v, 0)) as [
    number,
    number,
    number,
  ];
  const [rr, gg, bb] = [redCounts, greenCounts, blueCounts].map((h) => h.reduce((s, c, v) => s + c * v * v, 0)) as [
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
    lumaSum: LUMA_R * sr + LUMA_G * sg + LUMA_B * sb,
    lumaSquares:
      LUMA_R * LUMA_R * rr +
      LUMA_G * LUMA_G * gg +
      LUMA_B * LUMA_B * bb +
      2 * (LUMA_R * LUMA_G * rgSum + LUMA_R * LUMA_B * rbSum + LUMA_G * LUMA_B * gbSum),
    highlightCount: highlights,
    shadowCount: shadows,
    rgSum: sr - sg,
    rgSquares: rr + gg - 2 * rgSum,
    yb2Sum: sr + sg - 2 * sb,
    yb2Squares: rr + gg + 4 * bb + 2 * rgSum - 4 * rbSum - 4 * gbSum,
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
export function rgbaWords(data: RgbaPixels['data'], n: number): Uint32Array {
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

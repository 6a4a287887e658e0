// Saliency-guided crops: boxes around the most salient regions of an IASM saliency map, and the
// words that name where they are. Pure functions on plain arrays (no images, no DOM).

export interface SaliencyMap {
  /** Row-major values, any range (higher = more salient). */
  data: Float32Array;
  width: number;
  height: number;
}

/** A crop in normalised image coordinates: x, y, width, height in [0, 1]. */
export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Peak saliency inside the region, relative to the map's range (0..1). */
  peak: number;
  /** Where the region's centre lies, e.g. "upper-left third", "centre". */
  region: string;
}

export interface CropOptions {
  /** At most this many crops (default 2). */
  maxCrops?: number;
  /** Width/height of the image the crops will be cut from (makes crops square in pixels). */
  imageWidth: number;
  imageHeight: number;
  /** Grid the map is averaged onto before searching, per side (default 24). */
  grid?: number;
  /** Cells at least this fraction of the region's peak belong to the region (default 0.5). */
  regionThreshold?: number;
  /** A second region must peak at least this fraction of the first (default 0.6). */
  minRelativePeak?: number;
  /** Crop side limits as fractions of the image's shorter side (defaults 0.3 and 0.7). */
  minSide?: number;
  maxSide?: number;
  /** Maximum overlap (intersection over union) between two crops (default 0.25). */
  maxOverlap?: number;
}

/** Averages the map onto a cols×rows grid (cell values are the map's mean over the cell). */
function toGrid(map: SaliencyMap, cols: number, rows: number): Float32Array {
  const sums = new Float64Array(cols * rows);
  const counts = new Uint32Array(cols * rows);
  for (let y = 0; y < map.height; y++) {
    const gy = Math.min(rows - 1, Math.floor((y * rows) / map.height));
    for (let x = 0; x < map.width; x++) {
      const gx = Math.min(cols - 1, Math.floor((x * cols) / map.width));
      sums[gy * cols + gx]! += map.data[y * map.width + x]!;
      counts[gy * cols + gx]!++;
    }
  }
  return Float32Array.from(sums, (s, i) => (counts[i] ? s / counts[i]! : 0));
}

/** Cells 4-connected to `seed` whose value is at least `threshold`. */
function floodRegion(grid: Float32Array, cols: number, rows: number, seed: number, threshold: number): number[] {
  const seen = new Uint8Array(grid.length);
  const stack = [seed];
  const cells: number[] = [];
  seen[seed] = 1;
  while (stack.length) {
    const c = stack.pop()!;
    cells.push(c);
    const cx = c % cols;
    const cy = Math.floor(c / cols);
    const neighbours = [
      cx > 0 ? c - 1 : -1,
      cx < cols - 1 ? c + 1 : -1,
      cy > 0 ? c - cols : -1,
      cy < rows - 1 ? c + cols : -1,
    ];
    for (const n of neighbours)
      if (n >= 0 && !seen[n] && grid[n]! >= threshold) {
        seen[n] = 1;
        stack.push(n);
      }
  }
  return cells;
}

function iou(a: CropBox, b: CropBox): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * Names the ninth of the frame (rule-of-thirds grid) containing the point (cx, cy), both in [0, 1]:
 * "centre", "upper third", "left third", "upper-left third", …
 */
export function regionName(cx: number, cy: number): string {
  const col = cx < 1 / 3 ? 'left' : cx > 2 / 3 ? 'right' : '';
  const row = cy < 1 / 3 ? 'upper' : cy > 2 / 3 ? 'lower' : '';
  if (!col && !row) return 'centre';
  return `${[row, col].filter(Boolean).join('-')} third`;
}

/**
 * Up to `maxCrops` square (in image pixels) crops around the most salient regions, strongest first.
 * A region is the connected set of grid cells above `regionThreshold`× its peak; the crop covers the
 * region's bounding box with a margin, clamped to [minSide, maxSide] of the shorter image side and
 * shifted to lie inside the image. A flat map gives no crops.
 */
export function salientCrops(map: SaliencyMap, opts: CropOptions): CropBox[] {
  const maxCrops = opts.maxCrops ?? 2;
  const n = opts.grid ?? 24;
  const cols = Math.max(1, Math.min(n, map.width));
  const rows = Math.max(1, Math.min(n, map.height));
  const grid = toGrid(map, cols, rows);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grid) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi - lo > 1e-6) || maxCrops <= 0) return [];
  for (let i = 0; i < grid.length; i++) grid[i] = (grid[i]! - lo) / (hi - lo);

  const { imageWidth: W, imageHeight: H } = opts;
  const shorter = Math.min(W, H);
  const minSide = (opts.minSide ?? 0.3) * shorter;
  const maxSide = (opts.maxSide ?? 0.7) * shorter;
  const available = grid.slice();
  const crops: CropBox[] = [];
  let firstPeak = 0;

  while (crops.length < maxCrops) {
    let seed = 0;
    for (let i = 1; i < available.length; i++) if (available[i]! > available[seed]!) seed = i;
    const peak = available[seed]!;
    if (peak <= 0 || (crops.length > 0 && peak < (opts.minRelativePeak ?? 0.6) * firstPeak)) break;
    if (crops.length === 0) firstPeak = peak;

    const cells = floodRegion(available, cols, rows, seed, (opts.regionThreshold ?? 0.5) * peak);
    let [x0, y0, x1, y1] = [cols, rows, 0, 0];
    for (const c of cells) {
      const cx = c % cols;
      const cy = Math.floor(c / cols);
      [x0, y0, x1, y1] = [Math.min(x0, cx), Math.min(y0, cy), Math.max(x1, cx + 1), Math.max(y1, cy + 1)];
      available[c] = 0;
    }
    // Region bounds in pixels, then a square crop with a 20 % margin around them.
    const [px0, px1] = [(x0 / cols) * W, (x1 / cols) * W];
    const [py0, py1] = [(y0 / rows) * H, (y1 / rows) * H];
    const side = Math.min(maxSide, Math.max(minSide, 1.2 * Math.max(px1 - px0, py1 - py0)));
    const left = Math.min(W - side, Math.max(0, (px0 + px1) / 2 - side / 2));
    const top = Math.min(H - side, Math.max(0, (py0 + py1) / 2 - side / 2));
    const box: CropBox = {
      x: left / W,
      y: top / H,
      width: side / W,
      height: side / H,
      peak,
      region: regionName((px0 + px1) / 2 / W, (py0 + py1) / 2 / H),
    };
    if (crops.every((c) => iou(c, box) <= (opts.maxOverlap ?? 0.25))) crops.push(box);
  }
  return crops;
}

/** The grounded line added to the prompt, naming where the crops are. Empty without crops. */
export function groundingLine(crops: readonly CropBox[]): string {
  if (crops.length === 0) return '';
  const places = [...new Set(crops.map((c) => `the ${c.region}`))];
  const list = places.length === 1 ? places[0]! : `${places.slice(0, -1).join(', ')} and ${places.at(-1)!}`;
  const images =
    crops.length === 1 ? 'The second image is a close-up of it.' : 'The next images are close-ups of them.';
  return `The most aesthetically salient ${crops.length === 1 ? 'region is' : 'regions are'} in ${list}. ${images}`;
}

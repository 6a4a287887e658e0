// Stacks of near-duplicates (bursts, re-takes) from a 64-bit difference hash of each photo, and the
// best of each stack with a one-line reason.

/** Difference hash: 9×8 grey samples, one bit per horizontal neighbour pair (left brighter). */
export function differenceHash(grey: Float32Array | Uint8Array | number[], width: number, height: number): bigint {
  const sample = (x: number, y: number): number => {
    // Box average of the source cell, so the hash follows the picture, not single pixels.
    const x0 = Math.floor((x * width) / 9);
    const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / 9));
    const y0 = Math.floor((y * height) / 8);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / 8));
    let sum = 0;
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += grey[yy * width + xx]!;
    return sum / ((x1 - x0) * (y1 - y0));
  };
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) hash = (hash << 1n) | (sample(x, y) > sample(x + 1, y) ? 1n : 0n);
  }
  return hash;
}

export function hammingDistance(a: bigint, b: bigint): number {
  let v = a ^ b;
  let n = 0;
  while (v) {
    n += Number(v & 1n);
    v >>= 1n;
  }
  return n;
}

/** Bits two hashes may differ by and still be one scene. */
export const NEAR_DUPLICATE_BITS = 10;

/** Groups of indices whose hashes are near (single linkage); photos alone are left out. */
export function stackByHash(hashes: readonly bigint[], maxBits = NEAR_DUPLICATE_BITS): number[][] {
  const parent = hashes.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < hashes.length; i++) {
    for (let j = i + 1; j < hashes.length; j++) {
      if (hammingDistance(hashes[i]!, hashes[j]!) <= maxBits) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, number[]>();
  hashes.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  return [...groups.values()].filter((g) => g.length > 1);
}

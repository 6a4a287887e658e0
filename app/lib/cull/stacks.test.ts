import { describe, expect, it } from 'vitest';
import { differenceHash, hammingDistance, stackByHash } from './stacks.ts';

/** A synthetic grey scene: a bright disc at (cx, cy) on a gradient, with optional noise and shift. */
function scene(cx: number, cy: number, { noise = 0, seed = 1, gradient = 1 } = {}): Float32Array {
  const w = 96;
  const h = 64;
  const out = new Float32Array(w * h);
  let s = seed;
  const rand = (): number => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = (x - cx) ** 2 + (y - cy) ** 2 < 200 ? 150 : 0;
      out[y * w + x] = gradient * x + disc + noise * rand();
    }
  }
  return out;
}

describe('stacks', () => {
  it('counts differing bits', () => {
    expect(hammingDistance(0b1011n, 0b0001n)).toBe(2);
    expect(hammingDistance(0n, (1n << 64n) - 1n)).toBe(64);
  });

  it('groups a burst (noise, a small shift) and leaves distinct scenes alone', () => {
    const hashes = [
      scene(30, 30),
      scene(31, 30, { noise: 6, seed: 7 }),
      scene(30, 31, { noise: 6, seed: 9 }),
      scene(75, 20, { gradient: -1 }),
      scene(20, 50, { gradient: 0.2 }),
    ].map((g) => differenceHash(g, 96, 64));
    expect(stackByHash(hashes)).toEqual([[0, 1, 2]]);
  });
});

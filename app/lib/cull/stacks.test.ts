import { describe, expect, it } from 'vitest';
import { differenceHash, hashDistance, NearGraph, unit, type StackInput } from './stacks.ts';

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

/** Plain bit counting over the hex digits, the reference for hashDistance. */
function bitsApart(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    let v = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (v) {
      n += v & 1;
      v >>= 1;
    }
  }
  return n;
}

function stacks(inputs: StackInput[]): string[][] {
  const graph = new NearGraph();
  for (const p of graph.changed(inputs)) graph.connect(p);
  return graph.groups(inputs.map((p) => p.id));
}

describe('stacks', () => {
  it('counts differing bits', () => {
    expect(hashDistance('000000000000000b', '0000000000000001')).toBe(2);
    expect(hashDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    const a = differenceHash(scene(30, 30), 96, 64);
    const b = differenceHash(scene(75, 20, { gradient: -1 }), 96, 64);
    expect(hashDistance(a, b)).toBe(bitsApart(a, b));
    expect(hashDistance(a, b)).toBeGreaterThan(20);
  });

  it('groups a burst (noise, a small shift) by hash and leaves distinct scenes alone', () => {
    const hashes = [
      scene(30, 30),
      scene(31, 30, { noise: 6, seed: 7 }),
      scene(30, 31, { noise: 6, seed: 9 }),
      scene(75, 20, { gradient: -1 }),
      scene(20, 50, { gradient: 0.2 }),
    ].map((g) => differenceHash(g, 96, 64));
    expect(stacks(hashes.map((hash, i) => ({ id: `p${i}`, hash })))).toEqual([['p0', 'p1', 'p2']]);
  });

  it('groups by embedding when both come from one pack, whatever the hashes say', () => {
    // Two directions 60° apart, and small turns of the first: a burst of one scene and a different one.
    const along = (angle: number): Float32Array => unit(Float32Array.of(Math.cos(angle), Math.sin(angle), 0.05));
    const hashA = differenceHash(scene(30, 30), 96, 64);
    const hashB = differenceHash(scene(75, 20, { gradient: -1 }), 96, 64);
    const inputs: StackInput[] = [
      { id: 'a', hash: hashA, embedding: { pack: 'clip', unit: along(0) } },
      { id: 'b', hash: hashB, embedding: { pack: 'clip', unit: along(0.1) } },
      // Same hash as b, another scene by its embedding.
      { id: 'c', hash: hashB, embedding: { pack: 'clip', unit: along(Math.PI / 3) } },
      // Another pack's embedding cannot be compared: the hash decides.
      { id: 'd', hash: hashA, embedding: { pack: 'other', unit: along(2) } },
    ];
    expect(stacks(inputs)).toEqual([['a', 'b', 'd']]);
  });

  it('follows photos changing and going away', () => {
    const hash = differenceHash(scene(30, 30), 96, 64);
    const other = differenceHash(scene(75, 20, { gradient: -1 }), 96, 64);
    const graph = new NearGraph();
    const run = (inputs: StackInput[]): string[][] => {
      for (const p of graph.changed(inputs)) graph.connect(p);
      return graph.groups(inputs.map((p) => p.id));
    };
    expect(
      run([
        { id: 'a', hash },
        { id: 'b', hash },
        { id: 'c', hash },
      ]),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      run([
        { id: 'a', hash },
        { id: 'c', hash },
      ]),
    ).toEqual([['a', 'c']]);
    expect(
      run([
        { id: 'a', hash },
        { id: 'c', hash: other },
      ]),
    ).toEqual([]);
  });
});

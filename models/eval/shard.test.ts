import { describe, expect, it } from 'vitest';
import { fnv1a, inShard, parseShard } from './shard.ts';

describe('sharding', () => {
  it('FNV-1a 32 matches the published test vectors', () => {
    // From the FNV reference test suite (Fowler/Noll/Vo): "" , "a", "foobar".
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('shards partition the ids: every id in exactly one shard', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `img_${i}.jpg`);
    const n = 7;
    const counts = ids.map(
      (id) => Array.from({ length: n }, (_, k) => inShard(id, { index: k + 1, count: n })).filter(Boolean).length,
    );
    expect(counts.every((c) => c === 1)).toBe(true);
    // Roughly balanced (500/7 ≈ 71 each).
    for (let k = 1; k <= n; k++) {
      const size = ids.filter((id) => inShard(id, { index: k, count: n })).length;
      expect(size).toBeGreaterThan(45);
      expect(size).toBeLessThan(100);
    }
  });

  it('parses k/n and rejects the rest', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1', '-1/2'])
      expect(() => parseShard(bad)).toThrow('--shard must be k/n');
  });
});

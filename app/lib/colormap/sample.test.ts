import { describe, expect, it } from 'vitest';
import { sampleSaliency } from './sample.ts';

describe('sampleSaliency', () => {
  // 2×2 map: texel centres at u, v = 0.25 and 0.75.
  const map = { data: new Float32Array([0, 1, 2, 3]), width: 2, height: 2 };

  it('returns texel values at texel centres and clamps beyond them', () => {
    expect(sampleSaliency(map, 0.25, 0.25)).toBe(0);
    expect(sampleSaliency(map, 0.75, 0.75)).toBe(3);
    expect(sampleSaliency(map, 0, 0)).toBe(0);
    expect(sampleSaliency(map, 1, 1)).toBe(3);
  });

  it('interpolates bilinearly between centres', () => {
    expect(sampleSaliency(map, 0.5, 0.25)).toBeCloseTo(0.5, 9);
    expect(sampleSaliency(map, 0.5, 0.5)).toBeCloseTo(1.5, 9);
    expect(sampleSaliency(map, 0.25, 0.5)).toBeCloseTo(1, 9);
  });
});

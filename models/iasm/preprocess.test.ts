import { describe, expect, it } from 'vitest';
import { LAION_HEADS } from './heads.ts';
import { rgbaToNchw } from './preprocess.ts';

describe('rgbaToNchw', () => {
  it('normalises each channel with its mean and std into planar NCHW, ignoring alpha', () => {
    // 2×1 image: pixel 0 = (255, 0, 51, 7), pixel 1 = (0, 255, 102, 255)
    const rgba = Uint8Array.of(255, 0, 51, 7, 0, 255, 102, 255);
    const out = rgbaToNchw({ data: rgba, width: 2, height: 1 }, { mean: [0.5, 0.25, 0.2], std: [0.5, 0.25, 0.1] });
    const expected = [
      (1 - 0.5) / 0.5,
      (0 - 0.5) / 0.5,
      (0 - 0.25) / 0.25,
      (1 - 0.25) / 0.25,
      (0.2 - 0.2) / 0.1,
      (0.4 - 0.2) / 0.1,
    ];
    expect(out.length).toBe(6);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });

  it('refuses data that does not match the given size', () => {
    expect(() =>
      rgbaToNchw({ data: new Uint8Array(12), width: 2, height: 2 }, { mean: [0, 0, 0], std: [1, 1, 1] }),
    ).toThrow(/expected 16/);
  });
});

describe('LAION heads', () => {
  it('carry the published weights with their source and license lines', () => {
    const head = LAION_HEADS['laion-v1-vit-b-16'];
    expect(head.inFeatures).toBe(512);
    expect(head.weight.length).toBe(512);
    expect(head.weight[0]).toBeCloseTo(0.6902883052825928, 7);
    expect(head.bias).toBeCloseTo(3.150602102279663, 7);
    expect(head.license).toMatch(/MIT/);
    expect(head.source).toMatch(/LAION-AI\/aesthetic-predictor/);
    expect(LAION_HEADS['laion-v1-vit-l-14'].inFeatures).toBe(768);
  });
});

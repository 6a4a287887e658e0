import { describe, expect, it } from 'vitest';
import { colormapLut, colormapRgb, COLORMAPS } from './luts.ts';

// Published reference entries (independent of the polynomial fits used in luts.ts):
// turbo: Google's 256-entry table (gist mikhailov-work/ee72ba4191942acecc03fe6da94fc73f);
// inferno: matplotlib's _inferno_data (BIDS colormaps).
const TURBO_TABLE: [number, [number, number, number]][] = [
  [0, [0.18995, 0.07176, 0.23217]],
  [4, [0.2086, 0.11802, 0.34607]],
  [92, [0.15323, 0.93151, 0.64308]],
  [128, [0.64362, 0.98999, 0.23356]],
  [130, [0.66428, 0.98524, 0.2237]],
  [250, [0.54583, 0.03593, 0.00638]],
  [255, [0.4796, 0.01583, 0.01055]],
];
const INFERNO_TABLE: [number, [number, number, number]][] = [
  [0, [0.001462, 0.000466, 0.013866]],
  [128, [0.735683, 0.215906, 0.330245]],
  [255, [0.988362, 0.998364, 0.644924]],
];

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c]! - expected[c]!)).toBeLessThanOrEqual(tol);
}

describe('colormaps', () => {
  it('turbo matches entries of the published table that are not interpolation knots, to 8 bits', () => {
    for (const [i, rgb] of TURBO_TABLE) expectClose(colormapRgb('turbo', i / 255), rgb, 1 / 255);
  });

  it('inferno matches matplotlib within the fit error', () => {
    for (const [i, rgb] of INFERNO_TABLE) expectClose(colormapRgb('inferno', i / 255), rgb, 0.02);
  });

  it('grey runs from white to black and LUTs are 256 opaque RGBA entries', () => {
    const lut = colormapLut('grey');
    expect(lut.length).toBe(1024);
    expect([lut[0], lut[127 * 4], lut[255 * 4], lut[3]]).toEqual([255, 128, 0, 255]);
    for (const name of COLORMAPS) {
      const l = colormapLut(name);
      for (let i = 3; i < l.length; i += 4) expect(l[i]).toBe(255);
    }
  });

  it('clamps out-of-range input', () => {
    expect(colormapRgb('turbo', -1)).toEqual(colormapRgb('turbo', 0));
    expect(colormapRgb('inferno', 2)).toEqual(colormapRgb('inferno', 1));
  });
});

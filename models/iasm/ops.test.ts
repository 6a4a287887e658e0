import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { bilinearMatrix, extremeSamples } from './ops.ts';
import { resizeBilinear } from '../testing/iasmReference.node.ts';

// (in, out) sizes: integer and fractional scales, downsampling, identity, a single input cell.
const SIZES: [number, number][] = [
  [14, 224],
  [7, 224],
  [13, 64],
  [9, 20],
  [20, 9],
  [5, 5],
  [1, 10],
];

describe('saliency upsampling', () => {
  it('bilinearMatrix rows are the half-pixel interpolation weights (each row sums to 1)', () => {
    for (const [n, m] of SIZES) {
      const matrix = bilinearMatrix(n, m);
      const impulse = (j: number) =>
        resizeBilinear(
          Float64Array.from({ length: n }, (_, i) => +(i === j)),
          1,
          n,
          1,
          m,
        );
      for (let j = 0; j < n; j++) {
        const column = impulse(j);
        for (let i = 0; i < m; i++) expect(matrix[i * n + j]).toBeCloseTo(column[i]!, 6);
      }
      for (let i = 0; i < m; i++)
        expect(matrix.subarray(i * n, (i + 1) * n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('the upsampled map has its min and max on the extreme samples of each cell', () => {
    const random = mulberry32(7);
    for (const [h, H] of SIZES)
      for (const [w, W] of SIZES) {
        for (let trial = 0; trial < 5; trial++) {
          const cam = Float64Array.from({ length: h * w }, () => random());
          const full = resizeBilinear(cam, h, w, H, W);
          const rows = extremeSamples(h, H);
          const columns = extremeSamples(w, W);
          expect(rows.length).toBeLessThanOrEqual(Math.min(H, 2 * h));
          const picked = rows.flatMap((y) => columns.map((x) => full[y * W + x]!));
          expect(Math.min(...picked)).toBe(Math.min(...full));
          expect(Math.max(...picked)).toBe(Math.max(...full));
        }
      }
  });
});

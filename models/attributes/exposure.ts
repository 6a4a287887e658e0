import type { PixelScan } from './scan.ts';
import type { Exposure } from './types.ts';

const fractions = (counts: Uint32Array, n: number): number[] => Array.from(counts, (c) => c / n);

export function exposureOf(scan: PixelScan): Exposure {
  const n = scan.pixels;
  const mean = scan.lumaSum / n;
  const variance = Math.max(0, scan.lumaSquares / n - mean * mean);
  return {
    meanLuma: mean / 255,
    contrast: Math.sqrt(variance) / 255,
    clippedHighlights: scan.highlightCount / n,
    clippedShadows: scan.shadowCount / n,
    histogram: {
      luma: fractions(scan.lumaCounts, n),
      red: fractions(scan.redCounts, n),
      green: fractions(scan.greenCounts, n),
      blue: fractions(scan.blueCounts, n),
    },
  };
}

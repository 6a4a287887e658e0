import { describe, expect, it } from 'vitest';
import { heatmapLegend } from '../colormap/legend.ts';
import { COLORMAPS } from '../colormap/luts.ts';
import { heatWeight, spotlightShade } from '../colormap/renderer.ts';
import { heatmapKey } from './heatmapKey.ts';

/** The percentages a sentence states, as fractions, in order. */
const percents = (text: string): number[] => [...text.matchAll(/(\d+)%/g)].map((m) => Number(m[1]) / 100);

describe('heatmap key', () => {
  it('uses the on-screen legend’s labels for every colormap and mode', () => {
    for (const colormap of COLORMAPS)
      for (const mode of ['overlay', 'spotlight', 'side-by-side', 'swipe'] as const) {
        const key = heatmapKey(colormap, mode, 0.6);
        const legend = heatmapLegend(colormap, mode);
        expect([key.low, key.high]).toEqual([legend.low, legend.high]);
      }
  });

  it('overlay: the thresholds it states are where the drawn weight is 0 and 1, at the stated opacity', () => {
    const key = heatmapKey('inferno', 'overlay', 0.45);
    const [floor, full, opacity] = percents(key.meaning);
    expect(heatWeight(floor!)).toBe(0);
    expect(heatWeight(floor! + 0.01)).toBeGreaterThan(0);
    expect(heatWeight(full!)).toBe(1);
    expect(heatWeight(full! - 0.01)).toBeLessThan(1);
    expect(opacity).toBe(0.45);
    expect(key.meaning).toContain('Inferno');
  });

  it('spotlight: the darkening it states is what the shade at zero saliency gives at that opacity', () => {
    const opacity = 0.8;
    const key = heatmapKey('turbo', 'spotlight', opacity);
    const [darkest, floor, full] = percents(key.meaning);
    expect(darkest).toBeCloseTo(Math.round(opacity * spotlightShade(0) * 100) / 100, 10);
    expect(spotlightShade(floor!)).toBe(spotlightShade(0));
    expect(spotlightShade(full!)).toBe(0);
    expect(key.colormap).toBeNull();
  });
});
